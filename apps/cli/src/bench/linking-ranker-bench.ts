/**
 * Schema linking's ranker against maintained npm packages, on the cases of bench:linking: column recall
 * at 10, 20 and 30 retrieved columns and the time of one `link()` (its index built once per schema).
 * The packages are not the project's dependencies: install them in a scratch folder and point here.
 *
 *   npm install --prefix /tmp/bm25try minisearch wink-bm25-text-search okapibm25
 *   npx tsx apps/cli/src/bench/linking-ranker-bench.ts --from /tmp/bm25try
 *   WAREHOUSE_URL=postgres://.../t2s_eval npx tsx apps/cli/src/bench/linking-ranker-bench.ts \
 *     --from /tmp/bm25try --cases eval/cases       # also our eval cases (bank and Berka must be loaded)
 *
 * Without --from only the hand-written BM25 runs. BIRD_DIR overrides ../shared/datasets/bird-minidev.
 */
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Bm25, columnsOfSql, SchemaLinker, type LinkSchema, type WordIndexFactory } from '@t2s/linking';
import { loadParser } from '@t2s/sql-guard';
import { birdLinkingCases, ownLinkingCases } from './linking-cases';

const SIZES = [10, 20, 30];
/** Timed rounds over every query, the first a warm-up. */
const ROUNDS = 8;

interface Item {
  set: string;
  text: string;
  schema: LinkSchema;
  gold: string[];
}

interface Ranker {
  name: string;
  index: WordIndexFactory;
}

type Documents = Parameters<WordIndexFactory>[0];
type Hit = { id: string; score: number };

/** The candidates, loaded from the scratch folder `from` (their own typings are not needed). */
function candidates(from: string): Ranker[] {
  const load = createRequire(join(resolve(from), 'package.json'));
  type MiniSearchClass = new (options: object) => {
    addAll(docs: object[]): void;
    search(query: string, options?: object): Hit[];
  };
  const MiniSearch = load('minisearch') as MiniSearchClass;
  const minisearch =
    (bm25?: { k: number; b: number; d: number }): WordIndexFactory =>
    (documents) => {
      // The words are stems already: split on spaces, no further processing, exact terms only.
      const index = new MiniSearch({
        fields: ['words'],
        tokenize: (text: string) => text.split(' '),
        processTerm: (term: string) => term || null,
        searchOptions: { combineWith: 'OR', prefix: false, fuzzy: false, ...(bm25 ? { bm25 } : {}) },
      });
      index.addAll(documents.map((d) => ({ id: d.id, words: d.words.join(' ') })));
      return { search: (query) => index.search([...new Set(query)].join(' ')).map(hit) };
    };

  type WinkEngine = {
    defineConfig(config: object): void;
    definePrepTasks(tasks: ((input: string) => unknown)[]): void;
    addDoc(doc: object, id: string): void;
    consolidate(precision?: number): void;
    search(text: string, limit: number): [string, number][];
  };
  const wink = load('wink-bm25-text-search') as () => WinkEngine;
  const winkIndex: WordIndexFactory = (documents) => {
    // wink will not consolidate fewer than 3 documents (a 2-table schema's table index): BM25 takes those.
    if (documents.length < 3) return new Bm25(documents);
    const engine = wink();
    engine.defineConfig({ fldWeights: { words: 1 }, bm25Params: { k1: 1.2, b: 0.75, k: 1 } });
    engine.definePrepTasks([(text) => text.split(' ').filter(Boolean)]);
    documents.forEach((d) => engine.addDoc({ words: d.words.join(' ') }, d.id));
    engine.consolidate(9);
    return {
      search: (query) =>
        engine.search([...new Set(query)].join(' '), documents.length).map(([id, score]) => ({ id, score })),
    };
  };

  const okapi = (load('okapibm25') as { default: (docs: string[], keywords: string[]) => number[] }).default;
  const okapiIndex: WordIndexFactory = (documents) => {
    const texts = documents.map((d) => d.words.join(' '));
    return {
      search: (query) =>
        okapi(texts, [...new Set(query)])
          .map((score, i) => ({ id: (documents[i] as Documents[number]).id, score }))
          .filter((h) => h.score > 0)
          .sort((a, b) => b.score - a.score),
    };
  };

  return [
    { name: 'minisearch 7 (its defaults: BM25+, d 0.5, b 0.7)', index: minisearch() },
    { name: 'minisearch 7 (k1 1.2, b 0.75, d 0)', index: minisearch({ k: 1.2, b: 0.75, d: 0 }) },
    { name: 'wink-bm25-text-search 3 (k1 1.2, b 0.75)', index: winkIndex },
    { name: 'okapibm25 1', index: okapiIndex },
  ];
}

