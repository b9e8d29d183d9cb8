import hostileCorpus from './corpus/hostile-sql.json';
import legitSegments from './corpus/legit-segments.json';
import { GUARD_CODES, type GuardCode, type GuardVerdict } from './guard.types';
import { policyFromCatalog } from './guard-policy';
import { checkSql, loadSqlGuard } from './sql-guard';
import { BANK_TEST_CATALOG } from './testing/bank-test-catalog';

interface HostileEntry {
  /** The SQL, or `build` for inputs too large to keep as text (prefix + repeat × times + suffix). */
  sql?: string;
  build?: { prefix: string; repeat: string; times: number; suffix: string };
  code: string;
  why: string;
  /** Who wrote it; a person's SQL is checked with the person policy. */
  origin?: 'person';
}

const policy = policyFromCatalog(BANK_TEST_CATALOG);
const personPolicy = policyFromCatalog(BANK_TEST_CATALOG, { origin: 'person' });

function sqlOf(entry: HostileEntry): string {
  if (entry.sql !== undefined) return entry.sql;
  const { prefix, repeat, times, suffix } = entry.build!;
  return prefix + repeat.repeat(times) + suffix;
}

/** The code of a rejection, or 'OK': one value to compare, so a failure shows the verdict. */
function outcome(verdict: GuardVerdict): string {
  return verdict.ok ? 'OK' : verdict.code;
}

beforeAll(() => loadSqlGuard());

describe('the hostile corpus', () => {
  const entries = hostileCorpus as HostileEntry[];

  it('holds at least 100 entries, each with a known code and a reason', () => {
    expect(entries.length).toBeGreaterThanOrEqual(100);
    for (const entry of entries) {
      expect(GUARD_CODES).toContain(entry.code);
      expect(entry.why.length).toBeGreaterThan(0);
      expect(entry.sql === undefined).toBe(entry.build !== undefined);
    }
  });

  it('covers every rejection code', () => {
    expect(new Set(entries.map((entry) => entry.code))).toEqual(new Set(GUARD_CODES));
  });

  it.each(entries.map((entry) => [entry.why, entry] as const))('rejects: %s', (_why, entry) => {
    const verdict = checkSql(sqlOf(entry), entry.origin === 'person' ? personPolicy : policy);
    expect({ sql: sqlOf(entry).slice(0, 200), code: outcome(verdict) }).toEqual({
      sql: sqlOf(entry).slice(0, 200),
      code: entry.code,
    });
    if (!verdict.ok) {
      expect(verdict.reason).toMatch(/^[^\n]{5,300}$/);
    }
  });
});

describe('legitimate segment queries', () => {
  it.each(legitSegments.map((entry) => [entry.why, entry.sql] as const))('accepts: %s', (_why, sql) => {
    const verdict = checkSql(sql, policy);
    expect(verdict).toMatchObject({ ok: true });
  });
});

