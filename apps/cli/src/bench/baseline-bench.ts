/**
 * The baseline on a large warehouse: for every case of the evaluation set that executes, the generated
 * SQL and the hand-written target run side by side (alternately, 3 times each, the median kept), so the
 * ratio compares them on the same machine state; plus the time of a whole baseline run (criteria,
 * linking, SQL and its execution in the sandbox). Both run with the report date written in, as the
 * execution stage runs them (`inlineReportDate`). The segment's counted pass (what the execution stage
 * runs: the same members and the funnel's counts in one query) is timed in the same rounds, and its
 * cost over the segment query alone is the funnel's.
 *
 *   WAREHOUSE_URL=postgres://.../t2s_bench npm run bench:baseline -- [--cases eval/cases/bank] [--rounds 3]
 *
 * `--no-target` (a scale run): each case's segment as the run executed it and its counted pass, once,
 * against the 5-minute limit, without the target.
 *
 * The warehouse must hold the cases' schemas (e.g. `t2s warehouse seed --clients 200000`).
 */
import { Pool } from 'pg';
import { createBaselineStrategy } from '@t2s/baseline';
import { createCatalogCache } from '@t2s/catalog';
import { openWarehouse, quoteIdent } from '@t2s/db';
import { loadCases, median } from '@t2s/evaluation';
import {
  countedSegmentSql,
  inlineReportDate,
  parseModelSource,
  reportDateSql,
  segmentEntity,
  segmentSql,
} from '@t2s/semantic';
import { progress } from '../command-runner';
import { openInProcessRunner } from '../service/in-process-runner';

const LIMIT_MS = 300_000;

/** Runs `sql` once; its time and the client ids it lists (rows whose first column is not NULL). */
async function timed(pool: Pool, schema: string, sql: string): Promise<{ ms: number; ids: number }> {
  const client = await pool.connect();
  try {
    await client.query('begin read only');
    await client.query(`set local search_path to ${quoteIdent(schema)}`);
    // R5: a segment has 5 minutes; a query past them counts as failed, not waited for.
    await client.query(`set local statement_timeout = ${LIMIT_MS}`);
    const started = performance.now();
    const { rows } = await client.query({ text: sql, rowMode: 'array' });
    const ms = performance.now() - started;
    return { ms, ids: (rows as unknown[][]).filter((row) => row[0] !== null).length };
  } finally {
    await client.query('rollback').catch(() => undefined);
    client.release();
  }
}

