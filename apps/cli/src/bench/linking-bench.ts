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
import { resolve } from 'node:path';
import { countTokens, TOKENIZER_NAME } from '@t2s/catalog';
import { columnsOfSql, renderLinkedSchema, SchemaLinker, type LinkSchema } from '@t2s/linking';
import { loadParser } from '@t2s/sql-guard';
import { birdLinkingCases, ownLinkingCases, type LinkingCase } from './linking-cases';

const SIZES = [10, 20, 30];

interface Item extends LinkingCase {
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

/** Each case with the linker of its schema (one per schema). */
function withLinkers(cases: readonly LinkingCase[]): Item[] {
  const linkers = new Map<LinkSchema, SchemaLinker>();
  return cases.map((c) => {
    let linker = linkers.get(c.schema);
    if (!linker) linkers.set(c.schema, (linker = new SchemaLinker(c.schema)));
    return { ...c, linker };
  });
}

async function main(): Promise<void> {
  await loadParser();
  const birdDir =
    process.env.BIRD_DIR ?? resolve(__dirname, '../../../../..', 'shared/datasets/bird-minidev');
  const rows: Row[] = [await score('BIRD mini-dev', withLinkers(birdLinkingCases(birdDir)))];
  const casesArg = process.argv.indexOf('--cases');
  if (casesArg >= 0) {
    const items = withLinkers(await ownLinkingCases(process.argv[casesArg + 1] as string));
    for (const set of [...new Set(items.map((i) => i.set))]) {
      rows.push(
        await score(
          set,
          items.filter((i) => i.set === set),
        ),
      );
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
