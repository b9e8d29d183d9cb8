// Differential check of the criteria parser: every criteria and offer text the repository holds (eval
// cases of bank and berka, never eval/cases/unseen; the sample offers; string literals of the baseline's
// specs; BIRD mini-dev questions when present), their fragments alone and recombined in pairs, parsed on
// each warehouse's model, with and without `explicit`. `record` writes every `parse()` result as JSON
// lines; `compare` parses again and counts the texts whose result differs from a recording; `versus`
// parses with this parser and with a reference copy of another version's `criteria-parser.ts` in the
// same process (so both read the same semantic model and catalog code, whatever else changed). A
// refactor that must not change behaviour records before and compares after, or runs `versus` a copy of
// the code before it (`git archive <commit> libs/baseline/src | tar -x -C DIR`, and a `node_modules`
// link in DIR).
//
//   npx tsx libs/baseline/bench/parser-diff.ts record /tmp/parser-diff/before.jsonl
//   npx tsx libs/baseline/bench/parser-diff.ts compare /tmp/parser-diff/before.jsonl
//   npx tsx libs/baseline/bench/parser-diff.ts versus DIR/libs/baseline/src/criteria-parser.ts
//
// Models: the committed catalog snapshots (no database). With WAREHOUSE_URL set, the live catalogs of
// the `bank` and `berka` schemas too (the ones the eval runs on), introspected once and cached in the
// recording's directory so that `compare` reads the same catalogs as `record`.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { catalogSchema, findAnnotationsFor, introspectCatalog, type Catalog } from '@t2s/catalog';
import { loadCatalogSnapshot } from '@t2s/catalog/testing';
import { offerSchema, type Offer } from '@t2s/contracts';
import { findSemanticModelFile, SemanticModel } from '@t2s/semantic';
import { CriteriaParser, splitFragments } from '../src/criteria-parser';
import {
  audienceClauses,
  findOfferRules,
  offerText,
  readableOfferText,
  switchClauses,
} from '../src/offer-rules';

const ROOT = resolve(__dirname, '../../..');
const WAREHOUSES = ['bank', 'berka'] as const;

/** A deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function offerTexts(offer: Offer): string[] {
  const texts = [offerText(offer), readableOfferText(offer), offer.title];
  if (offer.description) texts.push(offer.description);
  texts.push(...(offer.conditions ?? []));
  for (const warehouse of WAREHOUSES) {
    const rules = findOfferRules(warehouse, join(ROOT, 'config/rules'));
    if (rules) texts.push(...audienceClauses(rules, offer), ...switchClauses(rules, offer));
  }
  return texts;
}

/** Eval cases of the two warehouses (not the held-out `unseen`) and the sample offers. */
function repositoryTexts(): string[] {
  const texts: string[] = [];
  for (const warehouse of WAREHOUSES) {
    const dir = join(ROOT, 'eval/cases', warehouse);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { criteria?: string; offer: unknown };
      if (c.criteria) texts.push(c.criteria);
      texts.push(...offerTexts(offerSchema.parse(c.offer)));
    }
  }
  const samples = JSON.parse(readFileSync(join(ROOT, 'eval/offers/sample-offers.json'), 'utf8')) as {
    request: { offer: unknown; criteria?: string };
  }[];
  for (const s of samples) {
    if (s.request.criteria) texts.push(s.request.criteria);
    const offer = offerSchema.safeParse(s.request.offer);
    if (offer.success) texts.push(...offerTexts(offer.data));
  }
  return texts;
}