describe('checkSql', () => {
  const reject = (sql: string, options: Partial<typeof policy> = {}) =>
    checkSql(sql, { ...policy, ...options });

  it('reports the relations read and the functions called', () => {
    const verdict = checkSql(
      `WITH recent AS (SELECT card_id FROM card_transaction WHERE txn_at > now() - interval '30 days')
       SELECT k.client_id FROM card k JOIN recent r USING (card_id) JOIN bank.client c USING (client_id)
       WHERE extract(year FROM age(c.birth_date)) > 30 GROUP BY k.client_id HAVING count(*) > 2`,
      policy,
    );
    expect(verdict).toEqual({
      ok: true,
      relations: ['bank.card', 'bank.card_transaction', 'bank.client'],
      functions: ['age', 'count', 'extract', 'now'],
    });
  });

  it.each<[string, GuardCode, RegExp]>([
    ['SELECT pg_sleep(1)', 'FUNCTION_NOT_ALLOWED', /pg_sleep/],
    ['SELECT client_id FROM pg_catalog.pg_authid', 'SYSTEM_CATALOG', /pg_catalog\.pg_authid/],
    ['SELECT client_id FROM public.client', 'FORBIDDEN_SCHEMA', /"public"/],
    ['SELECT client_id FROM clients', 'UNKNOWN_RELATION', /"clients"/],
    ['SELECT 1; DROP TABLE client', 'MULTIPLE_STATEMENTS', /SELECT; DROP/],
    ['COPY client TO STDOUT', 'NOT_SELECT', /COPY/],
    ['WITH x AS (SELECT 1) UPDATE client SET segment = NULL', 'NOT_SELECT', /UPDATE/],
    [
      'WITH gone AS (DELETE FROM loan RETURNING client_id) SELECT client_id FROM gone',
      'DATA_MODIFYING_CTE',
      /"gone".*DELETE/,
    ],
    ['SELECT client_id FROM client FOR NO KEY UPDATE', 'LOCKING_CLAUSE', /FOR NO KEY UPDATE/],
    ["SELECT 'client'::regclass", 'FORBIDDEN_CONSTRUCT', /regclass/],
    ['SELECT client_id, city FROM client', 'OUTPUT_SHAPE', /returns 2/],
    ['SELECT client_id FROM client WHERE', 'PARSE_ERROR', /syntax error at end of input/],
    [
      "SELECT client_id FROM campaign_call WHERE subscribed = 'yes'",
      'NOT_FOR_TARGETING',
      /"bank\.campaign_call\.subscribed", which is known only during or after the campaign's contact/,
    ],
  ])('%s is %s, and the reason names the offending thing', (sql, code, reason) => {
    const verdict = checkSql(sql, policy);
    expect(verdict).toMatchObject({ ok: false, code });
    expect(verdict.ok ? '' : verdict.reason).toMatch(reason);
  });

  it('allows any shape when outputColumns is null', () => {
    expect(checkSql('SELECT * FROM card', { ...policy, outputColumns: null })).toMatchObject({ ok: true });
    expect(checkSql('SELECT client_id, city FROM client', { ...policy, outputColumns: null })).toMatchObject({
      ok: true,
    });
  });

  it('takes the leftmost arm of a set operation as the output shape', () => {
    expect(checkSql('SELECT client_id FROM client UNION SELECT client_id FROM card', policy)).toMatchObject({
      ok: true,
    });
    expect(
      checkSql('(SELECT client_id FROM client) EXCEPT (SELECT client_id FROM loan)', policy),
    ).toMatchObject({
      ok: true,
    });
    expect(checkSql('VALUES (1), (2)', { ...policy, outputColumns: null })).toMatchObject({ ok: true });
  });

  it('enforces the policy length limit', () => {
    const sql = 'SELECT client_id FROM client';
    expect(reject(sql, { maxLength: sql.length })).toMatchObject({ ok: true });
    expect(reject(sql, { maxLength: sql.length - 1 })).toMatchObject({ ok: false, code: 'TOO_LONG' });
  });

  it('resolves unqualified names through the search path, in order', () => {
    const twoSchemas = {
      ...policy,
      outputColumns: null,
      searchPath: ['mart', 'bank'],
      relations: new Set(['mart.client', 'bank.client', 'bank.card']),
    };
    expect(checkSql('SELECT client_id FROM client JOIN card USING (client_id)', twoSchemas)).toMatchObject({
      ok: true,
      relations: ['bank.card', 'mart.client'],
    });
  });

  it('matches the allow-list exactly, only unqualified or in pg_catalog', () => {
    expect(
      checkSql('SELECT pg_catalog.lower(city) FROM client', { ...policy, outputColumns: null }),
    ).toMatchObject({ ok: true, functions: ['lower'] });
    expect(checkSql('SELECT "LOWER"(city) FROM client', policy)).toMatchObject({
      ok: false,
      code: 'FUNCTION_NOT_ALLOWED',
    });
    const noLower = { ...policy, functions: new Set(['count']) };
    expect(checkSql('SELECT lower(city) FROM client', noLower)).toMatchObject({
      code: 'FUNCTION_NOT_ALLOWED',
    });
  });

  describe('CTE scoping', () => {
    it.each([
      'WITH a AS (SELECT client_id FROM client), b AS (SELECT client_id FROM a) SELECT client_id FROM b',
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT client_id FROM client WHERE client_id IN (SELECT n FROM r)',
      'WITH RECURSIVE a AS (SELECT client_id FROM b), b AS (SELECT client_id FROM client) SELECT client_id FROM a',
      'WITH a AS (SELECT client_id FROM client) SELECT client_id FROM a WHERE client_id IN (SELECT client_id FROM a)',
      'WITH a AS (WITH b AS (SELECT client_id FROM client) SELECT client_id FROM b) SELECT client_id FROM a',
      'WITH x AS (SELECT client_id FROM client) SELECT client_id FROM x UNION SELECT client_id FROM x',
      'SELECT client_id FROM (WITH c AS (SELECT client_id FROM card) SELECT client_id FROM c) s',
      // Inside its own definition a non-recursive CTE named like a table reads the table.
      'WITH client AS (SELECT client_id FROM client WHERE gender = $$F$$) SELECT client_id FROM client',
      // An inner CTE shadows an outer one of the same name only inside its own query.
      'WITH a AS (SELECT client_id FROM client) SELECT client_id FROM (WITH a AS (SELECT client_id FROM card) SELECT client_id FROM a) s JOIN a USING (client_id)',
    ])('accepts %s', (sql) => {
      expect(checkSql(sql, policy)).toMatchObject({ ok: true });
    });

    it('does not report CTE names as relations', () => {
      expect(checkSql('WITH a AS (SELECT client_id FROM client) SELECT client_id FROM a', policy)).toEqual({
        ok: true,
        relations: ['bank.client'],
        functions: [],
      });
    });

    it.each([
      // The CTE is visible only inside the sub-select that defines it.
      ['SELECT client_id FROM (WITH secret AS (SELECT 1) SELECT 1) s, secret', 'UNKNOWN_RELATION'],
      // A CTE name never covers a qualified name.
      ['WITH client AS (SELECT 1) SELECT client_id FROM bank.salary', 'UNKNOWN_RELATION'],
      ['WITH pg_authid AS (SELECT 1) SELECT 1 FROM pg_catalog.pg_authid', 'SYSTEM_CATALOG'],
    ])('rejects %s as %s', (sql, code) => {
      expect(checkSql(sql, policy)).toMatchObject({ ok: false, code });
    });

    it('accepts a CTE named like a system catalog: the name refers to the CTE', () => {
      expect(
        checkSql('WITH pg_roles AS (SELECT client_id FROM client) SELECT client_id FROM pg_roles', policy),
      ).toMatchObject({ ok: true });
    });
  });
});

