// The baseline strategy end to end on a seeded warehouse: criteria from an offer (product rules, words of
// the offer, the standard exclusions of the channel) and from a marketer's text, the tables a criterion
// needs, one guarded SQL that runs, and the errors the pipeline relies on. The test schema's name is
// random, so the strategy is told to use the bank's model and rules (`modelName`).
import type { Catalog } from '@t2s/catalog';
import { AppError, offerSchema, type Criterion, type Offer } from '@t2s/contracts';
import { checkSql, loadSqlGuard, policyFromCatalog } from '@t2s/sql-guard';
import { createBaselineStrategy, type BaselineStrategy } from './baseline.strategy';
import { openBankModel, type BankModelFixture } from './testing/bank-model.fixture';

let bank: BankModelFixture;
let strategy: BaselineStrategy;

beforeAll(async () => {
  bank = await openBankModel('bl_strategy', 400);
  strategy = createBaselineStrategy({ modelName: 'bank' });
  await loadSqlGuard();
}, 120_000);

afterAll(async () => {
  await bank?.close();
});

const youthCreditCard: Offer = offerSchema.parse({
  product: { type: 'credit_card', code: 'CC_CASHBACK', name: 'Молодёжная кредитная карта с кешбэком' },
  title: 'Молодёжная кредитная карта: 120 дней без процентов и 5% кешбэка на кафе',
  description: 'Первая кредитная карта для молодых клиентов: бесплатное обслуживание и кешбэк.',
  channel: 'PUSH',
});

const deposit: Offer = offerSchema.parse({
  product: { type: 'deposit', code: 'DEP_MAX', name: 'Вклад «Максимальный доход»' },
  title: 'Вклад «Максимальный доход»: до 18% годовых',
  channel: 'SMS',
});

/** The attribute a criterion is about, with its kind: what the rules are checked by. */
function attrs(criteria: Criterion[]): { kind: string; attr: string | undefined }[] {
  return criteria.map((c) => {
    const expr = (c.spec as { expr: { attr?: string } }).expr;
    return { kind: c.kind, attr: expr.attr };
  });
}

/** Client ids of a query, run as the admin in a read-only transaction with a statement timeout. */
async function run(sql: string): Promise<string[]> {
  const client = bank.warehouse.client;
  await client.query("begin read only; set local statement_timeout = '10s'");
  try {
    const { rows } = await client.query<{ client_id: string }>(sql);
    return rows.map((r) => String(r.client_id)).sort();
  } finally {
    await client.query('rollback');
  }
}

async function segmentOf(offer: Offer, catalog: Catalog = bank.catalog, criteriaText?: string) {
  const generated = await strategy.criteria.generate({
    offer,
    catalog,
    ...(criteriaText === undefined ? {} : { criteriaText }),
  });
  const { sql } = await strategy.sql.generate({ criteria: generated.criteria, catalog });
  return { ...generated, sql };
}

