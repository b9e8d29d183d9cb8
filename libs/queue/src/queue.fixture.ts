// Test helpers: a throwaway prefix per test on the development Redis, and event waits with timeouts.
import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { STAGES, type StageJobPayload } from '@t2s/contracts';
import type { RedisConnection } from './redis-connection';
import { createRedisConnection } from './redis-connection';
import { closeStageQueues, createStageQueues, type StageQueues } from './stage-queues';
import type { StageWorker } from './stage-worker';

export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface QueueTestBed {
  prefix: string;
  connection: RedisConnection;
  queues: StageQueues;
  workers: StageWorker[];
  teardown(): Promise<void>;
}

/** Fast backoff so retry tests take milliseconds; everything else as in production. */
export const FAST_JOB_OPTIONS = { backoff: { type: 'exponential', delay: 20 } } as const;

export function createQueueTestBed(): QueueTestBed {
  // A unique hash tag per test: parallel Jest workers and reruns never see each other's jobs.
  const prefix = `{t2s-test-${randomUUID().slice(0, 8)}}`;
  const connection = createRedisConnection(TEST_REDIS_URL, { forWorker: true });
  const queues = createStageQueues(connection, { prefix, defaultJobOptions: FAST_JOB_OPTIONS });
  const workers: StageWorker[] = [];
  return {
    prefix,
    connection,
    queues,
    workers,
    async teardown() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(STAGES.map((stage) => queues[stage].obliterate({ force: true })));
      await closeStageQueues(queues);
      await connection.quit();
    },
  };
}

export function stagePayload(overrides: Partial<StageJobPayload> = {}): StageJobPayload {
  return { v: 1, segmentId: randomUUID(), revisionId: randomUUID(), pass: 0, ...overrides };
}

/** Resolves with the arguments of the first `event` matching `accept`; rejects after `timeoutMs`. */
export function waitForEvent<A extends unknown[]>(
  emitter: EventEmitter,
  event: string,
  accept: (...args: A) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<A> {
  return new Promise<A>((resolve, reject) => {
    const listener = (...args: unknown[]) => {
      if (!accept(...(args as A))) return;
      cleanup();
      resolve(args as A);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no '${event}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      emitter.off(event, listener);
    };
    emitter.on(event, listener);
  });
}

/** A promise with its resolve exposed, to hold a handler until the test lets it go. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
