// The parser on text nobody wrote for it: the 500 questions (and their evidence notes) of BIRD mini-dev,
// on eleven databases that are not a bank's, and the eval set's Russian and English offers and criteria
// mangled (cut at random words, punctuation stripped, words doubled). Whatever it makes of them, it must
// never throw, must report what it did not read, and every criterion it returns must compile to SQL that
// the guard accepts: a wrong reading is possible, a crash or an unsafe query is not. Read on the committed
// catalog snapshot; criteria-parser.execution.spec.ts runs a sample of the SQL on a seeded warehouse.
import { CriteriaCompiler } from '@t2s/semantic';
import { checkSql, loadSqlGuard, policyFromCatalog, type GuardPolicy } from '@t2s/sql-guard';
import { CriteriaParser } from './criteria-parser';
import { type ModelFixture } from './testing/meaning';
import { snapshotModel } from './testing/snapshot-model.fixture';
import { birdTexts, evalTexts, mangle, random } from './testing/unwritten-texts';

let bank: ModelFixture;
let parser: CriteriaParser;
let compiler: CriteriaCompiler;
let policy: GuardPolicy;

beforeAll(async () => {
  bank = snapshotModel('bank');
  parser = new CriteriaParser(bank.model);
  compiler = new CriteriaCompiler(bank.model);
  policy = policyFromCatalog(bank.catalog);
  await loadSqlGuard();
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
});
