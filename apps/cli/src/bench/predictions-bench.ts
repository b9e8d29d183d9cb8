/**
 * Real model output through our executor: BIRD mini-dev's recorded predictions of 9 models for the
 * `financial` questions (the Berka schema) whose gold SQL does not need the `trans` table we lack, each
 * through extraction, the SQL guard and the sandbox (executor role, read-only, timeout, cost cap), and
 * its result compared with the gold SQL's result as a set of rows (as BIRD scores it).
 *
 *   WAREHOUSE_URL=postgres://.../t2s_berka npm run t2s -- warehouse load-berka
 *   WAREHOUSE_URL=postgres://.../t2s_berka npm run bench:predictions
 *
 * The database must hold Berka as its only warehouse schema: BIRD's SQL names tables unqualified, and
 * the executor role's search path would find the demo bank's `loan` or `client` first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client, Pool } from 'pg';
import { createCatalogCache } from '@t2s/catalog';
import { openWarehouse } from '@t2s/db';
import { extractSql } from '@t2s/llm';
import { checkSql, loadSqlGuard, policyFromCatalog } from '@t2s/sql-guard';
import { MemoryAuditSink, SandboxExecutor } from '@t2s/sql-sandbox';
import { progress } from '../command-runner';
import { executorUrl, grantExecutor } from '../executor-grant';

const SCHEMA = 'berka';
const ROLE = 't2s_executor';

interface Question {
  question_id: number;
  db_id: string;
  SQL: string;
}

/** Rows as BIRD compares them: a set of tuples, numbers rounded to 4 places. */
async function rowsOf(
  sandbox: SandboxExecutor,
  sql: string,
): Promise<{ ok: true; rows: Set<string> } | { ok: false; code: string }> {
  const rows = new Set<string>();
  const result = await sandbox.execute(`select (q.*)::text from (\n${sql}\n) q`, {
    context: {},
    onIds: async (batch) => {
      for (const row of batch) rows.add(normalise(row));
    },
  });
  return result.ok ? { ok: true, rows } : { ok: false, code: result.code };
}

function normalise(row: string): string {
  return row.replace(/-?\d+\.\d+/g, (n) => String(Math.round(Number(n) * 10_000) / 10_000));
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((row) => b.has(row));
}

async function main(): Promise<void> {
  const birdDir =
    process.env.BIRD_DIR ?? resolve(__dirname, '../../../../..', 'shared/datasets/bird-minidev');
  const questions = (
    JSON.parse(readFileSync(join(birdDir, 'mini_dev_postgresql.json'), 'utf8')) as Question[]
  )
    .map((q, index) => ({ ...q, index }))
    .filter((q) => q.db_id === 'financial' && !/\btrans\b/i.test(q.SQL));
  const warehouse = await openWarehouse({ onProgress: progress });
  const admin = new Client({ connectionString: warehouse.url });
  await admin.connect();
  const pool = new Pool({ connectionString: warehouse.url, max: 1 });
  const sandboxes: SandboxExecutor[] = [];
  try {
    const others = await admin.query<{ n: string }>(
      `select count(*) as n from information_schema.tables
        where table_schema not in ('pg_catalog', 'information_schema', $1) and table_name in ('loan', 'client', 'account')`,
      [SCHEMA],
    );
    if (Number(others.rows[0]?.n) > 0) {
      throw new Error('the database holds other warehouse schemas; load Berka alone into its own database');
    }
    await grantExecutor(admin, ROLE, SCHEMA);
    await loadSqlGuard();
    const catalog = await createCatalogCache({ pool, schemas: [SCHEMA], onWarning: progress })(SCHEMA);
    const anyShape = policyFromCatalog(catalog, { outputColumns: null });
    const wrapped = policyFromCatalog(catalog);
    const sandbox = new SandboxExecutor({
      warehouseUrl: executorUrl(process.env, warehouse.url, ROLE),
      guard: (sql) => checkSql(sql, wrapped),
      statementTimeoutMs: 30_000,
      maxCost: 1e9,
      audit: new MemoryAuditSink(),
      poolSize: 1,
    });
    sandboxes.push(sandbox);

    const gold = new Map<number, Set<string>>();
    for (const q of questions) {
      const result = await rowsOf(sandbox, q.SQL.trim().replace(/;\s*$/, ''));
      if (result.ok) gold.set(q.index, result.rows);
      else progress(`gold SQL of question ${q.question_id} does not run here (${result.code}); not scored`);
    }
    const folder = join(birdDir, 'predictions');
    console.log(
      `${questions.length} financial questions without trans; ${gold.size} whose gold SQL runs on our Berka warehouse`,
    );
    console.log('| model | extracted | accepted by the guard | executed | result equal to gold |');
    console.log('|---|---|---|---|---|');
    for (const file of readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const answers = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Record<string, string>;
      let extracted = 0;
      let accepted = 0;
      let executed = 0;
      let equal = 0;
      for (const q of questions) {
        if (!gold.has(q.index)) continue;
        const raw = (answers[String(q.index)] ?? '').split('\t----- bird -----\t')[0] ?? '';
        const sql = extractSql(raw);
        if (!sql.ok) continue;
        extracted++;
        if (!checkSql(sql.sql, anyShape).ok) continue;
        accepted++;
        const result = await rowsOf(sandbox, sql.sql);
        if (!result.ok) continue;
        executed++;
        if (sameSet(result.rows, gold.get(q.index) as Set<string>)) equal++;
      }
      const pct = (n: number) => `${n}/${gold.size} (${((n / gold.size) * 100).toFixed(0)}%)`;
      const model = file.replace(/^predict_mini_dev_/, '').replace(/_postgresql\.json$/, '');
      console.log(`| ${model} | ${pct(extracted)} | ${pct(accepted)} | ${pct(executed)} | ${pct(equal)} |`);
    }
  } finally {
    await Promise.all(sandboxes.map((s) => s.close()));
    await pool.end();
    await admin.end();
    await warehouse.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
