/**
 * The raw BullMQ floor for `bench:load`: what the same chain of queue hops costs with nothing else in it.
 * Five queues named like the service's (criteria, linking, sql, execution, webhook), one worker process
 * per queue as the service runs them, each a no-op that adds the next queue's job; the bench adds the
 * first job, at the same rate and count as the segments, on the same Redis. A segment makes the same five
 * hops (the gateway adds criteria, each stage adds the next, execution adds the webhook delivery), so
 * the service's orchestration overhead divided by this is what our code adds on top of BullMQ.
 *
 * The workers use the service's connection (`createRedisConnection(url, { forWorker: true })`, one per
 * process, shared by the Worker and its Queue), job options (DEFAULT_STAGE_JOB_OPTIONS, ids from the
 * step), concurrency and lock settings. Each hop's end is stamped in the worker on the epoch clock
 * (`performance.timeOrigin + performance.now()`, the same in every process of one machine), so the bench's
 * own completion listener adds nothing to the figure.
 *
 * As an entry (started by `runBullMqFloor`, one per queue):
 *   node --import tsx apps/cli/src/bench/bullmq-floor.ts <queue> <next queue or -> <prefix> <concurrency> <lockMs>
 */
import { readFileSync } from 'node:fs';
import { QueueEvents, Queue, Worker } from 'bullmq';
import { startTsProcess, stopService, waitForOutput, type ChildService } from '@t2s/process';
import { createRedisConnection, DEFAULT_STAGE_JOB_OPTIONS } from '@t2s/queue';

const QUEUES = ['criteria', 'linking', 'sql', 'execution', 'webhook'] as const;

interface HopJob {
  id: number;
}

/** Epoch milliseconds with sub-millisecond resolution, comparable across processes of one machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

export interface FloorOptions {
  redisUrl: string;
  /** A throw-away, hash-tagged prefix; its keys are the caller's to delete. */
  prefix: string;
  runs: number;
  /** Runs started per second (an open loop, as the segments are sent). */
  rate: number;
  concurrency: number;
  lockMs: number;
  env?: Record<string, string>;
}

export interface FloorResult {
  /** Per run, ms from adding the first job to the last queue's no-op starting. */
  latencies: number[];
  /** Per worker process: name, peak RSS (VmHWM) and RSS now, in MB. */
  rss: [string, number, number][];
}

/** Starts the five no-op worker processes, runs `runs` chains through them, stops them. */
export async function runBullMqFloor(options: FloorOptions): Promise<FloorResult> {
  const processes: ChildService[] = [];
  const connection = createRedisConnection(options.redisUrl, { forWorker: true });
  const first = new Queue<HopJob>(QUEUES[0], {
    connection,
    prefix: options.prefix,
    defaultJobOptions: DEFAULT_STAGE_JOB_OPTIONS,
  });
  const last = QUEUES[QUEUES.length - 1] as string;
  // QueueEvents blocks on its stream: a connection of its own.
  const eventsConnection = createRedisConnection(options.redisUrl, { forWorker: true });
  const events = new QueueEvents(last, { connection: eventsConnection, prefix: options.prefix });
  try {
    for (const [i, queue] of QUEUES.entries()) {
      const next = QUEUES[i + 1] ?? '-';
      const child = startTsProcess(`floor:${queue}`, __filename, {
        env: {
          ...options.env,
          FLOOR_ARGS: [queue, next, options.prefix, options.concurrency, options.lockMs].join(' '),
          REDIS_URL: options.redisUrl,
        },
      });
      processes.push(child);
    }
    await Promise.all(processes.map((p) => waitForOutput(p, /^floor ready/m, 60_000)));
    await events.waitUntilReady();

    const ends = new Map<string, number>();
    let settle!: () => void;
    const all = new Promise<void>((resolve) => (settle = resolve));
    events.on('completed', ({ jobId, returnvalue }) => {
      ends.set(jobId, Number(returnvalue));
      if (ends.size === options.runs) settle();
    });
    const sent: number[] = [];
    const start = performance.now();
    for (let i = 0; i < options.runs; i++) {
      const wait = start + (i * 1000) / options.rate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      sent[i] = epochNow();
      await first.add('hop', { id: i }, { jobId: `${QUEUES[0]}.${i}` });
    }
    await withTimeout(all, 120_000, `the floor's ${options.runs} runs did not finish`);
    const latencies = sent.map((at, i) => (ends.get(`${last}.${i}`) as number) - at);
    return { latencies, rss: processes.map((p) => [p.name, ...rssOf(p.child.pid as number)]) };
  } finally {
    await Promise.allSettled(processes.map((p) => stopService(p, 10_000)));
    await events.close();
    await first.close();
    await connection.quit();
    await eventsConnection.quit();
  }
}