/** String literals of the baseline's specs: their phrasing rows, and whatever else they quote. */
function specTexts(): string[] {
  const files = [
    ...readdirSync(join(ROOT, 'libs/baseline/src')).map((f) => join('libs/baseline/src', f)),
    ...readdirSync(join(ROOT, 'libs/baseline/src/text')).map((f) => join('libs/baseline/src/text', f)),
  ].filter((f) => f.endsWith('.spec.ts'));
  const texts: string[] = [];
  for (const file of files.sort()) {
    const source = readFileSync(join(ROOT, file), 'utf8');
    for (const m of source.matchAll(/'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\$]|\\.)*)`|"((?:[^"\\\n]|\\.)*)"/g)) {
      const raw = m[1] ?? m[2] ?? m[3] ?? '';
      let text: string;
      try {
        text = JSON.parse(
          `"${raw.replace(/\\'/g, "'").replace(/\\`/g, '`').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
        ) as string;
      } catch {
        text = raw;
      }
      if (/[a-zа-яё]{2}/i.test(text) && text.length >= 3) texts.push(text);
    }
  }
  return texts;
}

function birdTexts(): string[] {
  const file = join(ROOT, '../shared/datasets/bird-minidev/mini_dev_postgresql.json');
  if (!existsSync(file)) return [];
  const questions = JSON.parse(readFileSync(file, 'utf8')) as { question: string; evidence: string }[];
  return questions.flatMap((q) => [q.question, q.evidence]).filter((t) => t.trim().length > 0);
}

/** The texts, their fragments, and fragments recombined in pairs (within a text, and across texts). */
function corpus(): string[] {
  const base = [...repositoryTexts(), ...specTexts()];
  const all = new Set<string>([...base, ...birdTexts()]);
  const fragmentsOf = base.map((t) => splitFragments(t));
  const fragments = [...new Set(fragmentsOf.flat())];
  for (const f of fragments) all.add(f);
  for (const list of fragmentsOf) {
    const within = list.slice(0, 8);
    for (let i = 0; i < within.length; i++)
      for (let j = i + 1; j < within.length; j++) {
        all.add(`${within[i]}, ${within[j]}`);
        all.add(`${within[j]}. ${within[i]}`);
      }
  }
  const next = random(20261204);
  const joins = [', ', ' и ', ' and ', '; ', ' но ', ' but ', ' ', '\n'];
  for (let k = 0; k < 6000; k++) {
    const a = fragments[Math.floor(next() * fragments.length)] as string;
    const b = fragments[Math.floor(next() * fragments.length)] as string;
    all.add(`${a}${joins[Math.floor(next() * joins.length)] as string}${b}`);
  }
  return [...all];
}

async function liveCatalog(warehouse: string, dir: string): Promise<Catalog | undefined> {
  const cached = join(dir, `${warehouse}.live.catalog.json`);
  if (existsSync(cached)) return catalogSchema.parse(JSON.parse(readFileSync(cached, 'utf8')));
  const url = process.env.WAREHOUSE_URL;
  if (!url) return undefined;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const catalog = await introspectCatalog(client, {
      schemas: [warehouse],
      annotations: findAnnotationsFor(warehouse),
    });
    writeFileSync(cached, JSON.stringify(catalog));
    return catalog;
  } finally {
    await client.end();
  }
}

async function models(dir: string): Promise<{ name: string; model: SemanticModel }[]> {
  const out: { name: string; model: SemanticModel }[] = [];
  for (const warehouse of WAREHOUSES) {
    const file = findSemanticModelFile(warehouse, join(ROOT, 'config/warehouses'));
    if (!file) throw new Error(`no semantic model for ${warehouse}`);
    const schemaOf = (catalog: Catalog) => catalog.schemas[0] as string;
    const snapshot = loadCatalogSnapshot(warehouse);
    out.push({ name: `${warehouse}/snapshot`, model: new SemanticModel(file, snapshot, schemaOf(snapshot)) });
    const live = await liveCatalog(warehouse, dir);
    if (live) out.push({ name: `${warehouse}/live`, model: new SemanticModel(file, live, warehouse) });
  }
  return out;
}

interface Line {
  model: string;
  explicit: boolean;
  text: string;
  result: string;
}

interface Parser {
  parse(text: string, idPrefix: string, options: { explicit?: boolean }): unknown;
}
type ParserClass = new (model: SemanticModel) => Parser;

