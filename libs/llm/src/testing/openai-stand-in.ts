import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './stand-in-http';

/** What the stand-in answers to the next call. */
export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** The assistant message's content (a 200 answer); ignored when `body` is given. */
  content?: string;
  usage?: {
    prompt_tokens: number;
    completion_tokens: number;
    prompt_tokens_details?: { cached_tokens: number };
  };
  /** A whole response body instead (an error body, or something malformed). */
  body?: unknown;
  /** Hold the answer this long (to test timeouts). */
  delayMs?: number;
}

export interface OpenAiStandIn {
  /** The base URL, `http://127.0.0.1:<port>/v1`. */
  url: string;
  /** Request bodies received, in order. */
  requests: Record<string, unknown>[];
  /** The most calls it was answering at once. */
  maxInFlight: number;
  reply(...replies: ScriptedReply[]): void;
  /** Forgets unanswered scripts and received requests: a failed test leaves nothing to the next one. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A local server speaking OpenAI's `/v1/chat/completions` as vLLM does, answering what the test
 * scripted; a call with nothing scripted is a 500. For the backends' and the pool's specs.
 */
export async function startOpenAiStandIn(): Promise<OpenAiStandIn> {
  const queue: ScriptedReply[] = [];
  const requests: Record<string, unknown>[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  const stats = { maxInFlight: 0 };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((text) => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(text) as Record<string, unknown>;
      requests.push(body);
      inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      const reply = queue.shift() ?? { status: 500, body: { error: { message: 'nothing scripted' } } };
      const send = () => {
        const status = reply.status ?? 200;
        const payload =
          reply.body !== undefined
            ? reply.body
            : {
                id: `chatcmpl-${requests.length}`,
                object: 'chat.completion',
                created: 1_764_000_000,
                model: body.model,
                choices: [
                  {
                    index: 0,
                    message: { role: 'assistant', content: reply.content ?? '' },
                    finish_reason: 'stop',
                  },
                ],
                usage: {
                  ...(reply.usage ?? { prompt_tokens: 0, completion_tokens: 0 }),
                  total_tokens: (reply.usage?.prompt_tokens ?? 0) + (reply.usage?.completion_tokens ?? 0),
                },
              };
        inFlight--;
        // A fresh connection per call: a reused keep-alive socket the server closes meanwhile fails the
        // next call with "fetch failed" under load, which no real test scenario asked for.
        res.writeHead(status, { 'content-type': 'application/json', connection: 'close', ...reply.headers });
        res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
      };
      if (reply.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, reply.delayMs);
        timers.add(timer);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxInFlight() {
      return stats.maxInFlight;
    },
    reply: (...replies) => queue.push(...replies),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
