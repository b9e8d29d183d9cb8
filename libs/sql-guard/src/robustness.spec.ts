import { GUARD_CODES, type GuardVerdict } from './guard.types';
import { policyFromCatalog } from './guard-policy';
import { MAX_NESTING_ESTIMATE, nestingEstimate } from './nesting-budget';
import { ParserCrash, parserCrashCount, parserSettled, parseSql, scanSql } from './pg-parser';
import { checkSql, loadSqlGuard } from './sql-guard';
import { BANK_TEST_CATALOG } from './testing/bank-test-catalog';
import { birdGold } from './testing/bird-dataset';

const policy = policyFromCatalog(BANK_TEST_CATALOG);

/** A small deterministic PRNG (mulberry32), so a failing input can be reproduced. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Never throws, and answers with a verdict of the contract's shape. */
function expectVerdict(sql: string, maxLength = policy.maxLength): GuardVerdict {
  let verdict: GuardVerdict | undefined;
  expect(() => (verdict = checkSql(sql, { ...policy, maxLength }))).not.toThrow();
  if (verdict?.ok === false) {
    expect(GUARD_CODES).toContain(verdict.code);
    expect(verdict.reason).toMatch(/^[^\n]+$/);
  } else {
    expect(verdict).toMatchObject({ ok: true, relations: expect.any(Array), functions: expect.any(Array) });
  }
  return verdict as GuardVerdict;
}

const PIECES = [
  'SELECT',
  'FROM',
  'WHERE',
  'client',
  'client_id',
  '(',
  ')',
  ',',
  ';',
  "'",
  '"',
  '$$',
  '$q$',
  '/*',
  '*/',
  '--',
  '\n',
  ' ',
  'WITH',
  'AS',
  'UNION',
  'DELETE',
  'pg_sleep',
  '::',
  'regclass',
  "E'\\",
  'U&"',
  '\\0070',
  '[',
  ']',
  'CASE',
  'END',
  'OVER',
  'LATERAL',
  '$1',
  '\u0000',
  '\ud800',
  '\udc00',
  '😀',
  'ё',
  '\u200b',
  'NULL',
  '1e309',
];

beforeAll(() => loadSqlGuard());

describe('checkSql on hostile bytes', () => {
  it('never throws on random token soup', () => {
    const next = random(42);
    for (let i = 0; i < 3000; i += 1) {
      const length = Math.floor(next() * 40);
      const sql = Array.from({ length }, () => PIECES[Math.floor(next() * PIECES.length)]).join(
        next() < 0.5 ? ' ' : '',
      );
      expectVerdict(sql);
    }
  });

  it('never throws on random code units, surrogates and control characters included', () => {
    const next = random(7);
    for (let i = 0; i < 2000; i += 1) {
      const length = Math.floor(next() * 60);
      const sql = String.fromCharCode(...Array.from({ length }, () => Math.floor(next() * 0x10000)));
      expectVerdict(sql);
    }
  });

  it('never throws on any prefix or suffix of the BIRD gold queries', () => {
    const next = random(99);
    for (const { sql } of birdGold()) {
      for (let i = 0; i < 4; i += 1) {
        const cut = Math.floor(next() * sql.length);
        expectVerdict(sql.slice(0, cut));
        expectVerdict(sql.slice(cut));
      }
    }
  });
});

