import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './stand-in-http';

export interface GigaChatScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** The forced function's arguments (an object, as GigaChat sends them). */
  functionArguments?: unknown;
  content?: string;
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number; precached_prompt_tokens?: number };
  /** An error body. */
  body?: unknown;
}

export interface GigaChatStandIn {
  authUrl: string;
  baseUrl: string;
  /** The authorization key it accepts (base64 of `client:secret`). */
  credentials: string;
  /** Token requests: their RqUID and scope. */
  tokenRequests: { rquid: string | undefined; scope: string | null }[];
  /** Chat bodies received. */
  chats: Record<string, unknown>[];
  tokenCounts: number;
  /** Tokens expire at this epoch-ms value (default: now + 30 min when issued). */
  expiresAt: number | null;
  reply(...replies: GigaChatScriptedReply[]): void;
  /** Make the server refuse every token issued so far (as after a key rotation). */
  revokeTokens(): void;
  close(): Promise<void>;
}

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * A local server speaking GigaChat's protocol: `POST /api/v2/oauth` (Basic key, RqUID uuid4, scope)
 * issuing bearer tokens with `expires_at`, `POST /api/v1/chat/completions` (bearer required; answers
 * what the test scripted, function calls with object arguments) and `POST /api/v1/tokens/count`
 * (a token per 4 characters).
 */
export async function startGigaChatStandIn(): Promise<GigaChatStandIn> {
  const credentials = Buffer.from('client-id:client-secret').toString('base64');
  const valid = new Set<string>();
  const queue: GigaChatScriptedReply[] = [];
  let issued = 0;
  const state: GigaChatStandIn = {
    authUrl: '',
    baseUrl: '',
    credentials,
    tokenRequests: [],
    chats: [],
    tokenCounts: 0,
    expiresAt: null,
    reply: (...replies) => queue.push(...replies),
    revokeTokens: () => valid.clear(),
    close: async () => undefined,
  };
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close', ...headers });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((text) => {
      if (req.url === '/api/v2/oauth') {
        const rquid = req.headers.rquid as string | undefined;
        const scope = new URLSearchParams(text).get('scope');
        state.tokenRequests.push({ rquid, scope });
        if (req.headers.authorization !== `Basic ${credentials}`)
          return json(res, 401, { message: 'bad key' });
        if (!rquid || !UUID4.test(rquid)) return json(res, 400, { message: 'RqUID must be a uuid4' });
        if (!scope?.startsWith('GIGACHAT_API_')) return json(res, 400, { message: 'unknown scope' });
        const token = `token-${++issued}`;
        valid.add(token);
        return json(res, 200, {
          access_token: token,
          expires_at: state.expiresAt ?? Date.now() + 30 * 60_000,
        });
      }
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !valid.has(bearer)) return json(res, 401, { message: 'Token has expired' });
      const body = JSON.parse(text) as Record<string, unknown>;
      if (req.url === '/api/v1/tokens/count') {
        state.tokenCounts++;
        const input = body.input as string[];
        return json(
          res,
          200,
          input.map((s) => ({ object: 'tokens', tokens: Math.ceil(s.length / 4), characters: s.length })),
        );
      }
      if (req.url !== '/api/v1/chat/completions') return json(res, 404, { message: 'no such path' });
      state.chats.push(body);
      const reply = queue.shift() ?? { status: 500, body: { message: 'nothing scripted' } };
      if (reply.status && reply.status !== 200)
        return json(res, reply.status, reply.body ?? {}, reply.headers);
      const called = reply.functionArguments !== undefined;
      return json(res, 200, {
        model: `${String(body.model)}:1.0.26.20`,
        object: 'chat.completion',
        created: 1_764_000_000,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: reply.content ?? '',
              ...(called
                ? {
                    function_call: {
                      name: (body.function_call as { name: string }).name,
                      arguments: reply.functionArguments,
                    },
                  }
                : {}),
            },
            finish_reason: reply.finishReason ?? (called ? 'function_call' : 'stop'),
          },
        ],
        usage: { ...(reply.usage ?? { prompt_tokens: 0, completion_tokens: 0 }), total_tokens: 0 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.authUrl = `http://127.0.0.1:${port}/api/v2/oauth`;
  state.baseUrl = `http://127.0.0.1:${port}/api/v1`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
