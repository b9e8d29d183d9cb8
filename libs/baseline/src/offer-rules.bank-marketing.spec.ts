// Bank Marketing's offer rules on the real UCI data (45,211 clients, loaded into a throw-away schema):
// the 12-month term deposit offered by phone, with no criteria text, must give a segment that reads
// nothing known only after the contact (the guard on generated SQL says so), holds at least 2% of the
// clients, and subscribed at least 1.5 times as often as the base rate (issue 16). The outcome `y` is
// read here, by the test, never by the segment. Rules that would need such a column are refused.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findAnnotationsFor, introspectCatalog, type Catalog } from '@t2s/catalog';
import { AppError, offerSchema, type Criterion, type Offer } from '@t2s/contracts';
import { createTestSchema, quoteIdent, type TestSchema } from '@t2s/db';
import { checkSql, loadSqlGuard, policyFromCatalog } from '@t2s/sql-guard';
import { loadBankMarketing, resolveBankMarketingDir } from '@t2s/warehouse';
import { createBaselineStrategy } from './baseline.strategy';
import { findOfferRules, type OfferRules } from './offer-rules';

const repoRoot = resolve(__dirname, '../../..');
const termDeposit: Offer = offerSchema.parse(
  JSON.parse(readFileSync(join(repoRoot, 'eval/offers/bank-marketing-term-deposit-call.json'), 'utf8')),
);
const rules = findOfferRules('bank_marketing') as OfferRules;
// The test schema's name is random, so the strategy is told to use Bank Marketing's model and rules.
const strategy = createBaselineStrategy({ modelName: 'bank_marketing' });

let db: TestSchema;
let catalog: Catalog;
let notForTargeting: string[];

beforeAll(async () => {
  db = await createTestSchema('bm_offer');
  await loadBankMarketing(db.client, { schema: db.schema, datasetDir: resolveBankMarketingDir() });
  catalog = await introspectCatalog(db.client, {
    schemas: [db.schema],
    annotations: findAnnotationsFor('bank_marketing'),
  });
  notForTargeting = catalog.tables.flatMap((t) =>
    t.columns.filter((c) => c.notForTargeting).map((c) => `${t.name}.${c.name}`),
  );
  await loadSqlGuard();
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

async function segmentOf(offer: Offer, strategyUsed = strategy) {
  const generated = await strategyUsed.criteria.generate({ offer, catalog });
  const { sql } = await strategyUsed.sql.generate({ criteria: generated.criteria, catalog });
  return { criteria: generated.criteria, sql };
}

/** Every `table.column` a criterion names, through and/or/not and row conditions. */
function columnsOf(criteria: Criterion[]): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'column' && typeof value === 'string') found.add(value);
        else walk(value);
      }
    }
  };
  for (const c of criteria) walk((c.spec as { expr: unknown }).expr);
  return [...found].sort();
}

/** Size of a segment's query and its members' historical subscription rate, read in a read-only transaction. */
async function outcomeOf(sql: string): Promise<{ size: number; yes: number }> {
  await db.client.query("begin read only; set local statement_timeout = '30s'");
  try {
    const { rows } = await db.client.query<{ size: number; yes: number }>(
      `select count(*)::int as size, count(*) filter (where c.y = 'yes')::int as yes
         from (${sql}) s join ${quoteIdent(db.schema)}.client c using (client_id)`,
    );
    return rows[0] as { size: number; yes: number };
  } finally {
    await db.client.query('rollback');
  }
}

describe('the 12-month term deposit by phone, from the offer alone', () => {
  it('is one marketer criterion with an or (past subscribers, retirees, students) less recent contacts', async () => {
    const { criteria } = await segmentOf(termDeposit);
    expect(criteria.map((c) => [c.kind, c.source])).toEqual([
      ['include', 'rule'],
      ['exclude', 'rule'],
    ]);
    expect(columnsOf(criteria)).toEqual(['client.job', 'client.pdays', 'client.poutcome']);
    expect(criteria[0]?.spec).toMatchObject({ expr: { or: [{}, {}] } });
  });

  it('reads no column known only during or after the contact: not in the criteria, not in the SQL', async () => {
    const { criteria, sql } = await segmentOf(termDeposit);
    expect(notForTargeting.sort()).toEqual([
      'client.campaign',
      'client.contact',
      'client.day',
      'client.duration',
      'client.month',
      'client.y',
    ]);
    expect(columnsOf(criteria).filter((c) => notForTargeting.includes(c))).toEqual([]);
    const policy = policyFromCatalog(catalog);
    expect(checkSql(sql, policy)).toMatchObject({ ok: true });
    // The guard has teeth here: the same query reading the outcome is refused.
    const cheating = sql.replace("t0.poutcome = 'success'", "t0.y = 'yes'");
    expect(cheating).not.toBe(sql);
    expect(checkSql(cheating, policy)).toMatchObject({ ok: false, code: 'NOT_FOR_TARGETING' });
  });

  it('holds at least 2% of the clients, who subscribed at least 1.5 times the base rate', async () => {
    const { sql } = await segmentOf(termDeposit);
    const base = await outcomeOf(`select client_id from ${quoteIdent(db.schema)}.client`);
    expect(base).toEqual({ size: 45_211, yes: 5_289 });
    const baseRate = base.yes / base.size;
    expect(baseRate).toBeCloseTo(0.117, 3);

    const segment = await outcomeOf(sql);
    expect(segment.size / base.size).toBeGreaterThanOrEqual(0.02);
    expect(segment.yes / segment.size).toBeGreaterThanOrEqual(1.5 * 0.117);
    expect(segment.yes / segment.size / baseRate).toBeGreaterThanOrEqual(1.5);
    // The figures the README gives, so a change to the rules or the data shows here first.
    expect(segment).toEqual({ size: 4_409, yes: 1_563 });
  });
});