function hit(result: Hit): Hit {
  return { id: String(result.id), score: result.score };
}

interface Row {
  ranker: string;
  recall: number[];
  complete: number[];
  buildMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
}

/**
 * Recall, then time: every ranker links each query in turn, round after round, and a query's time is
 * its median over the rounds, so load from elsewhere on the machine falls on every ranker alike.
 */
function measure(items: Item[], rankers: Ranker[]): Row[] {
  const schemas = [...new Set(items.map((i) => i.schema))];
  const built = rankers.map(() => 0);
  const linkers = rankers.map((ranker, r) => {
    const bySchema = new Map<LinkSchema, SchemaLinker>();
    for (const schema of schemas) {
      const start = performance.now();
      bySchema.set(schema, new SchemaLinker(schema, ranker.index));
      built[r] = (built[r] as number) + performance.now() - start;
    }
    return (item: Item) => bySchema.get(item.schema) as SchemaLinker;
  });
  const rows = rankers.map((ranker, r) => {
    const recall = SIZES.map(() => 0);
    const complete = SIZES.map(() => 0);
    for (const item of items) {
      SIZES.forEach((k, i) => {
        const linked = (linkers[r] as (item: Item) => SchemaLinker)(item).link(item.text, { columns: k });
        const found = new Set(linked.columns.map((c) => c.toLowerCase()));
        const hits = item.gold.filter((c) => found.has(c)).length;
        recall[i] = (recall[i] as number) + hits / item.gold.length;
        complete[i] = (complete[i] as number) + (hits === item.gold.length ? 1 : 0);
      });
    }
    const n = Math.max(1, items.length);
    return { ranker: ranker.name, recall: recall.map((x) => x / n), complete: complete.map((x) => x / n) };
  });
  const times = rankers.map(() => items.map(() => [] as number[]));
  for (let round = 0; round < ROUNDS; round++) {
    items.forEach((item, q) => {
      linkers.forEach((linkerOf, r) => {
        const linker = linkerOf(item);
        const start = performance.now();
        linker.link(item.text);
        (times[r]?.[q] as number[]).push(performance.now() - start);
      });
    });
  }
  return rows.map((row, r) => {
    // The first round warms up.
    const perQuery = (times[r] as number[][]).map((t) => median(t.slice(1))).sort((a, b) => a - b);
    const at = (q: number) => perQuery[Math.min(perQuery.length - 1, Math.floor(q * perQuery.length))] ?? 0;
    return {
      ...row,
      buildMs: (built[r] as number) / Math.max(1, schemas.length),
      meanMs: perQuery.reduce((a, b) => a + b, 0) / Math.max(1, perQuery.length),
      p50Ms: at(0.5),
      p95Ms: at(0.95),
    };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** An item counts when its gold SQL reads columns the schema has. */
function item(set: string, text: string, sql: string, schema: LinkSchema): Item[] {
  const gold = columnsOfSql(sql, schema);
  return gold && gold.length > 0 ? [{ set, text, schema, gold }] : [];
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  await loadParser();
  const birdDir =
    process.env.BIRD_DIR ?? resolve(__dirname, '../../../../..', 'shared/datasets/bird-minidev');
  const cases = birdLinkingCases(birdDir);
  const casesDir = option('--cases');
  if (casesDir) cases.push(...(await ownLinkingCases(casesDir)));
  const items = cases.flatMap((c) => item(c.set, c.text, c.sql, c.schema));
  const from = option('--from');
  const rankers: Ranker[] = [
    { name: 'hand-written BM25 (k1 1.2, b 0.75)', index: (documents) => new Bm25(documents) },
    ...(from ? candidates(from) : []),
  ];
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const ms = (x: number) => x.toFixed(3);
  console.log(`column recall (all gold columns found) at k = ${SIZES.join(', ')}; link() time in ms`);
  console.log(
    `| set | questions | ranker | ${SIZES.map((k) => `recall@${k}`).join(' | ')} | index build per schema | link mean | p50 | p95 |`,
  );
  console.log(`|---|---|---|${SIZES.map(() => '---|').join('')}---|---|---|---|`);
  for (const set of [...new Set(items.map((i) => i.set))]) {
    const ofSet = items.filter((i) => i.set === set);
    for (const row of measure(ofSet, rankers)) {
      const recall = SIZES.map((_, i) => `${pct(row.recall[i] ?? 0)} (${pct(row.complete[i] ?? 0)})`);
      console.log(
        `| ${set} | ${ofSet.length} | ${row.ranker} | ${recall.join(' | ')} | ${ms(row.buildMs)} | ${ms(row.meanMs)} | ${ms(row.p50Ms)} | ${ms(row.p95Ms)} |`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
