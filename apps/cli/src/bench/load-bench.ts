/**
 * Load: segments through the running service as production runs it (the gateway and one worker process
 * per queue, real Redis and PostgreSQL, the baseline strategy), arriving at a fixed rate, each finished
 * when its webhook arrives. Then the gateway alone (workers stopped) under autocannon.
 *
 *   npm run bench:load -- [segments=200] [rate=20] [clients=2000] [concurrency=4]
 *
 * Prints throughput, end-to-end latency p50/p95/p99, the orchestration overhead per segment (end to end
 * less the time inside the strategies, stage_run.strategy_ms, and inside SQL, sql_audit.duration_ms),
 * each process's peak RSS (VmHWM), and the gateway's requests per second for GET and POST.
 * Also the raw BullMQ floor (bullmq-floor.ts: the same five hops as no-ops, one process per queue, same
 * Redis and rate), once before and once after the segments, and the overhead as a multiple of it.
 * Uses the tests' PostgreSQL in throw-away schemas and REDIS_URL under a throw-away prefix.
 */
import { readFileSync } from 'node:fs';
import { stopService } from '@t2s/process';
import { progress } from '../command-runner';
import { openServiceFixture, type ServiceFixture } from '../service/testing/service-fixture';
import { cannon } from './gateway-cannon';
import { printFloor, runBullMqFloor } from './bullmq-floor';

const WARMUP = 10;

interface Run {
  id: string;
  revisionId: string;
  sentAt: number;
  doneAt?: number;
}