describe("the warehouse's other products", () => {
  const offer = (type: string, title: string): Offer =>
    offerSchema.parse({ product: { type }, title, channel: 'CALL' });

  it.each([
    ['credit_card', 'A credit card with no annual fee', ['client.default', 'client.pdays']],
    ['cash_loan', 'A personal loan at 7.9%', ['client.default', 'client.loan', 'client.pdays']],
    ['mortgage', 'A mortgage at a fixed rate', ['client.default', 'client.housing', 'client.pdays']],
    ['car_loan', 'A car loan for a new car', ['client.default', 'client.pdays']],
    [
      'savings_account',
      'A savings account with interest from day one',
      ['client.job', 'client.pdays', 'client.poutcome'],
    ],
    ['investment', 'Mutual funds for your savings', ['client.balance', 'client.pdays']],
    ['insurance', 'Travel insurance', ['client.pdays']],
  ])('%s ("%s"): targets only by what is known before the contact', async (type, title, columns) => {
    const { criteria, sql } = await segmentOf(offer(type, title));
    expect(columnsOf(criteria)).toEqual(columns);
    expect(checkSql(sql, policyFromCatalog(catalog))).toMatchObject({ ok: true });
    expect((await outcomeOf(sql)).size).toBeGreaterThan(0);
  });

  it('credit products leave out clients in default', async () => {
    const { criteria } = await segmentOf(offer('cash_loan', 'A personal loan at 7.9%'));
    expect(criteria.filter((c) => c.kind === 'exclude').map((c) => c.spec)).toContainEqual({
      expr: {
        type: 'related',
        quantifier: 'some',
        where: { column: 'client.default', cmp: { op: 'eq', value: 'yes' } },
      },
    });
  });

  it("offer words narrow the audience: a deposit for pensioners is the savers' retirees", async () => {
    const { sql } = await segmentOf(offer('deposit', 'A term deposit for pensioners'));
    const { size } = await outcomeOf(sql);
    const retired = await outcomeOf(
      `select client_id from ${quoteIdent(db.schema)}.client where job = 'retired' and not pdays between 0 and 30`,
    );
    expect(size).toBe(retired.size);
  });

  it('reads an age from the clause saying who the offer is for, not from the term ("12-month")', async () => {
    const { criteria, sql } = await segmentOf(
      offer('deposit', 'A 12-month term deposit for clients aged 60 to 75'),
    );
    const ages = criteria.filter((c) => columnsOf([c]).length === 0).map((c) => c.spec);
    expect(ages).toEqual([{ expr: { type: 'attr', attr: 'age', cmp: { op: 'between', min: 60, max: 75 } } }]);
    const { size } = await outcomeOf(sql);
    const expected = await outcomeOf(
      `select client_id from ${quoteIdent(db.schema)}.client
        where (poutcome = 'success' or job in ('retired', 'student')) and age between 60 and 75
          and not pdays between 0 and 30`,
    );
    expect(size).toBe(expected.size);
  });
});

describe('policy and refusals', () => {
  it('gives the LLM strategy the standard exclusions as policy, not the savers audience', () => {
    const policy = strategy.policyCriteria(termDeposit, catalog);
    expect(columnsOf(policy)).toEqual(['client.pdays']);
  });

  it.each([
    ['y', 'yes'],
    ['duration', 300],
    ['campaign', 1],
    ['contact', 'cellular'],
  ])('refuses an offer whose rule needs client.%s', async (column, value) => {
    const outcomeRule: OfferRules = {
      ...rules,
      rules: [
        {
          name: 'subscribed before',
          products: ['deposit'],
          words: [],
          codes: [],
          exceptCodes: [],
          alsoWords: [],
          audience: true,
          criteria: [
            {
              kind: 'include',
              expr: {
                type: 'related',
                quantifier: 'some',
                where: { column: `client.${column}`, cmp: { op: 'eq', value } },
              },
            },
          ],
        },
      ],
    };
    const cheating = createBaselineStrategy({ modelName: 'bank_marketing', offerRules: () => outcomeRule });
    const refused = segmentOf(termDeposit, cheating);
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toThrow(
      `client.${column} is known only during or after the campaign's contact or records its outcome`,
    );
  });
});
