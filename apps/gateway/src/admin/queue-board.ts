import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyVerifier } from '../auth/api-key-store';

/** Where ops find bull-board: every queue's jobs, to inspect, retry or remove. */
export const QUEUE_BOARD_PATH = '/admin/queues';

const MAX_KEY_LENGTH = 256;

/**
 * The admin key from `Authorization: Bearer <key>`, or from Basic auth's password (the user name is
 * ignored), which is what a browser sends after the 401's `WWW-Authenticate: Basic` prompt.
 */
export function adminKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)?.[1];
  if (bearer !== undefined) return bearer.length <= MAX_KEY_LENGTH ? bearer : undefined;
  const basic = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(header)?.[1];
  if (basic === undefined) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  return password.length > 0 && password.length <= MAX_KEY_LENGTH ? password : undefined;
}

/**
 * Mounts bull-board under /admin/queues, behind an admin API key. The check is a hook of the board's
 * own encapsulated scope: Nest's guard does not see routes registered on Fastify directly, and nothing
 * outside this prefix is affected.
 */
export async function mountQueueBoard(
  app: NestFastifyApplication,
  queues: readonly Queue[],
  keys: ApiKeyVerifier,
): Promise<void> {
  const board = new BullBoardFastifyAdapter();
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 't2s queues' } },
  });
  board.setBasePath(QUEUE_BOARD_PATH);
  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', async (request, reply) => {
      const key = adminKeyOf(request.headers.authorization);
      const record = key === undefined ? null : await keys.verify(key);
      if (record === null) {
        void reply.header('www-authenticate', 'Basic realm="t2s admin", charset="UTF-8"');
        return refuse(request, reply, 401, 'UNAUTHORIZED', 'The queue board needs an admin API key');
      }
      if (!record.admin) return refuse(request, reply, 403, 'FORBIDDEN', 'This API key is not an admin key');
      return undefined;
    });
    await scope.register(board.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}

function refuse(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message, requestId: request.id } });
}