async function main(): Promise<void> {
  const arg = (name: string) => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const dir = arg('--cases') ?? 'eval/cases/bank';
  const withTarget = !process.argv.includes('--no-target');
  const ROUNDS = withTarget ? Number(arg('--rounds') ?? 3) : 1;
  const cases = loadCases(dir);
  const schemas = [...new Set(cases.map((c) => c.warehouse))];
  const warehouse = await openWarehouse({ onProgress: progress });
  const pool = new Pool({ connectionString: warehouse.url, max: 2 });
  const closers: (() => Promise<unknown>)[] = [() => warehouse.close(), () => pool.end()];
  try {
    const runner = await openInProcessRunner({
      strategy: 'baseline',
      warehouseUrl: warehouse.url,
      pool,
      schemas,
      executorRole: 't2s_executor',
      closers,
    });
    const catalogs = createCatalogCache({ pool, schemas, onWarning: progress });
    const models = createBaselineStrategy({ modelSource: parseModelSource(process.env['T2S_MODEL']) });
    const memory: string[] = [];
    for (const schema of schemas) memory.push(await catalogMemory(schema, catalogs, models));
    const runs: number[] = [];
    const ratios: { id: string; generated: number; target: number; counted?: number }[] = [];
    let failed = 0;
    const overLimit: string[] = [];
    for (const evalCase of cases) {
      const started = performance.now();
      const generated = await runner.run(evalCase);
      runs.push(performance.now() - started);
      if (!generated.ok) {
        failed++;
        progress(`${evalCase.id}: not executed (${generated.code})`);
        continue;
      }
      const model = models.modelFor(await catalogs(evalCase.warehouse));
      const entity = segmentEntity(model);
      const parts = generated.parts ?? [];
      // As the execution stage runs it: the report date written in, and the counted pass only for SQL
      // its parts make.
      const dateSql = reportDateSql(model);
      const date =
        dateSql === null
          ? null
          : ((await pool.query<{ report_date: string }>(dateSql)).rows[0]?.report_date ?? null);
      const segmentRun = inlineReportDate(generated.sql, model, date);
      if (dateSql !== null && segmentRun.includes(model.nowSql))
        throw new Error(`${evalCase.id}: the report date (${date}) was not written into the SQL`);
      const counted =
        parts.length > 0 && segmentSql(parts, entity) === generated.sql
          ? inlineReportDate(countedSegmentSql(parts, entity), model, date)
          : null;
      const [g, t, c]: [number[], number[], number[]] = [[], [], []];
      try {
        for (let round = 0; round < ROUNDS; round++) {
          // --no-target: the segment as the run executed it (in the sandbox), and its counted pass once.
          const segment = withTarget
            ? await timed(pool, evalCase.warehouse, segmentRun)
            : { ms: generated.sqlMs, ids: generated.ids.length };
          if (withTarget) t.push((await timed(pool, evalCase.warehouse, evalCase.target.sql)).ms);
          g.push(segment.ms);
          if (counted === null) continue;
          const pass = await timed(pool, evalCase.warehouse, counted);
          if (pass.ids !== segment.ids)
            throw new Error(
              `${evalCase.id}: the counted pass lists ${pass.ids} ids, the segment ${segment.ids}`,
            );
          c.push(pass.ms);
        }
      } catch (error) {
        overLimit.push(evalCase.id);
        progress(`${evalCase.id}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      ratios.push({
        id: evalCase.id,
        generated: median(g),
        target: median(t),
        ...(c.length > 0 ? { counted: median(c) } : {}),
      });
      const pass = c.length > 0 ? `, counted pass ${Math.round(median(c))} ms` : ', not counted';
      progress(
        `${evalCase.id}: generated ${Math.round(median(g))} ms${withTarget ? `, target ${Math.round(median(t))} ms` : ''}${pass}`,
      );
    }
    const passes = ratios.flatMap((x) => (x.counted === undefined ? [] : [x.counted]));
    const funnel = ratios
      .flatMap((x) => (x.counted === undefined ? [] : [x.counted / x.generated - 1]))
      .sort((a, b) => a - b);
    const fq = (p: number) =>
      funnel[Math.min(funnel.length - 1, Math.ceil(p * funnel.length) - 1)] ?? Number.NaN;
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    const r = ratios.map((x) => x.generated / x.target).sort((a, b) => a - b);
    const q = (p: number) => r[Math.min(r.length - 1, Math.ceil(p * r.length) - 1)] ?? Number.NaN;
    process.stdout.write(
      [
        `${cases.length} cases of ${dir}, ${ratios.length} executed (${failed} not), ${ROUNDS} alternating rounds each`,
        ...(withTarget
          ? [
              `generated / target SQL runtime: median ${median(r).toFixed(2)}x, p90 ${q(0.9).toFixed(2)}x, max ${q(1).toFixed(2)}x`,
            ]
          : []),
        `generated SQL median ${Math.round(median(ratios.map((x) => x.generated)))} ms, p95 ${Math.round(
          quantile(
            ratios.map((x) => x.generated),
            0.95,
          ),
        )} ms, max ${Math.round(Math.max(...ratios.map((x) => x.generated)))} ms${withTarget ? `; target SQL median ${Math.round(median(ratios.map((x) => x.target)))} ms` : ''}`,
        `counted pass (what the execution stage runs): median ${Math.round(median(passes))} ms, p95 ${Math.round(quantile(passes, 0.95))} ms, max ${Math.round(Math.max(...passes))} ms`,
        `funnel (counted pass over the segment query alone), ${funnel.length} cases: median +${pct(median(funnel))}, p90 +${pct(fq(0.9))}, max +${pct(fq(1))}`,
        ...memory,
        `queries past the ${LIMIT_MS / 60_000}-minute limit (or failing): ${overLimit.length}${overLimit.length ? ` (${overLimit.join(', ')})` : ''}`,
        `whole baseline run (criteria, linking, SQL, execution): median ${Math.round(median(runs))} ms, max ${Math.round(Math.max(...runs))} ms`,
        withTarget
          ? `slowest ratios: ${[...ratios]
              .sort((a, b) => b.generated / b.target - a.generated / a.target)
              .slice(0, 5)
              .map((x) => `${x.id} ${(x.generated / x.target).toFixed(1)}x`)
              .join(', ')}`
          : `slowest counted passes: ${[...ratios]
              .sort((a, b) => (b.counted ?? 0) - (a.counted ?? 0))
              .slice(0, 5)
              .map((x) => `${x.id} ${Math.round((x.counted ?? 0) / 1000)} s`)
              .join(', ')}`,
        '',
      ].join('\n'),
    );
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

/**
 * A warehouse's catalog (with its value index) and semantic model as loaded once per process: the time,
 * the heap they hold (measured around the load, after a collection when run with --expose-gc), and the
 * catalog's size as JSON and its indexed values.
 */
async function catalogMemory(
  schema: string,
  catalogs: ReturnType<typeof createCatalogCache>,
  models: ReturnType<typeof createBaselineStrategy>,
): Promise<string> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const catalog = await catalogs(schema);
  models.modelFor(catalog);
  const ms = performance.now() - started;
  gc?.();
  const held = process.memoryUsage().heapUsed - before;
  const columns = catalog.tables.flatMap((t) => t.columns);
  const values = columns.reduce((n, c) => n + (c.values?.length ?? 0), 0);
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
  return (
    `catalog and model of ${schema}: loaded in ${Math.round(ms)} ms; ${catalog.tables.length} tables, ` +
    `${columns.filter((c) => c.values).length} columns with ${values} indexed values; ` +
    `${mb(JSON.stringify(catalog).length)} MB as JSON; heap ${gc ? '' : '(no --expose-gc) '}+${mb(held)} MB`
  );
}

function quantile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
