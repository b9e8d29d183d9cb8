import { randomUUID } from 'node:crypto';
import type { StageJobPayload } from '@t2s/contracts';
import { OpenAiCompatibleBackend } from '@t2s/llm';
import { startOpenAiStandIn, type OpenAiStandIn } from '@t2s/llm/testing';
import {
  closeStageQueues,
  createLlmQueue,
  createRedisConnection,
  createStageQueues,
  enqueueStage,
  startStageWorker,
} from '@t2s/queue';
import type { RedisConnection } from '@t2s/queue';
import { z } from 'zod';
import { LlmCallStore } from './llm-call-store';
import { startLlmPool } from './llm-pool';
import { PooledLlmBackend } from './pooled-backend';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const schema = z.object({ tables: z.array(z.string()) });
const payload = (): StageJobPayload => ({
  v: 1,
  segmentId: randomUUID(),
  revisionId: randomUUID(),
  pass: 0,
});

let model: OpenAiStandIn;
let connection: RedisConnection;
let prefix: string;
const closers: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  model = await startOpenAiStandIn();
  prefix = `{t2s-test-${randomUUID().slice(0, 8)}}`;
  connection = createRedisConnection(REDIS_URL, { forWorker: true });
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await createLlmQueue(connection, prefix).obliterate({ force: true });
  await connection.quit();
  await model.close();
});

async function start(handler: Parameters<typeof startStageWorker>[0]['handler']) {
  const store = new LlmCallStore(connection, prefix);
  const pool = await startLlmPool({
    connection,
    prefix,
    store,
    slots: 2,
    backend: new OpenAiCompatibleBackend({ baseUrl: model.url, model: 'qwen', timeoutMs: 5_000 }),
  });
  closers.push(() => pool.close());
  const queues = createStageQueues(connection, { prefix });
  closers.push(async () => {
    for (const q of Object.values(queues)) await q.obliterate({ force: true });
    await closeStageQueues(queues);
  });
  const worker = startStageWorker({
    stage: 'criteria',
    connection,
    prefix,
    concurrency: 1,
    timeoutMs: 10_000,
    handler,
  });
  closers.push(() => worker.close());
  return { store, queues, worker, backend: new PooledLlmBackend(store, 'qwen') };
}

describe('PooledLlmBackend: stages wait for LLM calls as child jobs, without holding a worker slot', () => {
  it('parks the stage while its calls run, lets another stage job use the slot, and replays the answers', async () => {
    model.reply(
      {
        content: JSON.stringify({ tables: ['loan'] }),
        delayMs: 400,
        usage: { prompt_tokens: 10, completion_tokens: 2 },
      },
      { content: JSON.stringify({ tables: ['card'] }), usage: { prompt_tokens: 10, completion_tokens: 2 } },
    );
    const finished: string[] = [];
    const answers: unknown[] = [];
    let runs = 0;
    const a = payload();
    const b = payload();
    let backend: PooledLlmBackend | undefined;
    const done = new Promise<void>((resolve) => {
      const handler = async (p: StageJobPayload) => {
        if (p.segmentId === a.segmentId) {
          runs++;
          const first = await (backend as PooledLlmBackend).structured({
            name: 'one',
            system: 's',
            user: 'first',
            schema,
          });
          const second = await (backend as PooledLlmBackend).structured({
            name: 'two',
            system: 's',
            user: 'second',
            schema,
          });
          answers.push(first.value, second.value);
        }
        finished.push(p.segmentId === a.segmentId ? 'a' : 'b');
        if (finished.length === 2) resolve();
        return { next: null };
      };
      void start(handler).then(async (bed) => {
        backend = bed.backend;
        await enqueueStage(bed.queues, 'criteria', a);
        await enqueueStage(bed.queues, 'criteria', b);
      });
    });
    await done;
    // B ran while A waited for the model, on a worker with one slot.
    expect(finished).toEqual(['b', 'a']);
    expect(answers).toEqual([{ tables: ['loan'] }, { tables: ['card'] }]);
    // A ran three times: suspended on the first call, on the second, then finished with both answers.
    expect(runs).toBe(3);
    expect(model.requests).toHaveLength(2);
  });

  it("hands a call's final failure to the stage when it runs again", async () => {
    model.reply({ content: 'not json' }, { content: 'still not json' });
    const a = payload();
    const failure = new Promise<unknown>((resolve) => {
      const handler = async () => {
        try {
          await backend.structured({ name: 'one', system: 's', user: 'x', schema });
        } catch (error) {
          if ((error as Error).name === 'StageSuspended') throw error;
          resolve(error);
        }
        return { next: null };
      };
      let backend: PooledLlmBackend;
      void start(handler).then(async (bed) => {
        backend = bed.backend;
        await enqueueStage(bed.queues, 'criteria', a);
      });
    });
    await expect(failure).resolves.toMatchObject({ code: 'LLM_BAD_OUTPUT' });
  });
});
