// The parser's readings of text nobody wrote for it (criteria-parser.robustness.spec.ts), executed: every
// segment it makes of a sample of BIRD mini-dev and of the mangled eval set runs on a seeded warehouse.
import { CriteriaCompiler } from '@t2s/semantic';
import { checkSql, loadSqlGuard, policyFromCatalog, type GuardPolicy } from '@t2s/sql-guard';
import { CriteriaParser } from './criteria-parser';
import { openBankModel, type BankModelFixture } from './testing/bank-model.fixture';
import { birdTexts, evalTexts, mangle, random } from './testing/unwritten-texts';

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

describe('the criteria parser on text nobody wrote for it, executed', () => {
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
