// Test support (not exported): the pipeline's fixture (a seeded demo warehouse with an executor role, a
// migrated service store and a sandbox, in throw-away schemas) plus a throw-away BullMQ prefix on the
// local Redis.
import { randomUUID } from 'node:crypto';
import { STAGES } from '@t2s/contracts';
import { createBaselineStrategy } from '@t2s/baseline';
import type { StageDeps } from '@t2s/pipeline';
import { openPipelineFixture } from '@t2s/pipeline/testing';
import { closeStageQueues, createRedisConnection, createStageQueues, type StageQueues } from '@t2s/queue';
import type { DefaultJobOptions } from 'bullmq';
import type { RedisConnection } from '@t2s/queue';

export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Two quick attempts: a retry test takes milliseconds, not the production 1+2+4+8 s. */
export const FAST_JOB_OPTIONS: DefaultJobOptions = { attempts: 2, backoff: { type: 'fixed', delay: 20 } };

/** The pipeline's own fixture (seeded warehouse, executor role, store, sandbox) with the baseline strategy (the bank's model). */
export async function openRuntimeFixture(clients = 200) {
  const fixture = await openPipelineFixture(clients);
  return {
    ...fixture,
    deps: (overrides: Partial<StageDeps> = {}): StageDeps =>
      fixture.deps(createBaselineStrategy({ modelName: 'bank' }), overrides),
  };
}

export type RuntimeFixture = Awaited<ReturnType<typeof openRuntimeFixture>>;

export interface QueueBed {
  prefix: string;
  connection: RedisConnection;
  queues: StageQueues;
  teardown(): Promise<void>;
}

/** A unique hash-tagged prefix per test, so parallel Jest workers and reruns never share jobs. */
export function openQueueBed(defaultJobOptions: DefaultJobOptions = FAST_JOB_OPTIONS): QueueBed {
  const prefix = `{t2s-test-${randomUUID().slice(0, 8)}}`;
  const connection = createRedisConnection(TEST_REDIS_URL, { forWorker: true });
  const queues = createStageQueues(connection, { prefix, defaultJobOptions });
  return {
    prefix,
    connection,
    queues,
    async teardown() {
      await Promise.all(STAGES.map((stage) => queues[stage].obliterate({ force: true })));
      await closeStageQueues(queues);
      await connection.quit();
    },
  };
}

/** A port nothing listens on: bound by the OS, then released. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}