describe('criteria from an offer', () => {
  it("excludes credit card holders from a credit card offer and applies the channel's standard rules", async () => {
    const { criteria, unparsed } = await strategy.criteria.generate({
      offer: youthCreditCard,
      catalog: bank.catalog,
    });
    expect(unparsed).toEqual([]);
    expect(criteria.every((c) => c.source === 'rule' && c.text.length > 0)).toBe(true);
    expect(attrs(criteria)).toEqual(
      expect.arrayContaining([
        { kind: 'exclude', attr: 'has_credit_card' },
        { kind: 'include', attr: 'has_marketing_consent' },
        { kind: 'exclude', attr: 'on_stop_list' },
        { kind: 'include', attr: 'push_enabled' },
      ]),
    );
    // The consent and the stop list are the offer's channel's.
    const consent = criteria.find((c) => attrs([c])[0]?.attr === 'has_marketing_consent');
    expect(JSON.stringify(consent?.spec)).toContain('"PUSH"');
  });

  it("reads the youth of a youth offer as an age range, within the product's own age limits", async () => {
    const { criteria } = await strategy.criteria.generate({ offer: youthCreditCard, catalog: bank.catalog });
    const ages = criteria
      .filter((c) => c.kind === 'include' && attrs([c])[0]?.attr === 'age')
      .map((c) => (c.spec as { expr: { cmp: { op: string } } }).expr.cmp);
    expect(ages).toContainEqual({ op: 'lte', value: 30 });
    expect(ages).toContainEqual(expect.objectContaining({ op: 'between' }));
  });

  it("does not apply a credit product's rules to a deposit offer", async () => {
    const { criteria } = await strategy.criteria.generate({ offer: deposit, catalog: bank.catalog });
    expect(attrs(criteria)).toEqual(
      expect.arrayContaining([
        { kind: 'exclude', attr: 'has_active_deposit' },
        { kind: 'include', attr: 'has_marketing_consent' },
      ]),
    );
    expect(attrs(criteria)).not.toContainEqual({ kind: 'exclude', attr: 'has_credit_card' });
    expect(attrs(criteria)).not.toContainEqual({ kind: 'include', attr: 'push_enabled' });
  });

  it("keeps a product's holders when the offer's audience is its holders (a rollover)", async () => {
    const rollover = offerSchema.parse({
      product: { type: 'deposit', code: 'DEP_MAX', name: 'Вклад «Максимальный доход»' },
      title: 'Ваш вклад скоро закончится',
      description: 'Звонок клиентам, у которых вклад заканчивается в ближайшие два месяца.',
      channel: 'CALL',
    });
    const { criteria, sql } = await segmentOf(rollover);
    expect(attrs(criteria)).not.toContainEqual({ kind: 'exclude', attr: 'has_active_deposit' });
    expect(attrs(criteria)).toContainEqual({ kind: 'include', attr: 'has_active_deposit' });
    expect(JSON.stringify(criteria)).toContain('deposit.maturity_date');
    const ids = await run(sql);
    expect(ids.length).toBeGreaterThan(0);
    const notMaturing = await run(`
      select client_id from client c where c.client_id::text = any(array[${ids.map((id) => `'${id}'`).join(',')}])
        and not exists (select 1 from deposit d where d.client_id = c.client_id
          and d.maturity_date between date '2026-10-31' and date '2026-12-31')`);
    expect(notMaturing).toEqual([]);
  });

  it("targets a product's holders less those on the variant a switch offer names", async () => {
    const tariff = offerSchema.parse({
      product: { type: 'investment', code: 'INV_BROKER', name: 'Brokerage account, Premium tariff' },
      title: 'Switch to the Premium brokerage tariff',
      description: 'Zero commission on shares and bonds and a personal broker.',
      channel: 'EMAIL',
    });
    const { criteria, sql } = await segmentOf(tariff);
    expect(attrs(criteria)).toContainEqual({ kind: 'include', attr: 'has_brokerage_account' });
    const excluded = criteria.filter((c) => c.kind === 'exclude').map((c) => JSON.stringify(c.spec));
    expect(excluded).toContainEqual(expect.stringContaining('"brokerage_account.tariff_code"'));
    // "Premium" names the tariff here, not the premium client segment.
    expect(JSON.stringify(criteria)).not.toContain('client.client_segment');
    const ids = await run(sql);
    expect(ids.length).toBeGreaterThan(0);
    const wrong = await run(`
      select client_id from client c where c.client_id::text = any(array[${ids.map((id) => `'${id}'`).join(',')}])
        and (not exists (select 1 from brokerage_account b where b.client_id = c.client_id and b.close_date is null)
          or exists (select 1 from brokerage_account b where b.client_id = c.client_id
                       and b.close_date is null and b.tariff_code = 'PREMIUM'))`);
    expect(wrong).toEqual([]);
  });

  it('applies a rule only when the offer has all its words, and by product code', async () => {
    const viewers = offerSchema.parse({
      product: { type: 'credit_card', code: 'CC_CLASSIC', name: 'Classic credit card' },
      title: 'Still thinking about a credit card?',
      description: 'For clients who looked at our credit card in the mobile app recently.',
      channel: 'EMAIL',
    });
    const app = (criteria: Criterion[]) =>
      criteria.filter((c) => JSON.stringify(c.spec).includes('VIEW_CREDIT_CARD')).map((c) => c.spec);
    const recent = await strategy.criteria.generate({ offer: viewers, catalog: bank.catalog });
    expect(app(recent.criteria)).toEqual([
      expect.objectContaining({ expr: expect.objectContaining({ window: expect.anything() }) }),
    ]);
    const plain = await strategy.criteria.generate({ offer: youthCreditCard, catalog: bank.catalog });
    expect(app(plain.criteria)).toEqual([]);
    const funds = offerSchema.parse({
      product: { type: 'investment', code: 'INV_FUNDS', name: 'Фонд облигаций' },
      title: 'Фонд облигаций',
      channel: 'CALL',
    });
    const fund = await strategy.criteria.generate({ offer: funds, catalog: bank.catalog });
    expect(attrs(fund.criteria)).not.toContainEqual({ kind: 'exclude', attr: 'has_brokerage_account' });
    expect(JSON.stringify(fund.criteria)).toContain('fund_holding');
  });

  it("reads the places an offer names, and its own audience words over a word rule's", async () => {
    const capitals = offerSchema.parse({
      product: { type: 'premium_package', code: 'SUB_PREMIUM', name: 'Premium package' },
      title: 'Premium banking in Moscow and St. Petersburg',
      description: 'For mass-affluent clients with a monthly income above 200,000 RUB.',
      channel: 'EMAIL',
    });
    const { criteria } = await strategy.criteria.generate({ offer: capitals, catalog: bank.catalog });
    const specs = JSON.stringify(criteria.map((c) => c.spec));
    expect(specs).toContain('"ref_region.region_name"');
    expect(specs).toContain('"Санкт-Петербург"');
    expect(specs).toContain('"AFFLUENT"');
    // The word rule for "premium" named PREMIUM and PRIVATE; the offer says whom it is for.
    expect(specs).not.toContain('"PRIVATE"');
  });

  it('selects only clients who meet the rules, by a query the guard accepts', async () => {
    const { sql } = await segmentOf(youthCreditCard);
    expect(checkSql(sql, policyFromCatalog(bank.catalog))).toMatchObject({ ok: true });
    const ids = await run(sql);
    expect(ids.length).toBeGreaterThan(0);
    const violators = await run(`
      select client_id from client c where c.client_id::text = any(array[${ids.map((id) => `'${id}'`).join(',') || 'null'}])
        and (extract(year from age(date '2026-10-31', c.birth_date)) > 30
          or extract(year from age(date '2026-10-31', c.birth_date))
               < (select min_age from ref_product where product_code = 'CC_CASHBACK')
          or exists (select 1 from card k where k.client_id = c.client_id
                        and k.card_type = 'CREDIT' and k.card_status = 'ACTIVE')
          or not exists (select 1 from marketing_consent m where m.client_id = c.client_id
                            and m.channel_code = 'PUSH' and m.is_granted)
          or exists (select 1 from stop_list s where s.client_id = c.client_id
                        and (s.channel_code is null or s.channel_code = 'PUSH')
                        and s.added_date <= date '2026-10-31'
                        and (s.expires_date is null or s.expires_date > date '2026-10-31')))`);
    expect(violators).toEqual([]);
  });
});