describe('deep nesting', () => {
  // Shapes that nest the parse tree, each at the largest size under the length limit. Written out,
  // several of them overflow the native stack inside the WebAssembly (see pg-parser.ts); the
  // nesting budget must turn every one into PARSE_ERROR before the parser sees it.
  const shapes: Record<string, [string, string, string]> = {
    'operator chain': ['SELECT 1', '+1', ''],
    'concatenation chain': ['SELECT a', '||a', ''],
    'cast chain': ['SELECT a', '::int', ''],
    'COLLATE chain': ['SELECT a', ' COLLATE c', ''],
    'AT TIME ZONE chain': ['SELECT a', ' AT TIME ZONE a', ''],
    'IS NULL chain': ['SELECT a', ' IS NULL', ''],
    'NOT chain': ['SELECT ', 'NOT ', 'true'],
    'unary minus chain': ['SELECT ', '- ', '1'],
    'join chain': ['SELECT 1 FROM a', ' JOIN a ON true', ''],
    'union chain': ['SELECT 1', ' UNION SELECT 1', ''],
    'nested function calls': ['SELECT ', 'f(', '1'],
    'nested sub-selects': ['SELECT ', '(SELECT ', '1'],
    'nested CASE': ['SELECT ', 'CASE WHEN a THEN ', '1'],
    'nested parentheses': ['SELECT ', '(', '1'],
    'nested arrays': ['SELECT ', 'ARRAY[', '1'],
  };

  it.each(Object.entries(shapes))('turns a %s into a verdict without crashing the parser', (_name, shape) => {
    const [prefix, repeat, suffix] = shape;
    const closers = repeat.includes('(')
      ? ')'
      : repeat.includes('[')
        ? ']'
        : repeat.startsWith('CASE')
          ? ' END'
          : '';
    const times = Math.floor(
      (policy.maxLength - prefix.length - suffix.length) / (repeat.length + closers.length),
    );
    const crashes = parserCrashCount();
    const verdict = expectVerdict(prefix + repeat.repeat(times) + suffix + closers.repeat(times));
    expect(verdict).toMatchObject({ ok: false, code: 'PARSE_ERROR' });
    expect(parserCrashCount()).toBe(crashes);
  });

  it('keeps the budget whatever the length limit', () => {
    const crashes = parserCrashCount();
    expect(expectVerdict(`SELECT 1${'+1'.repeat(100_000)}`, 1_000_000)).toMatchObject({
      code: 'PARSE_ERROR',
    });
    expect(parserCrashCount()).toBe(crashes);
  });

  it('leaves real queries far below the budget', () => {
    const highest = Math.max(
      ...birdGold().map(({ sql }) => {
        const scanned = scanSql(sql);
        return scanned.ok ? nestingEstimate(scanned.tokens) : 0;
      }),
    );
    expect(highest).toBeLessThan(MAX_NESTING_ESTIMATE / 10);
  });
});

describe('column resolution', () => {
  it('refuses recursive CTEs nested in one another past its budget, in bounded time', () => {
    let sql = 'select client_id from client';
    for (let i = 0; i < 40; i++) {
      sql = `with recursive r${i}(client_id) as (select x.client_id from (${sql}) x union all select r${i}.client_id + 1 from r${i}) select client_id from r${i}`;
    }
    const started = performance.now();
    const verdict = expectVerdict(sql);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(verdict).toMatchObject({
      ok: false,
      code: 'PARSE_ERROR',
      reason: expect.stringMatching(/too complex/),
    });
  });
});

describe('a parser crash', () => {
  // Bypasses the nesting budget to overflow the native stack inside the WebAssembly on purpose.
  const crashingSql = `SELECT 1${'+1'.repeat(50_000)}`;
  const goodSql = 'SELECT client_id FROM client';

  afterEach(() => parserSettled());

  it('retires the instance and switches to the spare at once', async () => {
    await parserSettled();
    const crashes = parserCrashCount();
    expect(() => parseSql(crashingSql)).toThrow(ParserCrash);
    expect(parserCrashCount()).toBe(crashes + 1);
    expect(checkSql(goodSql, policy)).toMatchObject({ ok: true });
  });

  it('fails closed while no instance is ready, then recovers', async () => {
    await parserSettled();
    expect(() => parseSql(crashingSql)).toThrow(ParserCrash);
    expect(() => parseSql(crashingSql)).toThrow(ParserCrash);
    expect(checkSql(goodSql, policy)).toMatchObject({ ok: false, code: 'PARSE_ERROR', reason: /restarting/ });
    await parserSettled();
    expect(checkSql(goodSql, policy)).toMatchObject({ ok: true });
    // Both slots are filled again: one more crash is absorbed by the spare.
    expect(() => parseSql(crashingSql)).toThrow(ParserCrash);
    expect(checkSql(goodSql, policy)).toMatchObject({ ok: true });
  });
});