async function main(): Promise<void> {
  const [segments = 200, rate = 20, clients = 2000, concurrency = 4] = process.argv.slice(2).map(Number);
  if (![segments, rate, clients, concurrency].every((n) => Number.isFinite(n) && n > 0)) {
    throw new Error(
      'usage: npm run bench:load -- [segments] [rate per second] [clients] [worker concurrency]',
    );
  }
  progress(`starting the service over ${clients} seeded clients (worker concurrency ${concurrency})`);
  const f = await openServiceFixture(clients, {
    WORKER_CONCURRENCY: String(concurrency),
    // The execution queue has its own setting; the bench's one client key is held to its default share
    // of it (EXECUTION_SLOTS_PER_KEY: concurrency - 1), as a lone co-marketer key would be.
    EXECUTION_CONCURRENCY: String(concurrency),
    WORKER_LOCK_MS: '30000',
    ...(process.env['BENCH_NODE_OPTIONS'] ? { NODE_OPTIONS: process.env['BENCH_NODE_OPTIONS'] } : {}),
  });
  try {
    progress(`warming up with ${WARMUP} segments`);
    for (let i = 0; i < WARMUP; i++) await finish(f, await send(f));

    // The raw BullMQ floor at the same rate, before and after the segments: the two runs show the noise.
    const floor = (when: string) => {
      progress(`the raw BullMQ floor ${when}: ${segments} chains of 5 no-op hops at ${rate}/s`);
      return runBullMqFloor({
        redisUrl: f.settings.redisUrl,
        prefix: `${f.prefix.slice(0, -1)}-floor-${when}}`,
        runs: segments,
        rate,
        concurrency,
        lockMs: 30_000,
        ...(process.env['BENCH_NODE_OPTIONS']
          ? { env: { NODE_OPTIONS: process.env['BENCH_NODE_OPTIONS'] } }
          : {}),
      });
    };
    const floorBefore = await floor('before');

    progress(`sending ${segments} segments at ${rate}/s`);
    const runs = await openLoop(f, segments, rate);
    const first = Math.min(...runs.map((r) => r.sentAt));
    const last = Math.max(...runs.map((r) => r.doneAt as number));
    const endToEnd = runs.map((r) => (r.doneAt as number) - r.sentAt);
    const inside = await insideTimes(
      f,
      runs.map((r) => r.id),
    );
    const overhead = runs.map((r, i) => (endToEnd[i] as number) - (inside.get(r.id)?.inside ?? 0));
    const bookkeeping = runs.map((r) => inside.get(r.id)?.bookkeeping ?? 0);
    const hops = overhead.map((o, i) => o - (bookkeeping[i] as number));
    const gaps = await hopTimes(
      f,
      runs.map((r) => r.id),
    );
    const rss = peakRss(f);
    const floorAfter = await floor('after');

    progress('stopping the workers: the gateway alone under autocannon');
    const workers = f.service.processes.filter((p) => p.name.startsWith('worker:'));
    await Promise.all(workers.map((w) => stopService(w, 35_000)));
    const gateway = { url: f.service.url, key: f.key };
    const get = await cannon(gateway, 'GET', `/v1/segments/${runs[0]?.id}`);
    const post = await cannon(gateway, 'POST', '/v1/segments', { body: JSON.stringify(f.request()) });

    console.log(
      `\nsegments: ${segments} at ${rate}/s offered, ${clients} clients, worker concurrency ${concurrency}`,
    );
    console.log(`throughput: ${((segments * 1000) / (last - first)).toFixed(1)} segments/s`);
    console.log(`end to end (POST to webhook received): ${quantiles(endToEnd)}`);
    console.log(`orchestration overhead (end to end less strategy and SQL time): ${quantiles(overhead)}`);
    console.log(`  of which inside the stage passes (reads, writes, storing ids): ${quantiles(bookkeeping)}`);
    console.log(
      `  of which between them (queue hops, the gateway, the webhook hand-off): ${quantiles(hops)}`,
    );
    for (const [hop, values] of gaps) console.log(`    ${hop.padEnd(34)} ${quantiles(values)}`);
    console.log(`  aim: p50 < 30 ms, p99 < 150 ms at 20 segments/s`);
    printFloor(overhead, floorBefore, floorAfter);
    console.log('RSS: peak (VmHWM), and now, after the load (VmRSS):');
    for (const [name, peak, now] of rss) {
      const over = name.startsWith('worker') && peak > 250 ? '  (peak over the 250 MB aim)' : '';
      console.log(`  ${name.padEnd(18)} ${peak.toFixed(0)} MB, now ${now.toFixed(0)} MB${over}`);
    }
    console.log(`gateway GET /v1/segments/{id}: ${get}`);
    console.log(`gateway POST /v1/segments: ${post}`);
    console.log('  aim: over 2,000 GET requests/s');
  } finally {
    await f.close();
  }
}

async function send(f: ServiceFixture): Promise<Run> {
  const sentAt = performance.now();
  const response = await f.api('POST', '/v1/segments', { body: f.request() });
  if (response.status !== 202)
    throw new Error(`POST /v1/segments answered ${response.status}: ${response.text}`);
  const accepted = response.json() as { id: string; revision: { id: string } };
  return { id: accepted.id, revisionId: accepted.revision.id, sentAt };
}

async function finish(f: ServiceFixture, run: Run): Promise<Run> {
  const delivery = await f.receiver.waitForRun(run.id, run.revisionId, 300_000);
  if (delivery.event.type !== 'segment.succeeded')
    throw new Error(`segment ${run.id} failed: ${delivery.rawBody}`);
  return { ...run, doneAt: delivery.receivedAt };
}

/** Sends at a fixed rate whatever the service's pace (an open loop, as a campaign wave arrives). */
async function openLoop(f: ServiceFixture, segments: number, rate: number): Promise<Run[]> {
  const start = performance.now();
  const finished: Promise<Run>[] = [];
  for (let i = 0; i < segments; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    finished.push(send(f).then((run) => finish(f, run)));
  }
  return Promise.all(finished);
}

/** Per segment: milliseconds inside the strategies plus inside the sandbox. */
/**
 * Per segment, in ms: time inside the strategies and inside the sandbox, and the stage passes' own
 * time (bookkeeping: reads, writes, storing ids) outside those two.
 */
