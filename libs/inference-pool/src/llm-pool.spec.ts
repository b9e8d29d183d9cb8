import { randomUUID } from 'node:crypto';
import type { LlmJobPayload } from '@t2s/contracts';
import { OpenAiCompatibleBackend } from '@t2s/llm';
import { startOpenAiStandIn, type OpenAiStandIn } from '@t2s/llm/testing';
import { createRedisConnection, LLM_QUEUE } from '@t2s/queue';
import { Queue, QueueEvents } from 'bullmq';
import type { RedisConnection } from '@t2s/queue';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { EndpointRouter } from './endpoint-router';
import { LlmCallStore } from './llm-call-store';
import { startLlmPool, type LlmPool } from './llm-pool';
import { PoolMetrics } from './pool-metrics';
import { QueuedLlmBackend } from './testing/queued-backend';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const schema = z.object({ tables: z.array(z.string()) });
const call = { name: 'link', system: 'Pick tables.', user: '<criteria>ипотека</criteria>', schema };
const answer = (tables: string[]) => ({
  content: JSON.stringify({ tables }),
  usage: { prompt_tokens: 100, completion_tokens: 10 },
});

interface Bed {
  prefix: string;
  connection: RedisConnection;
  queue: Queue<LlmJobPayload>;
  events: QueueEvents;
  store: LlmCallStore;
  pool: LlmPool;
  metrics: PoolMetrics;
  registry: Registry;
  client(timeoutMs?: number): QueuedLlmBackend;
  close(): Promise<void>;
}

async function bed(endpoints: OpenAiStandIn[], slots: number, coolDownMs = 200): Promise<Bed> {
  const prefix = `{t2s-test-${randomUUID().slice(0, 8)}}`;
  const connection = createRedisConnection(REDIS_URL, { forWorker: true });
  const store = new LlmCallStore(connection, prefix);
  const registry = new Registry();
  const metrics = new PoolMetrics(registry);
  const router = new EndpointRouter(
    endpoints.map((e) => new OpenAiCompatibleBackend({ baseUrl: e.url, model: 'qwen', timeoutMs: 2_000 })),
    coolDownMs,
  );
  const pool = await startLlmPool({ connection, prefix, backend: router, store, slots, metrics });
  const queue = new Queue<LlmJobPayload>(LLM_QUEUE, { connection, prefix });
  const eventsConnection = createRedisConnection(REDIS_URL, { forWorker: true });
  const events = new QueueEvents(LLM_QUEUE, {
    connection: eventsConnection,
    prefix,
  });
  await events.waitUntilReady();
  return {
    prefix,
    connection,
    queue,
    events,
    store,
    pool,
    metrics,
    registry,
    client: (timeoutMs = 10_000) =>
      new QueuedLlmBackend(
        queue,
        events,
        store,
        'qwen',
        { segmentId: randomUUID(), stage: 'sql' },
        timeoutMs,
      ),
    close: async () => {
      await pool.close();
      await events.close();
      await eventsConnection.quit();
      await queue.obliterate({ force: true });
      await queue.close();
      await connection.quit();
    },
  };
}

let a: OpenAiStandIn;
let b: OpenAiStandIn;
let env: Bed | undefined;

beforeEach(async () => {
  [a, b] = await Promise.all([startOpenAiStandIn(), startOpenAiStandIn()]);
});
afterEach(async () => {
  await env?.close();
  env = undefined;
  await Promise.all([a.close(), b.close()]);
});

describe('the inference pool over real Redis and two OpenAI-compatible endpoints', () => {
  it('answers a call through the llm queue and counts its tokens by stage and model', async () => {
    env = await bed([a, b], 4);
    a.reply(answer(['loan']));
    b.reply(answer(['loan']));
    const result = await env.client().structured(call);
    expect(result.value).toEqual({ tables: ['loan'] });
    expect(result.usage.promptTokens).toBe(100);
    const metrics = await env.registry.getMetricsAsJSON();
    const tokens = metrics.find((m) => m.name === 't2s_llm_tokens_total') as {
      values: { value: number; labels: Record<string, string> }[];
    };
    expect(tokens.values).toContainEqual(
      expect.objectContaining({ value: 100, labels: { stage: 'sql', model: 'qwen', kind: 'prompt' } }),
    );
  });

  it('spreads calls over the endpoints and never runs more than the global slots at once', async () => {
    env = await bed([a, b], 2);
    for (let i = 0; i < 3; i++) {
      a.reply({ ...answer([`a${i}`]), delayMs: 150 });
      b.reply({ ...answer([`b${i}`]), delayMs: 150 });
    }
    const client = env.client();
    const results = await Promise.all([0, 1, 2, 3].map(() => client.structured(call)));
    expect(results).toHaveLength(4);
    expect(a.requests.length).toBeGreaterThan(0);
    expect(b.requests.length).toBeGreaterThan(0);
    expect(a.maxInFlight + b.maxInFlight).toBeLessThanOrEqual(2);
  });

  it('moves a call off an endpoint that answers 503 to the other one', async () => {
    env = await bed([a, b], 1);
    a.reply({ status: 503, body: { error: { message: 'overloaded' } } });
    b.reply(answer(['card']));
    expect((await env.client().structured(call)).value).toEqual({ tables: ['card'] });
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
  });

  it("waits out a 429's Retry-After without spending an attempt, then answers", async () => {
    env = await bed([a], 1);
    a.reply(
      { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down' } } },
      answer(['deposit']),
    );
    const started = Date.now();
    expect((await env.client().structured(call)).value).toEqual({ tables: ['deposit'] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(a.requests).toHaveLength(2);
  });

  it("hands a final failure to the caller with the provider's code", async () => {
    env = await bed([a], 1);
    a.reply({ content: 'not json at all' }, { content: 'still not json' });
    await expect(env.client().structured(call)).rejects.toMatchObject({ code: 'LLM_BAD_OUTPUT' });
  });

  it('gives the caller LLM_TIMEOUT when the pool does not answer in time', async () => {
    env = await bed([a], 1);
    a.reply({ ...answer(['x']), delayMs: 1_500 });
    await expect(env.client(300).structured(call)).rejects.toMatchObject({ code: 'LLM_TIMEOUT' });
  });
});
