/**
 * Explain and portrait on a large warehouse, through the same library code the gateway runs
 * (`SegmentInsights` over `InsightWarehouses`: the catalog's guards, the executor role, the sandbox):
 *
 * - agreement: for each of the first N criteria cases that build a segment, explain is asked about
 *   random clients of the whole base and random members; a client is in the segment (the segment's
 *   query run in the sandbox) exactly when explain says every inclusion passes and no exclusion does;
 * - latency: each explain's and portrait view's time, p50 and p95. As in the service, the segment's side
 *   of the portrait is counted once with the result (reported on its own line, as execution time); a
 *   view that also counted the whole base (the first of the warehouse; then kept 10 minutes) too.
 *
 *   WAREHOUSE_URL=postgres://.../t2s_scale npm run bench:insights -- \
 *     [--cases eval/cases/bank] [--segments 5] [--clients 1000] [--members 200] [--portraits 5]
 *
 * The warehouse must hold the cases' schema (`t2s warehouse seed --clients 200000`). Exits 1 on any
 * disagreement, or when explain or portrait takes 1 s or more at p95.
 */
import { Client, Pool } from 'pg';
import { createBaselineStrategy } from '@t2s/baseline';
import { createCatalogCache, type Catalog } from '@t2s/catalog';
import { openWarehouse, quoteIdent } from '@t2s/db';
import { loadCases, type EvalCase } from '@t2s/evaluation';
import type { PipelineStrategy } from '@t2s/pipeline';
import { CriteriaCompiler, parseModelSource, PortraitBuilder } from '@t2s/semantic';
import { InsightWarehouses, SegmentInsights } from '@t2s/segment-service';
import type { SegmentRecord } from '@t2s/service-store';
import { MemoryAuditSink } from '@t2s/sql-sandbox';
import { progress } from '../command-runner';
import { executorUrl, grantExecutor } from '../executor-grant';

const P95_BAR_MS = 1_000;

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