async function insideTimes(
  f: ServiceFixture,
  ids: string[],
): Promise<Map<string, { inside: number; bookkeeping: number }>> {
  const schema = `"${f.settings.env?.['SERVICE_DATABASE_SCHEMA'] as string}"`;
  const { rows } = await f.pool.query<{ id: string; strategy: string; sql: string; stages: string }>(
    `select s.id,
       coalesce((select sum(r.strategy_ms) from ${schema}.stage_run r where r.segment_id = s.id), 0) as strategy,
       coalesce((select sum(a.duration_ms) from ${schema}.sql_audit a where a.segment_id = s.id::text), 0) as sql,
       coalesce((select sum(r.duration_ms) from ${schema}.stage_run r where r.segment_id = s.id), 0) as stages
     from ${schema}.segment s where s.id = any($1::uuid[])`,
    [ids],
  );
  return new Map(
    rows.map((r) => {
      const inside = Number(r.strategy) + Number(r.sql);
      return [r.id, { inside, bookkeeping: Number(r.stages) - inside }];
    }),
  );
}

/**
 * Each hop between the stage passes, from the service database's own timestamps: the segment's
 * creation to the criteria pass, each pass's end to the next one's start, and the execution's end to
 * the start of the first webhook attempt.
 */
async function hopTimes(f: ServiceFixture, ids: string[]): Promise<[string, number[]][]> {
  const schema = `"${f.settings.env?.['SERVICE_DATABASE_SCHEMA'] as string}"`;
  const { rows } = await f.pool.query<Record<string, number>>(
    `with r as (
       select s.id, s.created_at,
         (select min(x.started_at) from ${schema}.stage_run x where x.segment_id = s.id and x.stage = 'criteria') as c0,
         (select max(x.finished_at) from ${schema}.stage_run x where x.segment_id = s.id and x.stage = 'criteria') as c1,
         (select min(x.started_at) from ${schema}.stage_run x where x.segment_id = s.id and x.stage = 'linking') as l0,
         (select max(x.finished_at) from ${schema}.stage_run x where x.segment_id = s.id and x.stage = 'linking') as l1,
         (select min(x.started_at) from ${schema}.stage_run x where x.segment_id = s.id and x.stage = 'sql') as s0,
         (select max(x.finished_at) from ${schema}.stage_run x where x.segment_id = s.id and x.stage = 'sql') as s1,
         (select min(x.started_at) from ${schema}.stage_run x where x.segment_id = s.id and x.stage = 'execution') as e0,
         (select max(x.finished_at) from ${schema}.stage_run x where x.segment_id = s.id and x.stage = 'execution') as e1,
         (select min(d.delivered_at - make_interval(secs => d.duration_ms / 1000.0))
            from ${schema}.webhook_delivery d where d.segment_id = s.id) as w0
       from ${schema}.segment s where s.id = any($1::uuid[])
     )
     select extract(epoch from c0 - created_at) * 1000 as "created -> criteria",
       extract(epoch from l0 - c1) * 1000 as "criteria -> linking",
       extract(epoch from s0 - l1) * 1000 as "linking -> sql",
       extract(epoch from e0 - s1) * 1000 as "sql -> execution",
       extract(epoch from w0 - e1) * 1000 as "execution -> webhook attempt"
     from r`,
    [ids],
  );
  const hops = Object.keys(rows[0] ?? {});
  return hops.map((hop) => [hop, rows.map((row) => Number(row[hop]))]);
}

/** Peak and current resident memory of each service process, in MB, from /proc (Linux). */
function peakRss(f: ServiceFixture): [string, number, number][] {
  return f.service.processes.map((p) => {
    const status = readFileSync(`/proc/${p.child.pid}/status`, 'utf8');
    const mb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) / 1024;
    return [p.name, mb('VmHWM'), mb('VmRSS')];
  });
}

function quantiles(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return `p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