function rssOf(pid: number): [number, number] {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) / 1024;
  return [mb('VmHWM'), mb('VmRSS')];
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One no-op hop worker: takes a job, adds the next queue's (same id scheme), returns its start time. */
async function serveHop(args: string): Promise<void> {
  const [queue, next, prefix, concurrency, lockMs] = args.split(' ') as [
    string,
    string,
    string,
    string,
    string,
  ];
  const connection = createRedisConnection(process.env['REDIS_URL'] as string, {
    forWorker: true,
    connectionName: `t2s-floor-${queue}`,
  });
  const nextQueue =
    next === '-'
      ? undefined
      : new Queue<HopJob>(next, { connection, prefix, defaultJobOptions: DEFAULT_STAGE_JOB_OPTIONS });
  const worker = new Worker<HopJob, number>(
    queue,
    async (job) => {
      const at = epochNow();
      if (nextQueue) await nextQueue.add('hop', job.data, { jobId: `${next}.${job.data.id}` });
      return at;
    },
    {
      connection,
      prefix,
      concurrency: Number(concurrency),
      lockDuration: Number(lockMs),
      stalledInterval: Number(lockMs),
      autorun: false,
    },
  );
  worker.on('error', (error) => console.error(`floor ${queue}:`, error));
  void worker.run();
  await worker.waitUntilReady();
  console.log(`floor ready ${queue}`);
  const stop = async () => {
    await worker.close();
    await nextQueue?.close();
    await connection.quit();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

// Only the worker processes are started with FLOOR_ARGS; `bench:load` imports this file without it.
if (process.env['FLOOR_ARGS']) {
  serveHop(process.env['FLOOR_ARGS']).catch((error: unknown) => {
    console.error('floor: failed to start', error);
    process.exit(1);
  });
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/**
 * Prints the floor's two runs and the service's overhead as a multiple of it at p50 and p99 (against
 * both runs pooled, and against each run: the spread is the noise of the machine meanwhile).
 */
export function printFloor(overhead: readonly number[], before: FloorResult, after: FloorResult): void {
  const fine = (values: readonly number[]) =>
    [0.5, 0.95, 0.99].map((q) => `p${q * 100} ${quantile(values, q).toFixed(1)} ms`).join(', ');
  console.log('raw BullMQ floor (5 no-op hops, one process per queue, same Redis and rate):');
  console.log(`  before the segments: ${fine(before.latencies)}`);
  console.log(`  after the segments:  ${fine(after.latencies)}`);
  const both = [...before.latencies, ...after.latencies];
  for (const [q, aim] of [
    [0.5, 4],
    [0.99, 6],
  ] as const) {
    const service = quantile(overhead, q);
    const floor = quantile(both, q);
    const each = [before, after].map((r) => (service / quantile(r.latencies, q)).toFixed(1)).join(' and ');
    console.log(
      `  overhead / floor at p${q * 100}: ${service.toFixed(1)} / ${floor.toFixed(1)} ms = ` +
        `${(service / floor).toFixed(1)}x (${each}x against each run; aim ≤ ${aim}x)`,
    );
  }
  const peak = Math.max(...[...before.rss, ...after.rss].map(([, mb]) => mb));
  console.log(`  the floor's processes peaked at ${peak.toFixed(0)} MB RSS`);
}
