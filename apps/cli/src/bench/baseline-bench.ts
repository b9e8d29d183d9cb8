/**
 * The baseline on a large warehouse: for every case of the evaluation set that executes, the generated
 * SQL and the hand-written target run side by side (alternately, 3 times each, the median kept), so the
 * ratio compares them on the same machine state; plus the time of a whole baseline run (criteria,
 * linking, SQL and its execution in the sandbox).
 *
 *   WAREHOUSE_URL=postgres://.../t2s_bench npm run bench:baseline -- [--cases eval/cases/bank]
 *
 * The warehouse must hold the cases' schemas (e.g. `t2s warehouse seed --clients 200000`).
 */
import { Pool } from 'pg';
import { openWarehouse, quoteIdent } from '@t2s/db';
import { loadCases, median } from '@t2s/evaluation';
import { progress } from '../command-runner';
import { openInProcessRunner } from '../service/in-process-runner';

const ROUNDS = 3;

async function timed(pool: Pool, schema: string, sql: string): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin read only');
    await client.query(`set local search_path to ${quoteIdent(schema)}`);
    const started = performance.now();
    await client.query(sql);
    return performance.now() - started;
  } finally {
    await client.query('rollback').catch(() => undefined);
    client.release();
  }
}

async function main(): Promise<void> {
  const casesArg = process.argv.indexOf('--cases');
  const dir = casesArg >= 0 ? (process.argv[casesArg + 1] as string) : 'eval/cases/bank';
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
    const runs: number[] = [];
    const ratios: { id: string; generated: number; target: number }[] = [];
    let failed = 0;
    for (const evalCase of cases) {
      const started = performance.now();
      const generated = await runner.run(evalCase);
      runs.push(performance.now() - started);
      if (!generated.ok) {
        failed++;
        progress(`${evalCase.id}: not executed (${generated.code})`);
        continue;
      }
      const g: number[] = [];
      const t: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        t.push(await timed(pool, evalCase.warehouse, evalCase.target.sql));
        g.push(await timed(pool, evalCase.warehouse, generated.sql));
      }
      ratios.push({ id: evalCase.id, generated: median(g), target: median(t) });
      progress(`${evalCase.id}: generated ${Math.round(median(g))} ms, target ${Math.round(median(t))} ms`);
    }
    const r = ratios.map((x) => x.generated / x.target).sort((a, b) => a - b);
    const q = (p: number) => r[Math.min(r.length - 1, Math.ceil(p * r.length) - 1)] ?? Number.NaN;
    process.stdout.write(
      [
        `${cases.length} cases of ${dir}, ${ratios.length} executed (${failed} not), ${ROUNDS} alternating rounds each`,
        `generated / target SQL runtime: median ${median(r).toFixed(2)}x, p90 ${q(0.9).toFixed(2)}x, max ${q(1).toFixed(2)}x`,
        `generated SQL median ${Math.round(median(ratios.map((x) => x.generated)))} ms; target SQL median ${Math.round(median(ratios.map((x) => x.target)))} ms`,
        `whole baseline run (criteria, linking, SQL, execution): median ${Math.round(median(runs))} ms, max ${Math.round(Math.max(...runs))} ms`,
        `slowest ratios: ${[...ratios]
          .sort((a, b) => b.generated / b.target - a.generated / a.target)
          .slice(0, 5)
          .map((x) => `${x.id} ${(x.generated / x.target).toFixed(1)}x`)
          .join(', ')}`,
        '',
      ].join('\n'),
    );
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