describe("criteria from a marketer's text", () => {
  it('keeps the person as the source and reports what maps to nothing', async () => {
    const { criteria, unparsed } = await strategy.criteria.generate({
      offer: deposit,
      catalog: bank.catalog,
      criteriaText: 'Клиенты старше 30 лет\nлюбят собак',
    });
    expect(criteria).toEqual([
      expect.objectContaining({ id: 'c1', kind: 'include', source: 'person', text: 'Клиенты старше 30 лет' }),
    ]);
    expect(unparsed.join(' ')).toContain('любят собак');
  });

  it("runs the text's segment: the clients the criteria name, no rules added", async () => {
    const { sql } = await segmentOf(deposit, bank.catalog, 'старше 60 лет\nбез ипотеки');
    expect(checkSql(sql, policyFromCatalog(bank.catalog))).toMatchObject({ ok: true });
    expect(await run(sql)).toEqual(
      await run(`select client_id from client c
                  where extract(year from age(date '2026-10-31', c.birth_date)) > 60
                    and not exists (select 1 from loan l where l.client_id = c.client_id and l.loan_type = 'MORTGAGE'
                                      and l.loan_status in ('ACTIVE', 'OVERDUE', 'RESTRUCTURED'))`),
    );
  });
});

describe('linking and SQL', () => {
  it('names the schema.table each criterion reads', async () => {
    const { criteria } = await strategy.criteria.generate({ offer: youthCreditCard, catalog: bank.catalog });
    const linked = await strategy.linking.link({ criteria, catalog: bank.catalog });
    const schema = bank.warehouse.schema;
    expect(linked.tokens).toBe(0);
    expect(linked.tables.length).toBeGreaterThan(0);
    expect(linked.tables.every((t) => t.startsWith(`${schema}.`))).toBe(true);
    expect(linked.tables).toEqual(expect.arrayContaining([`${schema}.card`, `${schema}.marketing_consent`]));
    expect(Object.keys(linked.byCriterion).sort()).toEqual(criteria.map((c) => c.id).sort());
    const creditCards = criteria.find((c) => attrs([c])[0]?.attr === 'has_credit_card');
    expect(linked.byCriterion[creditCards?.id ?? '']).toEqual([`${schema}.card`]);
  });

  it('compiles one query and one fragment per criterion, each runnable', async () => {
    const { criteria } = await strategy.criteria.generate({ offer: deposit, catalog: bank.catalog });
    const result = await strategy.sql.generate({ criteria, catalog: bank.catalog });
    expect(result.perCriterion.map((p) => p.id)).toEqual(criteria.map((c) => c.id));
    const policy = policyFromCatalog(bank.catalog);
    for (const sql of [result.sql, ...result.perCriterion.map((p) => p.sql)]) {
      expect(checkSql(sql, policy)).toMatchObject({ ok: true });
      await expect(run(sql)).resolves.toBeInstanceOf(Array);
    }
  });

  it('refuses to repair: a previous error comes back with its code', async () => {
    const { criteria } = await strategy.criteria.generate({ offer: deposit, catalog: bank.catalog });
    const attempt = strategy.sql.generate({
      criteria,
      catalog: bank.catalog,
      previousError: {
        code: 'SQL_TIMEOUT',
        message: 'canceling statement due to statement timeout',
        sql: 'select client_id from bank.client',
      },
    });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'SQL_TIMEOUT' });
  });

  it('turns a criterion naming what the model lacks into SCHEMA_LINKING_FAILED', async () => {
    const criteria: Criterion[] = [
      {
        id: 'c1',
        text: 'размер обуви 42',
        kind: 'include',
        spec: { expr: { type: 'attr', attr: 'shoe_size' } },
      },
    ];
    await expect(strategy.sql.generate({ criteria, catalog: bank.catalog })).rejects.toMatchObject({
      code: 'SCHEMA_LINKING_FAILED',
    });
  });

  it('turns a criterion without a structured form into CRITERIA_UNPARSED', async () => {
    const criteria: Criterion[] = [{ id: 'c1', text: 'любят собак', kind: 'include' }];
    await expect(strategy.sql.generate({ criteria, catalog: bank.catalog })).rejects.toMatchObject({
      code: 'CRITERIA_UNPARSED',
    });
  });
});

describe('a warehouse without a semantic model file', () => {
  // No config/warehouses/<schema>.annotations.json exists for the random test schema.
  it('is read with the model bootstrapped from its catalog', async () => {
    const bare = createBaselineStrategy();
    const { criteria } = await bare.criteria.generate({
      offer: deposit,
      catalog: bank.catalog,
      criteriaText: 'Клиенты старше 30 лет',
    });
    expect(attrs(criteria)).toEqual([{ kind: 'include', attr: 'age' }]);
  });

  it('fails with SCHEMA_LINKING_FAILED when told to read the hand file alone', async () => {
    const bare = createBaselineStrategy({ modelSource: 'hand' });
    const attempt = bare.criteria.generate({ offer: deposit, catalog: bank.catalog });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'SCHEMA_LINKING_FAILED' });
  });
});