/** A small deterministic PRNG (mulberry32), so a run samples the same clients. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample<T>(items: readonly T[], n: number, next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const caller = { id: 'bench', admin: true };

async function main(): Promise<void> {
  const casesDir = arg('--cases', 'eval/cases/bank');
  const segments = Number(arg('--segments', '5'));
  const clients = Number(arg('--clients', '1000'));
  const members = Number(arg('--members', '200'));
  const portraits = Number(arg('--portraits', '5'));
  const role = 't2s_executor';
  const warehouse = await openWarehouse({ onProgress: progress });
  const pool = new Pool({ connectionString: warehouse.url, max: 2 });
  const closers: (() => Promise<unknown>)[] = [() => warehouse.close(), () => pool.end()];
  try {
    const cases = loadCases(casesDir).filter((c) => c.criteria !== undefined);
    const schema = cases[0]?.warehouse;
    if (!schema) throw new Error(`No criteria cases in ${casesDir}`);
    const admin = new Client({ connectionString: warehouse.url });
    await admin.connect();
    await grantExecutor(admin, role, schema).finally(() => admin.end());
    const catalogs = createCatalogCache({ pool, schemas: [schema], onWarning: progress });
    const warehouses = new InsightWarehouses({
      catalogs,
      executorUrl: executorUrl(process.env, warehouse.url, role),
      audit: new MemoryAuditSink(),
      statementTimeoutMs: 60_000,
      maxCost: 1e11,
    });
    closers.push(() => warehouses.close());
    const strategy = createBaselineStrategy({ modelSource: parseModelSource(process.env['T2S_MODEL']) });
    const catalog = await catalogs(schema);
    const { model, sandbox } = await warehouses.warehouse(schema);
    const { rows: base } = await pool.query<{ id: string }>(
      `select ${quoteIdent(model.entity.id)}::text as id from ${quoteIdent(schema)}.${quoteIdent(model.entity.table)}`,
    );
    const baseIds = base.map((r) => r.id);
    progress(`${schema}: ${baseIds.length} clients`);

    let current: SegmentRecord | undefined;
    const insights = new SegmentInsights({
      segment: async () => current as SegmentRecord,
      warehouse: (name) => warehouses.warehouse(name),
    });
    const bases = new Set<string>();
    const coldMs: number[] = [];
    const atExecutionMs: number[] = [];
    const explainMs: number[] = [];
    const portraitMs: number[] = [];
    let checked = 0;
    let disagreements = 0;
    let used = 0;
    for (const evalCase of cases) {
      if (used >= segments) break;
      const segment = await buildSegment(evalCase, strategy, catalog);
      if (!segment) continue;
      const ids = new Set<string>();
      const result = await sandbox.execute(segment.sql as string, {
        context: { origin: 'generated' },
        onIds: async (batch) => void batch.forEach((id) => ids.add(id)),
      });
      if (!result.ok || ids.size === 0) continue;
      used++;
      // As the execution stage does: the segment's side of its portrait counted with the result.
      const counting = new PortraitBuilder(model, new CriteriaCompiler(model)).counts(segment.sql as string);
      const rows: string[] = [];
      const counted = await sandbox.execute(counting.sql, {
        context: { origin: 'generated', output: 'counts' },
        onIds: async (values) => void rows.push(...values),
      });
      if (!counted.ok) throw new Error(`${evalCase.id}: the portrait count failed: ${counted.message}`);
      atExecutionMs.push(counted.durationMs);
      current = { ...segment, portrait: counting.read(rows) };
      const next = random(used);
      const asked = [...sample(baseIds, clients, next), ...sample([...ids], members, next)];
      let wrong = 0;
      for (const clientId of asked) {
        const explained = await insights.explain(caller, segment.id, clientId, 'ru');
        explainMs.push(explained.durationMs);
        if (explained.member !== ids.has(clientId)) wrong++;
      }
      const own: number[] = [];
      for (let i = 0; i < portraits; i++) {
        const portrait = await insights.portrait(caller, segment.id, 'ru');
        own.push(portrait.durationMs);
        // The first portrait of a warehouse counts the whole base too; later ones reuse it for a while.
        if (bases.has(portrait.baseAt)) portraitMs.push(portrait.durationMs);
        else coldMs.push(portrait.durationMs);
        bases.add(portrait.baseAt);
      }
      checked += asked.length;
      disagreements += wrong;
      const inBase = asked.slice(0, clients).filter((id) => ids.has(id)).length;
      progress(
        `${evalCase.id}: ${segment.criteria?.items.length} criteria, ${ids.size} members; ` +
          `${asked.length} clients asked (${inBase} members among the ${clients} random), ${wrong} disagreements; ` +
          `the segment's query ${Math.round(result.durationMs)} ms, its portrait's count at execution ` +
          `${Math.round(counted.durationMs)} ms, its portrait views ${own.join(', ')} ms`,
      );
    }
    const line = (name: string, ms: number[]) =>
      `${name}: ${ms.length} calls, p50 ${percentile(ms, 50)} ms, p95 ${percentile(ms, 95)} ms, max ${Math.max(...ms)} ms`;
    console.log(`segments: ${used}; clients asked: ${checked}; disagreements: ${disagreements}`);
    console.log(line('explain', explainMs));
    console.log(line('portrait', portraitMs));
    console.log(line('portrait with the base counted (first of a warehouse)', coldMs));
    console.log(line("portrait's segment side counted at execution (not a view)", atExecutionMs));
    const missed =
      used < segments ||
      disagreements > 0 ||
      percentile(explainMs, 95) >= P95_BAR_MS ||
      percentile(portraitMs, 95) >= P95_BAR_MS;
    if (missed) {
      console.log('bar missed');
      process.exitCode = 1;
    }
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

/** A case's segment as the pipeline stores it: criteria, per-criterion SQL and the query; null if it builds none. */
async function buildSegment(
  evalCase: EvalCase,
  strategy: PipelineStrategy,
  catalog: Catalog,
): Promise<SegmentRecord | null> {
  try {
    const generated = await strategy.criteria.generate({
      offer: evalCase.offer,
      ...(evalCase.criteria === undefined ? {} : { criteriaText: evalCase.criteria }),
      catalog,
    });
    if (generated.criteria.length < 2) return null;
    const linked = await strategy.linking.link({ criteria: generated.criteria, catalog });
    const sql = await strategy.sql.generate({ criteria: generated.criteria, linked, catalog });
    if (!sql.perCriterion) return null;
    const revision = { id: 'r1', number: 1, kind: 'initial' as const };
    return {
      id: evalCase.id,
      apiKeyId: caller.id,
      options: { warehouse: evalCase.warehouse },
      currentRevisionId: revision.id,
      revisions: [revision],
      criteria: { text: evalCase.criteria ?? '', items: generated.criteria },
      criterionSql: sql.perCriterion,
      sql: sql.sql,
    } as unknown as SegmentRecord;
  } catch {
    return null;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
