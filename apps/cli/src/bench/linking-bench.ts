/**
 * Schema-linking benchmark (no model): the retrieval step's recall of the columns the gold SQL reads,
 * at several sizes, and the prompt tokens of the linked schema over the whole one.
 *
 *   npm run bench:linking                      # BIRD mini-dev: 500 questions (+ evidence), 11 databases
 *   WAREHOUSE_URL=postgres://.../t2s_eval npm run bench:linking -- --cases eval/cases
 *                                              # also our eval cases (bank and Berka must be loaded)
 *
 * BIRD_DIR overrides ../shared/datasets/bird-minidev.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { countTokens, createCatalogCache, TOKENIZER_NAME } from '@t2s/catalog';
import { openWarehouse } from '@t2s/db';
import { createBaselineStrategy, offerText } from '@t2s/baseline';
import { loadCases } from '@t2s/evaluation';
import {
  columnsOfSql,
  renderLinkedSchema,
  schemaFromCatalog,
  schemaFromSpider,
  SchemaLinker,
  type LinkSchema,
  type SpiderDatabase,
} from '@t2s/linking';
import { findSemanticModelFile } from '@t2s/semantic';
import { loadParser } from '@t2s/sql-guard';
import { progress } from '../command-runner';

const SIZES = [10, 20, 30];

interface Item {
  set: string;
  text: string;
  sql: string;
  schema: LinkSchema;
  linker: SchemaLinker;
}

interface Row {
  set: string;
  questions: number;
  recall: Map<number, number>;
  complete: Map<number, number>;
  columns: Map<number, number>;
  tokenShare: Map<number, number>;
}

async function score(set: string, items: Item[]): Promise<Row> {
  const recall = new Map<number, number[]>();
  const complete = new Map<number, number[]>();
  const columns = new Map<number, number[]>();
  const shares = new Map<number, number[]>();
  const fullTokens = new Map<LinkSchema, number>();
  let questions = 0;
  for (const item of items) {
    const gold = columnsOfSql(item.sql, item.schema);
    if (!gold || gold.length === 0) continue;
    questions++;
    if (!fullTokens.has(item.schema)) {
      fullTokens.set(item.schema, (await countTokens(renderLinkedSchema(item.schema))).tokens);
    }
    for (const k of SIZES) {
      const linked = item.linker.link(item.text, { columns: k });
      const found = new Set(linked.columns.map((c) => c.toLowerCase()));
      const hit = gold.filter((c) => found.has(c)).length;
      push(recall, k, hit / gold.length);
      push(complete, k, hit === gold.length ? 1 : 0);
      push(columns, k, linked.columns.length);
      const tokens = (await countTokens(renderLinkedSchema(item.schema, linked.columns))).tokens;
      push(shares, k, tokens / (fullTokens.get(item.schema) as number));
    }
  }
  return {
    set,
    questions,
    recall: means(recall),
    complete: means(complete),
    columns: means(columns),
    tokenShare: means(shares),
  };
}

function push(map: Map<number, number[]>, k: number, value: number): void {
  map.set(k, [...(map.get(k) ?? []), value]);
}

function means(map: Map<number, number[]>): Map<number, number> {
  return new Map([...map].map(([k, v]) => [k, v.reduce((a, b) => a + b, 0) / Math.max(1, v.length)]));
}

function birdItems(dir: string): Item[] {
  const dbs = JSON.parse(readFileSync(join(dir, 'dev_tables.json'), 'utf8')) as SpiderDatabase[];
  const linkers = new Map(
    dbs.map((db) => {
      const schema = schemaFromSpider(db);
      return [db.db_id, { schema, linker: new SchemaLinker(schema) }];
    }),
  );
  const questions = JSON.parse(readFileSync(join(dir, 'mini_dev_postgresql.json'), 'utf8')) as {
    db_id: string;
    question: string;
    evidence: string;
    SQL: string;
  }[];
  return questions.map((q) => {
    const { schema, linker } = linkers.get(q.db_id) as { schema: LinkSchema; linker: SchemaLinker };
    return { set: 'BIRD mini-dev', text: `${q.question} ${q.evidence}`, sql: q.SQL, schema, linker };
  });
}

async function caseItems(dir: string): Promise<{ items: Item[]; close: () => Promise<void> }> {
  const cases = loadCases(dir);
  const schemas = [...new Set(cases.map((c) => c.warehouse))];
  const warehouse = await openWarehouse({ onProgress: progress });
  const pool = new Pool({ connectionString: warehouse.url, max: 1 });
  const catalogs = createCatalogCache({ pool, schemas, onWarning: progress });
  const linkers = new Map<string, { schema: LinkSchema; linker: SchemaLinker }>();
  for (const name of schemas) {
    const schema = schemaFromCatalog(await catalogs(name), name, findSemanticModelFile(name));
    linkers.set(name, { schema, linker: new SchemaLinker(schema) });
  }
  // An offer is linked as the LLM strategy will link it: its words plus the readable criteria the
  // criteria step wrote for it (here the baseline's, standard exclusions included).
  const baseline = createBaselineStrategy();
  const items: Item[] = [];
  for (const c of cases) {
    const { schema, linker } = linkers.get(c.warehouse) as { schema: LinkSchema; linker: SchemaLinker };
    let text = c.criteria;
    if (text === undefined) {
      const generated = await baseline.criteria.generate({
        offer: c.offer,
        catalog: await catalogs(c.warehouse),
      });
      text = [offerText(c.offer), ...generated.criteria.map((g) => g.text)].join('. ');
    }
    const set = `our ${c.warehouse}, ${c.criteria === undefined ? 'offers (+ their criteria)' : 'criteria text'}`;
    items.push({ set, text, sql: c.target.sql, schema, linker });
  }
  return {
    items,
    close: async () => {
      await pool.end();
      await warehouse.close();
    },
  };
}

async function main(): Promise<void> {
  await loadParser();
  const birdDir =
    process.env.BIRD_DIR ?? resolve(__dirname, '../../../../..', 'shared/datasets/bird-minidev');
  const rows: Row[] = [await score('BIRD mini-dev', birdItems(birdDir))];
  const casesArg = process.argv.indexOf('--cases');
  if (casesArg >= 0) {
    const { items, close } = await caseItems(process.argv[casesArg + 1] as string);
    try {
      for (const set of [...new Set(items.map((i) => i.set))]) {
        rows.push(
          await score(
            set,
            items.filter((i) => i.set === set),
          ),
        );
      }
    } finally {
      await close();
    }
  }
  const pct = (x: number | undefined) => `${((x ?? 0) * 100).toFixed(1)}%`;
  console.log(`retrieval (BM25 over column words) + join keys; tokens by ${TOKENIZER_NAME}`);
  console.log(
    '| set | questions | k | column recall | all gold columns found | columns kept | prompt tokens vs whole schema |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) {
    for (const k of SIZES) {
      console.log(
        `| ${row.set} | ${row.questions} | ${k} | ${pct(row.recall.get(k))} | ${pct(row.complete.get(k))} | ${(row.columns.get(k) ?? 0).toFixed(1)} | ${pct(row.tokenShare.get(k))} |`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
