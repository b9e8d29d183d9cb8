// Test support (not exported): a throw-away BullMQ prefix on the local Redis, a local HTTP receiver
// that records what it got, segments brought to a finished state in a test store, and bounded waits.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { T2sError } from '@t2s/contracts';
import { createRedisConnection } from '@t2s/queue';
import { hashRequest, type SegmentRecord } from '@t2s/service-store';
import { segmentRequest, type TestStore } from '@t2s/service-store/testing';
import type { DefaultJobOptions } from 'bullmq';
import type { RedisConnection } from '@t2s/queue';
import { createWebhookQueue, type WebhookQueue } from '../webhook-queue';

export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Three quick attempts: a retry test takes milliseconds, not the production minutes. */
export const FAST_WEBHOOK_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 3,
  backoff: { type: 'fixed', delay: 20 },
};

export interface WebhookQueueBed {
  prefix: string;
  connection: RedisConnection;
  queue: WebhookQueue;
  teardown(): Promise<void>;
}

/** A unique hash-tagged prefix per test, so parallel Jest workers and reruns never share jobs. */
export function openWebhookQueueBed(defaultJobOptions = FAST_WEBHOOK_JOB_OPTIONS): WebhookQueueBed {
  const prefix = `{t2s-test-${randomUUID().slice(0, 8)}}`;
  const connection = createRedisConnection(TEST_REDIS_URL, { forWorker: true });
  const queue = createWebhookQueue(connection, { prefix, defaultJobOptions });
  return {
    prefix,
    connection,
    queue,
    async teardown() {
      await queue.obliterate({ force: true });
      await queue.close();
      await connection.quit();
    },
  };
}

export interface ReceivedRequest {
  method: string | undefined;
  path: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver answers to its n-th request (0 first); `hang` never answers. */
export type ReceiverAnswer = { status: number; headers?: Record<string, string> } | 'hang';

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Resolves once `count` requests have arrived; rejects after `timeoutMs`. */
  received(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** An HTTP server on a free loopback port. */
export async function startReceiver(answer: (index: number) => ReceiverAnswer): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const index = requests.length;
      requests.push({
        method: req.method,
        path: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      for (const wake of waiters) wake();
      const reply = answer(index);
      if (reply === 'hang') return;
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end('a body nobody should read');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');

  return {
    url: `http://127.0.0.1:${address.port}/hooks/t2s`,
    requests,
    received: (count, timeoutMs = 10_000) =>
      waitUntil(() => (requests.length >= count ? requests.slice(0, count) : undefined), waiters, timeoutMs),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function waitUntil<T>(check: () => T | undefined, waiters: Set<() => void>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const wake = () => {
      const value = check();
      if (value === undefined) return;
      done();
      resolve(value);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`condition not met within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      waiters.delete(wake);
    };
    waiters.add(wake);
    wake();
  });
}

/** A promise that the returned `push` resolves with the first value `accept` takes; rejects after `timeoutMs`. */
export function waitFor<T>(accept: (value: T) => boolean = () => true, timeoutMs = 10_000) {
  let push!: (value: T) => void;
  const promise = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing accepted within ${timeoutMs} ms`)), timeoutMs);
    push = (value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      resolve(value);
    };
  });
  return { promise, push };
}

export const SEGMENT_ERROR: T2sError = { code: 'EMPTY_SEGMENT', stage: 'execution', message: 'No clients' };

/** A new queued segment; `webhookUrl: null` makes one whose request gave no webhook. */
export async function queuedSegment(
  store: TestStore,
  apiKeyId: string,
  webhookUrl: string | null = 'https://co-marketer.example/hook',
): Promise<SegmentRecord> {
  const request = segmentRequest(webhookUrl === null ? {} : { webhook: { url: webhookUrl } });
  const created = await store.segments.createFromRequest({
    apiKeyId,
    requestHash: hashRequest(request),
    request,
  });
  return created.segment;
}

/** What the criteria stage of a `needs_review` run left unparsed, in `finishSegment`. */
export const PARTIAL_UNDERSTANDING = { coverage: 0.7, unparsed: ['любит котиков'] };

/**
 * Brings the segment's current revision to `failed`, or to `succeeded` (or `needs_review`, having left
 * PARTIAL_UNDERSTANDING unparsed) with `ids` as members.
 */
export async function finishSegment(
  store: TestStore,
  segment: SegmentRecord,
  outcome: 'succeeded' | 'needs_review' | 'failed',
  ids: readonly string[] = ['1', '2', '3'],
): Promise<SegmentRecord> {
  const { id, currentRevisionId: revisionId } = segment;
  if (outcome === 'failed') {
    if (!(await store.segments.fail(id, revisionId, SEGMENT_ERROR))) throw new Error('fail() refused');
  } else {
    if (outcome === 'needs_review') {
      const criteria = { text: 'возраст от 20 до 25 лет, любит котиков', items: [] };
      await store.segments.saveCriteria(id, revisionId, criteria, PARTIAL_UNDERSTANDING);
    }
    const runId = await store.members.beginRun(id, revisionId);
    if (runId === null) throw new Error('beginRun() refused');
    await store.members.appendIds(runId, ids);
    await store.members.completeRun(runId);
    if (!(await store.segments.succeed(id, revisionId, { status: outcome, sampleIds: ids.slice(0, 2) }))) {
      throw new Error('succeed() refused');
    }
  }
  const finished = await store.segments.findById(id);
  if (finished === null) throw new Error(`segment ${id} vanished`);
  return finished;
}
