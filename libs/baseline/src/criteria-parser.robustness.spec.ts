// The parser on text nobody wrote for it: the 500 questions (and their evidence notes) of BIRD mini-dev,
// on eleven databases that are not a bank's, and the eval set's Russian and English offers and criteria
// mangled (cut at random words, punctuation stripped, words doubled). Whatever it makes of them, it must
// never throw, must report what it did not read, and every criterion it returns must compile to SQL that
// the guard accepts and the warehouse executes: a wrong reading is possible, a crash or an unsafe query
// is not.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CriteriaCompiler } from '@t2s/semantic';
import { checkSql, loadSqlGuard, policyFromCatalog, type GuardPolicy } from '@t2s/sql-guard';
import { CriteriaParser } from './criteria-parser';
import { openBankModel, type BankModelFixture } from './testing/bank-model.fixture';

const birdDir = process.env.BIRD_DIR ?? resolve(__dirname, '../../../..', 'shared/datasets/bird-minidev');

interface BirdQuestion {
  question: string;
  evidence: string;
}

function birdTexts(): string[] {
  const questions = JSON.parse(
    readFileSync(join(birdDir, 'mini_dev_postgresql.json'), 'utf8'),
  ) as BirdQuestion[];
  return questions.flatMap((q) => [q.question, q.evidence].filter((t) => t.trim().length > 0));
}

/** Offers' and criteria texts of the eval set, as they are written. */
function evalTexts(): string[] {
  const dir = resolve(__dirname, '../../..', 'eval/cases/bank');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
        criteria?: string;
        offer: { title: string; description?: string };
      };
      return [c.criteria, c.offer.title, c.offer.description].filter((t): t is string => Boolean(t));
    });
}

/** A deterministic generator (mulberry32), so a failure names a text that fails again. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mangle(text: string, next: () => number): string {
  const words = text.split(/\s+/).filter(Boolean);
  const from = Math.floor(next() * words.length);
  const to = from + 1 + Math.floor(next() * (words.length - from));
  let part = words.slice(from, to);
  if (next() < 0.3) part = part.flatMap((w) => (next() < 0.2 ? [w, w] : [w]));
  let out = part.join(' ');
  if (next() < 0.3) out = out.replace(/[.,;:!?«»"()—-]/g, ' ');
  if (next() < 0.2) out = out.toUpperCase();
  return out;
}

let bank: BankModelFixture;
let parser: CriteriaParser;
let compiler: CriteriaCompiler;
let policy: GuardPolicy;

beforeAll(async () => {
  bank = await openBankModel('bl_robust', 200);
  parser = new CriteriaParser(bank.model);
  compiler = new CriteriaCompiler(bank.model);
  policy = policyFromCatalog(bank.catalog);
  await loadSqlGuard();
}, 120_000);

afterAll(async () => {
  await bank?.close();
});

/** Parses; every criterion compiles and the segment passes the guard. Returns the segment's SQL, if any. */
function parseSafely(text: string): string | null {
  const result = parser.parse(text);
  expect(Array.isArray(result.unparsed)).toBe(true);
  if (result.criteria.length === 0) return null;
  const sql = compiler.segment(result.criteria.map((c) => c.spec));
  const verdict = checkSql(sql, policy);
  if (!verdict.ok)
    throw new Error(`guard rejected the SQL for ${JSON.stringify(text)}: ${JSON.stringify(verdict)}`);
  return sql;
}

describe('the criteria parser on text nobody wrote for it', () => {
  it('reads all of BIRD mini-dev (questions and evidence) without a crash or an unsafe query', () => {
    const texts = birdTexts();
    expect(texts.length).toBeGreaterThan(900);
    let read = 0;
    for (const text of texts) if (parseSafely(text) !== null) read++;
    // Most are not about a bank's clients; some name ages, dates or amounts the bank also has.
    expect(read).toBeGreaterThan(0);
  });

  it('reads 600 mangled pieces of the eval set without a crash or an unsafe query', () => {
    const texts = evalTexts();
    const next = random(20261126);
    for (let i = 0; i < 600; i++) {
      const text = mangle(texts[Math.floor(next() * texts.length)] as string, next);
      try {
        parseSafely(text);
      } catch (error) {
        throw new Error(`${JSON.stringify(text)}: ${(error as Error).message}`);
      }
    }
  });

  it('executes what it made of a sample of them on the warehouse', async () => {
    const next = random(7);
    const texts = [...birdTexts().slice(0, 60), ...evalTexts().map((t) => mangle(t, next))];
    let executed = 0;
    for (const text of texts) {
      const sql = parseSafely(text);
      if (sql === null) continue;
      await bank.query(`select count(*) from (${sql}) s`);
      executed++;
    }
    expect(executed).toBeGreaterThan(20);
  }, 120_000);
});
