/**
 * Orchestration overhead per segment: the time a run spends outside the strategies and outside SQL
 * execution (queue hops, job bookkeeping, service-database reads and writes, storing the ids, the
 * webhook hand-off), over many segments run one at a time, with the real BullMQ queues on the local Redis
 * and the real PostgreSQL. Prints p50/p90/p99 in one run, so the parts compare on the same machine state.
 *
 *   npm run bench:orchestration -- [segments=200] [clients=2000]
 *
 * Uses the tests' PostgreSQL (TEST_DATABASE_URL, else 127.0.0.1:5432/test) in throw-away schemas, and
 * REDIS_URL (else 127.0.0.1:6379) under a throw-away queue prefix. The workers run in this process so the
 * strategy and the sandbox can be timed; in production each stage is its own process, which adds nothing
 * to a hop (every hop already goes through Redis and PostgreSQL).
 */
import { randomUUID } from 'node:crypto';
import { segmentRequestSchema, STAGES } from '@t2s/contracts';
import { createBaselineStrategy } from '@t2s/baseline';
import type { PipelineStrategy } from '@t2s/pipeline';
import { openPipelineFixture } from '@t2s/pipeline/testing';
import { startPipelineWorkers } from '@t2s/pipeline-runtime';
import { closeStageQueues, createRedisConnection, createStageQueues, enqueueSegment } from '@t2s/queue';
import { SegmentService } from '@t2s/segment-service';
import type { SandboxExecutor } from '@t2s/sql-sandbox';
import { progress } from '../command-runner';

const WARMUP = 10;

interface Sample {
  total: number;
  strategy: number;
  sql: number;
  stages: number;
}

async function main(): Promise<void> {
  const [segments = 200, clients = 2000] = process.argv.slice(2).map(Number);
  if (!Number.isInteger(segments) || segments < 1 || !Number.isInteger(clients) || clients < 1) {
    throw new Error('usage: npm run bench:orchestration -- [segments] [clients]');
  }
  progress(`seeding ${clients} clients into a throw-away warehouse schema`);
  const fixture = await openPipelineFixture(clients);
  const redis = createRedisConnection(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', {
    forWorker: true,
  });
  const prefix = `{t2s-bench-${randomUUID().slice(0, 8)}}`;
  const queues = createStageQueues(redis, { prefix });

  // Time inside the strategy and inside SQL execution; one segment runs at a time, so a running sum is exact.
  const spent = { strategy: 0, sql: 0 };
  const strategy = timedStrategy(createBaselineStrategy({ modelName: 'bank' }), spent);
  const sandbox = timedSandbox(fixture.openSandbox(), spent);
  const finished = new Map<string, () => void>();
  const workers = startPipelineWorkers({
    stages: STAGES,
    connection: redis,
    prefix,
    deps: fixture.deps(strategy, { sandbox }),
    onRunFinished: async ({ segmentId }) => finished.get(segmentId)?.(),
  });
  const service = new SegmentService({
    segments: fixture.store.segments,
    members: fixture.store.members,
    idempotency: fixture.store.idempotency,
    approvals: fixture.store.approvals,
    list: fixture.store.segmentList,
    startRun: (run) => enqueueSegment(queues, run),
  });
  const caller = { id: fixture.apiKeyId };
  const request = segmentRequestSchema.parse({
    offer: { product: { type: 'credit_card' }, title: 'Молодёжная кредитная карта', channel: 'PUSH' },
  });

  const samples: Sample[] = [];
  try {
    for (let i = 0; i < WARMUP + segments; i++) {
      spent.strategy = 0;
      spent.sql = 0;
      const started = performance.now();
      let done!: () => void;
      const ran = new Promise<void>((resolve) => (done = resolve));
      const { accepted } = await service.create(caller, request);
      finished.set(accepted.id, done);
      await ran;
      const total = performance.now() - started;
      finished.delete(accepted.id);
      const segment = await fixture.store.segments.findById(accepted.id);
      if (segment?.status !== 'succeeded') throw new Error(`segment ${accepted.id} ended ${segment?.status}`);
      const stages = segment.stageRuns.reduce((sum, run) => sum + (run.durationMs ?? 0), 0);
      if (i >= WARMUP) samples.push({ total, strategy: spent.strategy, sql: spent.sql, stages });
    }
  } finally {
    await workers.close();
    await closeStageQueues(queues);
    await redis.quit();
    await fixture.close();
  }

  const overhead = samples.map((s) => s.total - s.strategy - s.sql);
  const rows: [string, number[]][] = [
    ['end to end (create -> finished)', samples.map((s) => s.total)],
    ['  in strategies', samples.map((s) => s.strategy)],
    ['  in SQL execution', samples.map((s) => s.sql)],
    ['  orchestration overhead', overhead],
    ['    of which between stages (queue hops)', samples.map((s) => s.total - s.stages)],
    ['    of which inside stages (store I/O, ids)', samples.map((s) => s.stages - s.strategy - s.sql)],
  ];
  process.stdout.write(`${segments} segments, one at a time, ${clients} clients (ms):\n`);
  process.stdout.write(
    `${'part'.padEnd(46)}${['p50', 'p90', 'p99', 'max'].map((h) => h.padStart(9)).join('')}\n`,
  );
  for (const [name, values] of rows) {
    const sorted = [...values].sort((a, b) => a - b);
    const cells = [0.5, 0.9, 0.99, 1].map((q) => quantile(sorted, q).toFixed(1).padStart(9));
    process.stdout.write(`${name.padEnd(46)}${cells.join('')}\n`);
  }
  const share = overhead.reduce((a, b) => a + b, 0) / samples.reduce((a, s) => a + s.total, 0);
  process.stdout.write(`overhead share of end-to-end time: ${(share * 100).toFixed(1)}%\n`);
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

function timedStrategy(inner: PipelineStrategy, spent: { strategy: number }): PipelineStrategy {
  const time = async <T>(run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      spent.strategy += performance.now() - started;
    }
  };
  return {
    name: inner.name,
    criteria: { generate: (input) => time(() => inner.criteria.generate(input)) },
    linking: { link: (input) => time(() => inner.linking.link(input)) },
    sql: { generate: (input) => time(() => inner.sql.generate(input)) },
  };
}

/** SQL execution time: the sandbox's call minus the time its `onIds` callback spends storing ids. */
function timedSandbox(inner: SandboxExecutor, spent: { sql: number }): Pick<SandboxExecutor, 'execute'> {
  return {
    execute: async (sql, options) => {
      let storing = 0;
      const started = performance.now();
      try {
        return await inner.execute(sql, {
          ...options,
          onIds: async (ids) => {
            const t = performance.now();
            await options.onIds(ids);
            storing += performance.now() - t;
          },
        });
      } finally {
        spent.sql += performance.now() - started - storing;
      }
    },
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