/** The SQL of the hostile corpus's entries refused with one code. */
function hostileOf(code: GuardCode): string[] {
  return (hostileCorpus as HostileEntry[]).filter((entry) => entry.code === code).map(sqlOf);
}

describe('columns not for targeting', () => {
  it('are refused to generated SQL that counts too (the funnel)', () => {
    const counts = policyFromCatalog(BANK_TEST_CATALOG, { outputColumns: null });
    expect(
      checkSql('SELECT subscribed, count(*) FROM campaign_call GROUP BY subscribed', counts),
    ).toMatchObject({ ok: false, code: 'NOT_FOR_TARGETING' });
    expect(checkSql('SELECT campaign, count(*) FROM campaign_call GROUP BY campaign', counts)).toMatchObject({
      ok: true,
    });
  });

  it('are refused by name even where the lineage resolves the name elsewhere', () => {
    const verdict = checkSql(
      'SELECT client_id FROM campaign_call WHERE client_id IN (SELECT s.call_seconds FROM (SELECT 1 AS call_seconds) s)',
      policy,
    );
    expect(verdict).toMatchObject({ ok: false, code: 'NOT_FOR_TARGETING' });
    expect(verdict.ok ? '' : verdict.reason).toMatch(
      /"call_seconds" names "bank\.campaign_call\.call_seconds"/,
    );
  });
});

describe('person-written SQL', () => {
  const personPolicy = policyFromCatalog(BANK_TEST_CATALOG, { origin: 'person' });
  const within = (cte: string) =>
    `WITH RECURSIVE ${cte} SELECT client_id FROM client WHERE client_id IN (SELECT n FROM r)`;

  it.each([
    within('r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5)'),
    within('r(n) AS (SELECT 0 UNION SELECT r.n + 2 FROM r WHERE 10 >= r.n AND r.n IS NOT NULL)'),
    within(
      'r AS (SELECT 1 AS n UNION ALL SELECT s.n + 1 FROM r s JOIN card k ON k.card_id = s.n WHERE s.n <= 100)',
    ),
    // RECURSIVE on a WITH whose CTEs do not recur needs no limit.
    'WITH RECURSIVE a AS (SELECT client_id FROM client) SELECT client_id FROM a',
  ])('accepts a recursion with a visible depth limit: %s', (sql) => {
    expect(checkSql(sql, personPolicy)).toMatchObject({ ok: true });
  });

  it('accepts every legitimate segment query', () => {
    const refused = legitSegments.filter((entry) => !checkSql(entry.sql, personPolicy).ok);
    expect(refused).toEqual([]);
  });

  it('may read what is not for targeting, anywhere: analysts study campaigns by their outcomes', () => {
    const outcomes = hostileOf('NOT_FOR_TARGETING');
    expect(outcomes.length).toBeGreaterThan(5);
    expect(outcomes.filter((sql) => !checkSql(sql, personPolicy).ok)).toEqual([]);
  });

  it('leaves generated SQL free to recur (its shapes come from the compiler)', () => {
    expect(checkSql(within('r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)'), policy)).toMatchObject({
      ok: true,
    });
  });
});