function run(
  texts: string[],
  list: { name: string; model: SemanticModel }[],
  each: (line: Line) => void,
  Class: ParserClass = CriteriaParser,
): void {
  for (const { name, model } of list) {
    const parser = new Class(model);
    for (const explicit of [false, true]) {
      for (const text of texts) {
        let result: string;
        try {
          result = JSON.stringify(parser.parse(text, 'c', { explicit }));
        } catch (error) {
          result = JSON.stringify({ error: (error as Error).message });
        }
        each({ model: name, explicit, text, result });
      }
    }
  }
}

async function main(): Promise<void> {
  const [mode, out] = process.argv.slice(2);
  if ((mode !== 'record' && mode !== 'compare' && mode !== 'versus') || !out) {
    throw new Error('usage: parser-diff.ts record|compare <file.jsonl> | versus <criteria-parser.ts>');
  }
  const dir = mode === 'versus' ? '/tmp/parser-diff' : dirname(resolve(out));
  mkdirSync(dir, { recursive: true });
  const texts = corpus();
  writeFileSync(join(dir, 'texts.json'), JSON.stringify(texts, null, 1));
  const list = await models(dir);
  const started = Date.now();
  if (mode === 'versus') {
    const reference = ((await import(resolve(out))) as { CriteriaParser: ParserClass }).CriteriaParser;
    const before: string[] = [];
    run(texts, list, (line) => before.push(line.result), reference);
    let i = 0;
    let same = 0;
    const differ: { line: Line; before: string }[] = [];
    run(texts, list, (line) => {
      const was = before[i++] as string;
      if (was === line.result) same++;
      else differ.push({ line, before: was });
    });
    for (const { line, before: was } of differ.slice(0, 20)) {
      console.log(`DIFF ${line.model} explicit=${line.explicit} ${JSON.stringify(line.text)}`);
      console.log(`  reference ${was}`);
      console.log(`  this      ${line.result}`);
    }
    console.log(
      `${same} identical, ${differ.length} different (${texts.length} texts x ${list.map((m) => m.name).join(', ')} x explicit no/yes) in ${Date.now() - started} ms`,
    );
    if (differ.length > 0) process.exitCode = 1;
    return;
  }
  const digest = createHash('sha256');
  if (mode === 'record') {
    const lines: string[] = [];
    run(texts, list, (line) => {
      lines.push(JSON.stringify(line));
      digest.update(line.result);
    });
    writeFileSync(out, `${lines.join('\n')}\n`);
    console.log(
      `recorded ${lines.length} parses (${texts.length} texts x ${list.map((m) => m.name).join(', ')} x explicit no/yes) in ${Date.now() - started} ms; sha256 ${digest.digest('hex')}`,
    );
    return;
  }
  const recorded = new Map<string, string>();
  for (const raw of readFileSync(out, 'utf8').split('\n')) {
    if (!raw) continue;
    const line = JSON.parse(raw) as Line;
    recorded.set(`${line.model}\u0000${line.explicit}\u0000${line.text}`, line.result);
  }
  let same = 0;
  let missing = 0;
  const differ: Line[] = [];
  run(texts, list, (line) => {
    const before = recorded.get(`${line.model}\u0000${line.explicit}\u0000${line.text}`);
    if (before === undefined) missing++;
    else if (before === line.result) same++;
    else differ.push(line);
  });
  for (const line of differ.slice(0, 20)) {
    const before = recorded.get(`${line.model}\u0000${line.explicit}\u0000${line.text}`);
    console.log(`DIFF ${line.model} explicit=${line.explicit} ${JSON.stringify(line.text)}`);
    console.log(`  before ${before}`);
    console.log(`  after  ${line.result}`);
  }
  console.log(
    `${same} identical, ${differ.length} different, ${missing} not in the recording (${texts.length} texts x ${list.length} models x 2) in ${Date.now() - started} ms`,
  );
  if (differ.length > 0 || missing > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
