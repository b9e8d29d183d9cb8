// bench:precedent-coverage: how much of the analysts' SQL reads back into the criteria representation
// (`readCriteria` of @t2s/precedents), on the 101 eval targets and on BIRD's `financial` gold. For
// targets read whole, the criteria are compiled again and run next to the original: the share whose
// ids are the same is the reading's fidelity.
//
//   WAREHOUSE_URL=postgres://… npm run bench:precedent-coverage [-- --show]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createBaselineStrategy } from '@t2s/baseline';
import { createCatalogCache } from '@t2s/catalog';
import { openWarehouse, quoteIdent } from '@t2s/db';
import { loadCases } from '@t2s/evaluation';
import { isMapped, readCriteria } from '@t2s/precedents';
import { CriteriaCompiler } from '@t2s/semantic';
import { loadParser } from '@t2s/sql-guard';

const DATASETS = process.env['T2S_DATASETS'] ?? join(process.cwd(), '../shared/datasets');

async function main(): Promise<void> {
  const show = process.argv.includes('--show');
  const warehouse = await openWarehouse({ onProgress: () => undefined });
  const pool = new Pool({ connectionString: warehouse.url, max: 2 });
  try {
    await loadParser();
    const cases = loadCases('eval/cases');
    const catalogs = createCatalogCache({ pool, schemas: ['bank', 'berka'] });
    const baseline = createBaselineStrategy();
    const totals = { criteria: 0, mapped: 0, whole: 0, same: 0, ms: 0 };
    for (const c of cases) {
      const model = baseline.modelFor(await catalogs(c.warehouse));
      const t0 = performance.now();
      const read = readCriteria(c.target.sql, model);
      totals.ms += performance.now() - t0;
      const mapped = read.criteria.filter(isMapped);
      totals.criteria += read.criteria.length;
      totals.mapped += mapped.length;
      let fidelity = '';
      if (mapped.length === read.criteria.length) {
        totals.whole++;
        const sql = new CriteriaCompiler(model).segment(
          mapped.map((x, i) => ({ id: `p${i + 1}`, kind: x.kind, expr: x.expr })),
        );
        const j = await jaccard(pool, c.warehouse, sql, c.target.sql);
        if (j === 1) totals.same++;
        fidelity = ` round-trip jaccard ${j.toFixed(3)}`;
      }
      if (show || fidelity === '' || !fidelity.endsWith('1.000'))
        console.log(`${c.warehouse}/${c.id}: ${mapped.length}/${read.criteria.length}${fidelity}`);
      if (show)
        for (const x of read.criteria)
          console.log(
            `   ${x.kind} ${'expr' in x ? JSON.stringify(x.expr) : `SQL: ${x.sql.replace(/\s+/g, ' ').slice(0, 160)}`}`,
          );
    }
    console.log(
      `eval targets: ${cases.length}; criteria ${totals.criteria}, as representation ${totals.mapped} (${pct(totals.mapped, totals.criteria)}); ` +
        `read whole ${totals.whole}, same ids after compiling ${totals.same}; reading ${totals.ms.toFixed(0)} ms`,
    );
    // BIRD's `financial` gold is the Berka data asked other questions (most return no client ids).
    const bird = (
      JSON.parse(readFileSync(join(DATASETS, 'bird-minidev/mini_dev_postgresql.json'), 'utf8')) as {
        db_id: string;
        SQL: string;
      }[]
    ).filter((q) => q.db_id === 'financial');
    const berka = baseline.modelFor(await catalogs('berka'));
    const b = { criteria: 0, mapped: 0, whole: 0 };
    for (const q of bird) {
      const read = readCriteria(q.SQL, berka);
      const mapped = read.criteria.filter((x) => 'expr' in x).length;
      b.criteria += read.criteria.length;
      b.mapped += mapped;
      if (mapped === read.criteria.length) b.whole++;
    }
    console.log(
      `BIRD financial gold: ${bird.length} queries; criteria ${b.criteria}, as representation ${b.mapped} (${pct(b.mapped, b.criteria)}); read whole ${b.whole}`,
    );
  } finally {
    await pool.end();
    await warehouse.close();
  }
}

async function jaccard(pool: Pool, schema: string, a: string, b: string): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query(`set search_path to ${quoteIdent(schema)}`);
    const ids = async (sql: string) =>
      new Set((await client.query<{ client_id: string }>(sql)).rows.map((r) => String(r.client_id)));
    const [x, y] = [await ids(a), await ids(b)];
    const both = [...x].filter((id) => y.has(id)).length;
    const union = x.size + y.size - both;
    return union === 0 ? 1 : both / union;
  } finally {
    client.release();
  }
}

const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
