import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createBaselineStrategy, offerText } from '@t2s/baseline';
import { createCatalogCache } from '@t2s/catalog';
import { openWarehouse } from '@t2s/db';
import { loadCases } from '@t2s/evaluation';
import { schemaFromCatalog, schemaFromSpider, type LinkSchema, type SpiderDatabase } from '@t2s/linking';
import { findSemanticModelFile } from '@t2s/semantic';
import { progress } from '../command-runner';

/** One text to link, the gold SQL whose columns it should find, and the schema it is linked over. */
export interface LinkingCase {
  set: string;
  text: string;
  sql: string;
  schema: LinkSchema;
}

/** BIRD mini-dev's 500 questions (with their evidence) over its 11 databases. */
export function birdLinkingCases(dir: string): LinkingCase[] {
  const dbs = JSON.parse(readFileSync(join(dir, 'dev_tables.json'), 'utf8')) as SpiderDatabase[];
  const schemas = new Map(dbs.map((db) => [db.db_id, schemaFromSpider(db)]));
  const questions = JSON.parse(readFileSync(join(dir, 'mini_dev_postgresql.json'), 'utf8')) as {
    db_id: string;
    question: string;
    evidence: string;
    SQL: string;
  }[];
  return questions.map((q) => ({
    set: 'BIRD mini-dev',
    text: `${q.question} ${q.evidence}`,
    sql: q.SQL,
    schema: schemas.get(q.db_id) as LinkSchema,
  }));
}

/**
 * Our eval cases over the warehouse (WAREHOUSE_URL; their schemas must be loaded), one set per
 * warehouse and kind. An offer is linked as the LLM strategy will link it: its words plus the readable
 * criteria the criteria step wrote for it (here the baseline's, standard exclusions included).
 */
export async function ownLinkingCases(dir: string): Promise<LinkingCase[]> {
  const cases = loadCases(dir);
  const names = [...new Set(cases.map((c) => c.warehouse))];
  const warehouse = await openWarehouse({ onProgress: progress });
  const pool = new Pool({ connectionString: warehouse.url, max: 1 });
  try {
    const catalogs = createCatalogCache({ pool, schemas: names, onWarning: progress });
    const schemas = new Map<string, LinkSchema>();
    for (const name of names)
      schemas.set(name, schemaFromCatalog(await catalogs(name), name, findSemanticModelFile(name)));
    const baseline = createBaselineStrategy();
    const linked: LinkingCase[] = [];
    for (const c of cases) {
      let text = c.criteria;
      if (text === undefined) {
        const generated = await baseline.criteria.generate({
          offer: c.offer,
          catalog: await catalogs(c.warehouse),
        });
        text = [offerText(c.offer), ...generated.criteria.map((g) => g.text)].join('. ');
      }
      const kind = c.criteria === undefined ? 'offers (+ their criteria)' : 'criteria text';
      linked.push({
        set: `our ${c.warehouse}, ${kind}`,
        text,
        sql: c.target.sql,
        schema: schemas.get(c.warehouse) as LinkSchema,
      });
    }
    return linked;
  } finally {
    await pool.end();
    await warehouse.close();
  }
}
