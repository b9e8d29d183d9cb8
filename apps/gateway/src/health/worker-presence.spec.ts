// Against this machine's Redis with real BullMQ workers: the count /readyz reports follows workers that
// start, close and die, and agrees with BullMQ's own Queue.getWorkers().
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { createRedisConnection, type RedisConnection } from '@t2s/queue';
import { redisWorkerPresence } from './worker-presence';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('redisWorkerPresence', () => {
  const prefix = `{t2s-presence-${randomBytes(4).toString('hex')}}`;
  let probe: RedisConnection;
  let workerConnection: RedisConnection;
  const workers: Worker[] = [];

  beforeAll(() => {
    // As the gateway's probe client: lazy, failing fast.
    probe = createRedisConnection(REDIS_URL, {}, { lazyConnect: true, enableOfflineQueue: false });
    workerConnection = createRedisConnection(REDIS_URL, { forWorker: true });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await workerConnection.quit();
    await probe.quit();
  });

  const startWorker = async (queue: string, name?: string) => {
    const worker = new Worker(queue, async () => undefined, {
      connection: workerConnection,
      prefix,
      ...(name ? { name } : {}),
    });
    workers.push(worker);
    await worker.waitUntilReady();
    return worker;
  };

  it('counts each queue’s workers, named or not, and drops a closed one', async () => {
    const presence = redisWorkerPresence(probe, prefix, ['sql', 'execution', 'webhook']);
    expect(await presence.count()).toEqual({ sql: 0, execution: 0, webhook: 0 });

    await startWorker('sql');
    const named = await startWorker('sql', 'sql-2');
    const execution = await startWorker('execution');
    // BullMQ names the blocking connection once it starts blocking; wait for what getWorkers sees.
    const queues = ['sql', 'execution'].map((q) => new Queue(q, { connection: workerConnection, prefix }));
    try {
      const deadline = Date.now() + 10_000;
      while ((await queues[0]!.getWorkersCount()) < 2 || (await queues[1]!.getWorkersCount()) < 1) {
        if (Date.now() > deadline) throw new Error('BullMQ never listed the workers');
      }
      expect(await presence.count()).toEqual({ sql: 2, execution: 1, webhook: 0 });
      expect((await presence.count()).sql).toBe(await queues[0]!.getWorkersCount());

      await named.close();
      await execution.close();
      expect(await presence.count()).toEqual({ sql: 1, execution: 0, webhook: 0 });
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
  });
});
