import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/** Where the review console is served; its files are public, its API calls carry the person's key. */
export const CONSOLE_PATH = '/console/';

const CONSOLE_ROOT = join(__dirname, '../../console');
const NODE_MODULES = join(__dirname, '../../../../node_modules');

// The vendored ES modules the page's import map names; nothing else under node_modules is served.
const VENDOR: Readonly<Record<string, string>> = {
  'preact.js': join(NODE_MODULES, 'preact/dist/preact.module.js'),
  'hooks.js': join(NODE_MODULES, 'preact/hooks/dist/hooks.module.js'),
  'htm.js': join(NODE_MODULES, 'htm/dist/htm.module.js'),
};

/**
 * Serves the review console (Preact and htm as plain ES modules, no build step) under /console/.
 * Registered on Fastify directly: these are static files, outside Nest's API-key guard.
 */
export async function mountConsole(app: NestFastifyApplication): Promise<void> {
  await app.register(async (scope: FastifyInstance) => {
    scope.get('/console', async (_request, reply) => reply.redirect(CONSOLE_PATH));
    scope.get('/console/vendor/:name', async (request, reply) => {
      const file = VENDOR[(request.params as { name: string }).name];
      if (!file)
        return reply
          .code(404)
          .send({ error: { code: 'NOT_FOUND', message: 'No such file', requestId: request.id } });
      return reply.type('text/javascript; charset=utf-8').send(createReadStream(file));
    });
    await scope.register(fastifyStatic, { root: CONSOLE_ROOT, prefix: CONSOLE_PATH, decorateReply: false });
  });
}
