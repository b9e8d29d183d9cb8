// The compiler against hand-written SQL: every predicate kind is compiled over the bank semantic model,
// checked by the SQL guard, run on a seeded demo warehouse and compared, id for id, with a query an
// analyst would write for the same meaning. The references name the report date literally, so they
// also check that the compiler's "now" (the warehouse's report date) is the one the data was built for.
import { findAnnotationsFor, introspectCatalog, type Catalog } from '@t2s/catalog';
import { catalogColumn, catalogOf, catalogTable } from '@t2s/catalog/testing';
import { createTestSchema, quoteIdent, type TestSchema } from '@t2s/db';
import { checkSql, loadSqlGuard, policyFromCatalog, type GuardPolicy } from '@t2s/sql-guard';
import { seedDemoWarehouse } from '@t2s/warehouse';
import { CompileError, CriteriaCompiler } from './compile';
import { countedSegmentSql, funnelOf, segmentEntity } from './segment-sql';
import type { CriterionSpec, Expr } from './representation';
import { findSemanticModelFile, SemanticModel, SemanticModelError } from './semantic-model';
import { semanticModelSchema } from './semantic-model.schema';

const REPORT_DATE = '2026-10-31';
const CLIENTS = 400;

let warehouse: TestSchema;
let catalog: Catalog;
let model: SemanticModel;
let compiler: CriteriaCompiler;
let policy: GuardPolicy;

beforeAll(async () => {
  warehouse = await createTestSchema('sem_compile');
  await seedDemoWarehouse({
    url: warehouse.url,
    schema: warehouse.schema,
    clients: CLIENTS,
    seed: 7,
    reportDate: REPORT_DATE,
  });
  catalog = await introspectCatalog(warehouse.client, {
    schemas: [warehouse.schema],
    // The bank's PII marks, as the workers read them (its notPii overrides the name fallback).
    annotations: findAnnotationsFor('bank'),
  });
  model = new SemanticModel(bankModelFile(), catalog, warehouse.schema);
  compiler = new CriteriaCompiler(model);
  await loadSqlGuard();
  policy = policyFromCatalog(catalog);
  // The references are written as an analyst would: unqualified table names.
  await warehouse.client.query(`set search_path = ${quoteIdent(warehouse.schema)}`);
}, 120_000);

afterAll(async () => {
  await warehouse?.drop();
});

function bankModelFile() {
  const file = findSemanticModelFile('bank');
  if (!file) throw new Error('config/warehouses/bank.annotations.json declares no semantic model');
  return file;
}

async function ids(sql: string): Promise<string[]> {
  const { rows } = await warehouse.client.query<{ client_id: string }>(sql);
  return rows.map((row) => String(row.client_id)).sort();
}

/**
 * The expression compiles to SQL the guard accepts, and it selects exactly the reference's clients. The
 * reference must keep some clients and drop others, or the comparison would prove little.
 */
async function expectSameClients(expr: Expr, reference: string): Promise<string> {
  const sql = compiler.expr(expr);
  expect(checkSql(sql, policy)).toMatchObject({ ok: true });
  const want = await ids(reference);
  expect(want.length).toBeGreaterThan(0);
  expect(want.length).toBeLessThan(CLIENTS);
  expect(await ids(sql)).toEqual(want);
  return sql;
}

const NOW = `date '${REPORT_DATE}'`;

describe('attributes', () => {
  it('compiles a scalar attribute (age between) from the birth date and the report date', async () => {
    await expectSameClients(
      { type: 'attr', attr: 'age', cmp: { op: 'between', min: 25, max: 45 } },
      `select client_id from client where extract(year from age(${NOW}, birth_date)) between 25 and 45`,
    );
  });

  it("compares with a reference row's value (a product's own age limits)", async () => {
    const limit = (column: string) => ({
      lookup: { column, where: { column: 'ref_product.product_code', value: 'DC_YOUTH' } },
    });
    await expectSameClients(
      {
        type: 'attr',
        attr: 'age',
        cmp: { op: 'between', min: limit('ref_product.min_age'), max: limit('ref_product.max_age') },
      },
      `select c.client_id from client c join ref_product p on p.product_code = 'DC_YOUTH'
        where extract(year from age(${NOW}, c.birth_date)) between p.min_age and p.max_age`,
    );
  });

  it('compiles a per-month aggregate attribute over its own window', async () => {
    // The window is the model's choice (and may be tuned), so the reference reads its length.
    const measure = model.attribute('avg_monthly_card_spend')?.measure;
    const months =
      measure?.kind === 'aggregate' && measure.window?.last.unit === 'month' ? measure.window.last.n : 0;
    expect(months).toBeGreaterThan(0);
    await expectSameClients(
      { type: 'attr', attr: 'avg_monthly_card_spend', cmp: { op: 'gt', value: 20_000 } },
      `select client_id from card_transaction
        where txn_type = 'PURCHASE' and txn_date > ${NOW} - interval '${months} months' and txn_date <= ${NOW}
        group by client_id having sum(amount_rub) / ${months} > 20000`,
    );
  });

  it('divides by the months of a window the predicate overrides, refined by the MCC group', async () => {
    const sql = await expectSameClients(
      {
        type: 'attr',
        attr: 'avg_monthly_card_spend',
        cmp: { op: 'gte', value: 1_000 },
        window: { n: 3, unit: 'month' },
        where: { column: 'ref_mcc_group.mcc_group_code', cmp: { op: 'eq', value: 'GROCERY' } },
      },
      `select t.client_id from card_transaction t join ref_mcc m on m.mcc_code = t.mcc_code
        where t.txn_type = 'PURCHASE' and m.mcc_group_code = 'GROCERY'
          and t.txn_date > ${NOW} - interval '3 months' and t.txn_date <= ${NOW}
        group by t.client_id having sum(t.amount_rub) / 3 >= 1000`,
    );
    expect(sql).not.toContain('cashback_category');
  });

  it('compiles a yes/no attribute as the clients with such rows', async () => {
    await expectSameClients(
      { type: 'attr', attr: 'has_credit_card' },
      `select distinct client_id from card where card_type = 'CREDIT' and card_status = 'ACTIVE'`,
    );
  });

  it('flips a yes/no attribute compared with false: clients without such rows, any rows or none', async () => {
    await expectSameClients(
      { type: 'attr', attr: 'has_credit_card', cmp: { op: 'eq', value: false } },
      `select client_id from client c where not exists (
         select 1 from card k where k.client_id = c.client_id and k.card_type = 'CREDIT' and k.card_status = 'ACTIVE')`,
    );
  });

  it('applies a window override to a yes/no attribute that has a window (salary in the last month)', async () => {
    await expectSameClients(
      { type: 'attr', attr: 'has_salary_payments', window: { n: 1, unit: 'month' } },
      `select distinct client_id from salary_payment
        where payment_kind = 'SALARY' and payment_date > ${NOW} - interval '1 month' and payment_date <= ${NOW}`,
    );
  });

  it('compares a relative date inside an attribute (an active stop list entry)', async () => {
    await expectSameClients(
      { type: 'attr', attr: 'on_stop_list' },
      `select distinct client_id from stop_list
        where added_date <= ${NOW} and (expires_date is null or expires_date > ${NOW})`,
    );
  });
});

describe('related rows', () => {
  it('reaches a lookup of the client (region name) from the client table', async () => {
    await expectSameClients(
      {
        type: 'related',
        quantifier: 'some',
        where: {
          column: 'ref_region.region_name',
          cmp: { op: 'in', values: ['Москва', 'Московская область'] },
        },
      },
      `select c.client_id from client c join ref_region r on r.region_code = c.region_code
        where r.region_name in ('Москва', 'Московская область')`,
    );
  });

  it('reaches the MCC group of a purchase through its MCC code, not through the card', async () => {
    const sql = await expectSameClients(
      {
        type: 'related',
        table: 'card_transaction',
        quantifier: 'some',
        where: { column: 'ref_mcc_group.mcc_group_code', cmp: { op: 'eq', value: 'FUEL' } },
      },
      `select distinct t.client_id from card_transaction t join ref_mcc m on m.mcc_code = t.mcc_code
        where m.mcc_group_code = 'FUEL'`,
    );
    expect(sql).toMatch(/ref_mcc j\d+ on j\d+\.mcc_code = t0\.mcc_code/);
    expect(sql).not.toContain('cashback_category');
  });

  it("steps into a table keyed by the row's own key (a car loan's vehicle) without multiplying rows", async () => {
    const sql = await expectSameClients(
      {
        type: 'attr',
        attr: 'has_car_loan',
        where: { column: 'car_loan_vehicle.vehicle_brand', cmp: { op: 'in', values: ['Haval', 'Chery'] } },
      },
      `select distinct l.client_id from loan l join car_loan_vehicle v on v.loan_id = l.loan_id
        where l.loan_type = 'CAR' and l.loan_status in ('ACTIVE', 'OVERDUE', 'RESTRUCTURED')
          and v.vehicle_brand in ('Haval', 'Chery')`,
    );
    expect(sql).toMatch(/car_loan_vehicle j\d+ on j\d+\.loan_id = t0\.loan_id/);
  });

  it('keeps clients with no rows at all for "none" (no travel purchases in half a year)', async () => {
    await expectSameClients(
      {
        type: 'related',
        table: 'card_transaction',
        quantifier: 'none',
        where: {
          column: 'ref_mcc_group.mcc_group_code',
          cmp: { op: 'in', values: ['AIRLINES', 'HOTELS', 'TRAVEL_AGENCY'] },
        },
        window: { column: 'card_transaction.txn_date', last: { n: 6, unit: 'month' } },
      },
      `select c.client_id from client c where not exists (
         select 1 from card_transaction t join ref_mcc m on m.mcc_code = t.mcc_code
          where t.client_id = c.client_id and m.mcc_group_code in ('AIRLINES', 'HOTELS', 'TRAVEL_AGENCY')
            and t.txn_date > ${NOW} - interval '6 months' and t.txn_date <= ${NOW})`,
    );
  });

  it('keeps, for "all", the clients who have rows and whose every row meets the condition', async () => {
    await expectSameClients(
      {
        type: 'related',
        table: 'card',
        quantifier: 'all',
        where: { column: 'card.card_status', cmp: { op: 'eq', value: 'ACTIVE' } },
      },
      `select client_id from card group by client_id having bool_and(card_status = 'ACTIVE')`,
    );
  });

  it('treats a null in an "all" condition as failing it (every card with a cashback category)', async () => {
    await expectSameClients(
      {
        type: 'related',
        table: 'card',
        quantifier: 'all',
        where: { column: 'card.cashback_category', cmp: { op: 'ne', value: 'GAMBLING' } },
      },
      `select client_id from card group by client_id
       having bool_and(cashback_category is not null and cashback_category <> 'GAMBLING')`,
    );
  });

  it('compares with a date relative to the report date (a card issued in the last 6 months)', async () => {
    await expectSameClients(
      {
        type: 'related',
        table: 'card',
        quantifier: 'some',
        where: {
          column: 'card.issue_date',
          cmp: { op: 'gt', value: { now: true, minus: { n: 6, unit: 'month' } } },
        },
      },
      `select distinct client_id from card where issue_date > ${NOW} - interval '6 months'`,
    );
  });

  it('compares with dates after the report date and months of its year (deposits maturing)', async () => {
    await expectSameClients(
      {
        type: 'related',
        table: 'deposit',
        quantifier: 'some',
        where: {
          column: 'deposit.maturity_date',
          cmp: { op: 'between', min: { now: true }, max: { now: true, plus: { n: 2, unit: 'month' } } },
        },
      },
      `select distinct client_id from deposit where maturity_date between ${NOW} and ${NOW} + interval '2 months'`,
    );
    await expectSameClients(
      {
        type: 'related',
        table: 'deposit',
        quantifier: 'some',
        where: {
          column: 'deposit.maturity_date',
          cmp: {
            op: 'between',
            min: { now: true, start: 'year', plus: { n: 10, unit: 'month' } },
            max: { now: true, start: 'year', minus: { n: 1, unit: 'day' }, plus: { n: 11, unit: 'month' } },
          },
        },
      },
      `select distinct client_id from deposit
        where maturity_date >= date_trunc('year', ${NOW}) + interval '10 months'
          and maturity_date < date_trunc('year', ${NOW}) + interval '11 months'`,
    );
  });

  it('counts a window that ends before the report date (5 purchases in the 6 months before the last 60 days)', async () => {
    await expectSameClients(
      {
        type: 'attr',
        attr: 'card_purchase_count',
        cmp: { op: 'gte', value: 5 },
        window: { n: 6, unit: 'month' },
        before: { n: 60, unit: 'day' },
      },
      `select client_id from card_transaction
        where txn_type = 'PURCHASE' and txn_date > ${NOW} - 60 - interval '6 months' and txn_date <= ${NOW} - 60
        group by client_id having count(*) >= 5`,
    );
  });

  it('compares the share of a sum or count its rows meeting a condition make up (online spend over half)', async () => {
    const online = { column: 'card_transaction.is_online', cmp: { op: 'eq' as const, value: true } };
    const purchases = { column: 'card_transaction.txn_type', cmp: { op: 'eq' as const, value: 'PURCHASE' } };
    const window = { column: 'card_transaction.txn_date', last: { n: 3, unit: 'month' as const } };
    await expectSameClients(
      {
        type: 'aggregate',
        table: 'card_transaction',
        fn: 'sum',
        column: 'card_transaction.amount_rub',
        where: purchases,
        window,
        share: online,
        cmp: { op: 'gt', value: 0.5 },
      },
      `select client_id from card_transaction
        where txn_type = 'PURCHASE' and txn_date > ${NOW} - interval '3 months' and txn_date <= ${NOW}
        group by client_id
        having sum(amount_rub) filter (where is_online) > 0.5 * sum(amount_rub)`,
    );
    await expectSameClients(
      {
        type: 'aggregate',
        table: 'card_transaction',
        fn: 'count',
        where: purchases,
        window,
        share: online,
        cmp: { op: 'gte', value: 0.25 },
      },
      `select client_id from card_transaction
        where txn_type = 'PURCHASE' and txn_date > ${NOW} - interval '3 months' and txn_date <= ${NOW}
        group by client_id
        having count(*) filter (where is_online) >= 0.25 * count(*)`,
    );
  });

  it("compares a scalar attribute with another one's value on the same rows (income 1.5 times the region's salary)", async () => {
    await expectSameClients(
      {
        type: 'attr',
        attr: 'monthly_income',
        cmp: { op: 'gte', value: { attr: 'region_avg_salary', times: 1.5 } },
      },
      `select c.client_id from client c join ref_region r on r.region_code = c.region_code
        where (select i.monthly_income_rub from client_income i where i.client_id = c.client_id
               order by i.declared_date desc, i.income_id desc limit 1) >= 1.5 * r.avg_salary_rub`,
    );
  });

  it("rejects another attribute's value where it has no rows to be read on", () => {
    expect(() =>
      compiler.expr({ type: 'attr', attr: 'monthly_income', cmp: { op: 'gt', value: { attr: 'has_card' } } }),
    ).toThrow(CompileError);
    expect(() =>
      compiler.expr({
        type: 'related',
        quantifier: 'some',
        where: { column: 'client.client_segment', cmp: { op: 'eq', value: { attr: 'age' } } },
      }),
    ).toThrow(CompileError);
  });

  it("windows a yes/no attribute without a window of its own by its table's date (a deposit opened lately)", async () => {
    await expectSameClients(
      { type: 'attr', attr: 'has_active_deposit', window: { n: 3, unit: 'month' } },
      `select distinct client_id from deposit
        where deposit_status = 'ACTIVE' and open_date > ${NOW} - interval '3 months' and open_date <= ${NOW}`,
    );
  });

  it('counts a timestamp during the report date inside a window (app events of the last 30 days)', async () => {
    await expectSameClients(
      {
        type: 'related',
        table: 'app_event',
        quantifier: 'some',
        window: { column: 'app_event.event_at', last: { n: 30, unit: 'day' } },
      },
      `select distinct client_id from app_event
        where event_at > timestamp '2026-10-01' and event_at < timestamp '2026-11-01'`,
    );
  });
});

describe('aggregates', () => {
  const cashCount = (cmp: string) =>
    `select c.client_id from client c left join (
       select client_id, count(*) as n from card_transaction
        where txn_type = 'CASH' and txn_date > ${NOW} - interval '3 months' and txn_date <= ${NOW}
        group by client_id) t on t.client_id = c.client_id
      where coalesce(t.n, 0) ${cmp}`;
  const cashRows = {
    table: 'card_transaction',
    where: { column: 'card_transaction.txn_type', cmp: { op: 'eq', value: 'CASH' } },
    window: { column: 'card_transaction.txn_date', last: { n: 3, unit: 'month' } },
  } as const;

  it('adds the clients with no rows when a count of zero meets the comparison (at most one)', async () => {
    await expectSameClients(
      { type: 'aggregate', fn: 'count', ...cashRows, cmp: { op: 'lte', value: 1 } },
      cashCount('<= 1'),
    );
  });

  it('adds the clients with no rows for "count = 0"', async () => {
    await expectSameClients(
      { type: 'aggregate', fn: 'count', ...cashRows, cmp: { op: 'eq', value: 0 } },
      cashCount('= 0'),
    );
  });

  it('leaves out the clients with no rows when zero does not meet the comparison (at least two)', async () => {
    await expectSameClients(
      { type: 'aggregate', fn: 'count', ...cashRows, cmp: { op: 'gte', value: 2 } },
      cashCount('>= 2'),
    );
  });

  it('adds the clients with no rows to a sum below a bound (cash withdrawn under 10 000)', async () => {
    await expectSameClients(
      {
        type: 'aggregate',
        fn: 'sum',
        column: 'card_transaction.amount_rub',
        ...cashRows,
        cmp: { op: 'lt', value: 10_000 },
      },
      `select c.client_id from client c left join (
         select client_id, sum(amount_rub) as s from card_transaction
          where txn_type = 'CASH' and txn_date > ${NOW} - interval '3 months' and txn_date <= ${NOW}
          group by client_id) t on t.client_id = c.client_id
        where coalesce(t.s, 0) < 10000`,
    );
  });

  it('never adds clients without rows to a max (an undefined maximum meets nothing)', async () => {
    await expectSameClients(
      {
        type: 'aggregate',
        table: 'card',
        fn: 'max',
        column: 'card.credit_limit_rub',
        cmp: { op: 'lt', value: 100_000 },
      },
      `select client_id from card group by client_id having max(credit_limit_rub) < 100000`,
    );
  });

  it('reads "max at least" and "min at most" as some row meeting it, filtered before any grouping', async () => {
    for (const [fn, op] of [
      ['max', 'gte'],
      ['min', 'lt'],
    ] as const) {
      const sql = await expectSameClients(
        {
          type: 'aggregate',
          table: 'card',
          fn,
          column: 'card.credit_limit_rub',
          cmp: { op, value: 150_000 },
        },
        `select client_id from card group by client_id
          having ${fn}(credit_limit_rub) ${op === 'gte' ? '>=' : '<'} 150000`,
      );
      expect(sql).not.toContain('group by');
    }
  });
});

describe('boolean combinations', () => {
  it('intersects "and", unites "or" and complements "not" over all clients', async () => {
    await expectSameClients(
      {
        and: [
          { type: 'attr', attr: 'age', cmp: { op: 'gte', value: 30 } },
          {
            or: [
              { type: 'attr', attr: 'has_credit_card' },
              { type: 'attr', attr: 'has_active_deposit' },
            ],
          },
          { not: { type: 'attr', attr: 'has_mortgage' } },
        ],
      },
      `select c.client_id from client c
        where extract(year from age(${NOW}, c.birth_date)) >= 30
          and (exists (select 1 from card k where k.client_id = c.client_id
                          and k.card_type = 'CREDIT' and k.card_status = 'ACTIVE')
               or exists (select 1 from deposit d where d.client_id = c.client_id and d.deposit_status = 'ACTIVE'))
          and not exists (select 1 from loan l where l.client_id = c.client_id and l.loan_type = 'MORTGAGE'
                             and l.loan_status in ('ACTIVE', 'OVERDUE', 'RESTRUCTURED'))`,
    );
  });

  it('negates a condition on rows with SQL nulls as "not met" (cards without a GAMBLING category)', async () => {
    await expectSameClients(
      {
        type: 'related',
        table: 'card',
        quantifier: 'some',
        where: { not: { column: 'card.cashback_category', cmp: { op: 'eq', value: 'GAMBLING' } } },
      },
      `select distinct client_id from card where cashback_category is distinct from 'GAMBLING'`,
    );
  });
});

describe('segments', () => {
  const criteria: CriterionSpec[] = [
    { id: 'adults', kind: 'include', expr: { type: 'attr', attr: 'age', cmp: { op: 'gte', value: 25 } } },
    {
      id: 'sms-consent',
      kind: 'include',
      expr: {
        type: 'attr',
        attr: 'has_marketing_consent',
        where: { column: 'marketing_consent.channel_code', cmp: { op: 'eq', value: 'SMS' } },
      },
    },
    { id: 'stop', kind: 'exclude', expr: { type: 'attr', attr: 'on_stop_list' } },
    { id: 'holders', kind: 'exclude', expr: { type: 'attr', attr: 'has_credit_card' } },
  ];
  const adults = `select client_id from client where extract(year from age(${NOW}, birth_date)) >= 25`;
  const consent = `select client_id from marketing_consent where channel_code = 'SMS' and is_granted`;
  const stop = `select client_id from stop_list
                 where added_date <= ${NOW} and (expires_date is null or expires_date > ${NOW})`;
  const holders = `select client_id from card where card_type = 'CREDIT' and card_status = 'ACTIVE'`;

  it('intersects the inclusions and removes the union of the exclusions', async () => {
    const sql = compiler.segment(criteria);
    expect(checkSql(sql, policy)).toMatchObject({ ok: true });
    const want = await ids(`(${adults} intersect ${consent}) except (${stop} union ${holders})`);
    expect(want.length).toBeGreaterThan(0);
    expect(await ids(sql)).toEqual(want);
  });

  it('starts from every client when a segment has only exclusions', async () => {
    const sql = compiler.segment(criteria.filter((c) => c.kind === 'exclude'));
    expect(checkSql(sql, policy)).toMatchObject({ ok: true });
    expect(await ids(sql)).toEqual(
      await ids(`select client_id from client except (${stop} union ${holders})`),
    );
  });

  it('counts the clients each criterion keeps on its own in the pass that lists the members', async () => {
    const parts = criteria.map((c) => ({ id: c.id, kind: c.kind, sql: compiler.expr(c.expr) }));
    const sql = countedSegmentSql(parts, segmentEntity(model));
    // It passes the guard the execution stage counts with: any output shape, the same PII rules.
    expect(checkSql(sql, { ...policy, outputColumns: null })).toMatchObject({ ok: true });
    const { rows } = await warehouse.client.query<{ client_id: string | null; flags: string; n: string }>(
      sql,
    );
    const members = rows.filter((r) => r.client_id !== null).map((r) => String(r.client_id));
    expect(members.sort()).toEqual(await ids(compiler.segment(criteria)));
    const tally = new Map(rows.filter((r) => r.client_id === null).map((r) => [r.flags, Number(r.n)]));
    const counts = funnelOf(parts, tally);
    const expected = [];
    for (const [id, reference] of [
      ['adults', adults],
      ['sms-consent', consent],
      ['stop', stop],
      ['holders', holders],
    ]) {
      expected.push({
        criterion: id,
        clients: (await ids(`select distinct client_id from (${reference}) r join client using (client_id)`))
          .length,
      });
    }
    expect(
      Object.entries(counts?.alone ?? {}).map(([criterion, clients]) => ({ criterion, clients })),
    ).toEqual(expected);
    // Inclusions narrow in order, then exclusions; the last step is the segment.
    expect(counts?.funnel.map((step) => step.criterion)).toEqual([
      'adults',
      'sms-consent',
      'stop',
      'holders',
    ]);
    expect(counts?.funnel[1]?.remaining).toBe((await ids(`${adults} intersect ${consent}`)).length);
    expect(counts?.funnel.at(-1)?.remaining).toBe(members.length);
  });
});

describe('what the warehouse or the model does not have (R4)', () => {
  it('rejects an attribute the semantic model lacks', () => {
    expect(() => compiler.expr({ type: 'attr', attr: 'shoe_size', cmp: { op: 'gt', value: 42 } })).toThrow(
      new CompileError('No attribute shoe_size in the semantic model'),
    );
  });

  it('rejects a column the warehouse lacks', () => {
    const expr: Expr = {
      type: 'related',
      table: 'card',
      quantifier: 'some',
      where: { column: 'card.colour', cmp: { op: 'eq', value: 'black' } },
    };
    expect(() => compiler.expr(expr)).toThrow(CompileError);
    expect(() => compiler.expr(expr)).toThrow(/card\.colour/);
  });

  it('rejects personal data not approved for filtering, and reads approved personal data', () => {
    const passport: Expr = {
      type: 'related',
      table: 'client_pii',
      quantifier: 'some',
      where: { column: 'client_pii.passport_issue_date', cmp: { op: 'lt', value: '2010-01-01' } },
    };
    expect(() => compiler.expr(passport)).toThrow(
      new CompileError('client_pii.passport_issue_date holds personal data; no criterion may use it'),
    );
    // The bank approves client.birth_date for filtering: ages compile.
    expect(compiler.expr({ type: 'attr', attr: 'age', cmp: { op: 'gt', value: 30 } })).toContain(
      'birth_date',
    );
  });

  it('rejects a table the predicate cannot reach by many-to-one keys (a loan from a card)', () => {
    const expr: Expr = {
      type: 'related',
      table: 'card',
      quantifier: 'some',
      where: { column: 'loan.loan_type', cmp: { op: 'eq', value: 'MORTGAGE' } },
    };
    expect(() => compiler.expr(expr)).toThrow(
      new CompileError('loan cannot be reached from card by its keys'),
    );
  });

  it('rejects a table the warehouse lacks', () => {
    expect(() => compiler.expr({ type: 'related', table: 'yacht', quantifier: 'some' })).toThrow(
      CompileError,
    );
  });

  it('rejects what cannot be computed: a sum without a column, per month without a window, no criteria', () => {
    expect(() =>
      compiler.expr({ type: 'aggregate', table: 'loan', fn: 'sum', cmp: { op: 'gt', value: 0 } }),
    ).toThrow(CompileError);
    expect(() =>
      compiler.expr({
        type: 'aggregate',
        table: 'loan',
        fn: 'count',
        per: 'month',
        cmp: { op: 'gt', value: 0 },
      }),
    ).toThrow(CompileError);
    expect(() => compiler.expr({ type: 'attr', attr: 'age' })).toThrow(CompileError);
    expect(() => compiler.segment([])).toThrow(CompileError);
  });

  it('refuses, when binding, a model that names a column the catalog lacks', () => {
    const file = semanticModelSchema.parse({
      warehouse: 'bank',
      entity: { table: 'client', id: 'client_id', label: { ru: 'клиент', en: 'client' } },
      attributes: [
        {
          name: 'shoe_size',
          label: { ru: 'Размер обуви', en: 'Shoe size' },
          terms: { ru: ['размер обуви'], en: ['shoe size'] },
          measure: { kind: 'scalar', table: 'client', sql: '{t}.shoe_size' },
        },
      ],
    });
    expect(() => new SemanticModel(file, catalog, warehouse.schema)).toThrow(SemanticModelError);
    expect(() => new SemanticModel(file, catalog, warehouse.schema)).toThrow(/column client\.shoe_size/);
  });
});

describe('fixed bugs (each had a minimal reproduction)', () => {
  // Known bug: `count(*) / 3` is integer division in PostgreSQL, so 7 purchases in 3 months count as
  // 2 a month and fail "more than 2 a month". The reference divides exactly.
  it('divides a per-month count exactly (more than 2 purchases a month over 3 months)', async () => {
    await expectSameClients(
      {
        type: 'aggregate',
        table: 'card_transaction',
        fn: 'count',
        per: 'month',
        where: { column: 'card_transaction.txn_type', cmp: { op: 'eq', value: 'PURCHASE' } },
        window: { column: 'card_transaction.txn_date', last: { n: 3, unit: 'month' } },
        cmp: { op: 'gt', value: 2 },
      },
      `select client_id from card_transaction
        where txn_type = 'PURCHASE' and txn_date > ${NOW} - interval '3 months' and txn_date <= ${NOW}
        group by client_id having count(*) / 3.0 > 2`,
    );
  });

  // Known bug: RowQuery.ownerId names the owning table's column `client_id` whatever the entity's id
  // is, so on such a warehouse every predicate over a fact table selects a column that does not exist.
  it("selects the owning table's own entity column", () => {
    const shop = catalogOf(
      [
        catalogTable('customer', { schema: 'shop', columns: [catalogColumn('cust_id', { type: 'bigint' })] }),
        catalogTable('orders', {
          schema: 'shop',
          columns: [catalogColumn('order_id'), catalogColumn('cust_id', { type: 'bigint' })],
          foreignKeys: [
            {
              name: 'orders_cust',
              columns: ['cust_id'],
              refSchema: 'shop',
              refTable: 'customer',
              refColumns: ['cust_id'],
            },
          ],
        }),
      ],
      { schemas: ['shop'] },
    );
    const file = semanticModelSchema.parse({
      warehouse: 'shop',
      entity: { table: 'customer', id: 'cust_id', label: { ru: 'покупатель', en: 'customer' } },
    });
    const sql = new CriteriaCompiler(new SemanticModel(file, shop, 'shop')).expr({
      type: 'related',
      table: 'orders',
      quantifier: 'some',
    });
    expect(sql).toContain('t0.cust_id as client_id');
  });

  // A boolean attribute compared `ne true` means "does not have it", like `eq false`; only `eq false`
  // flips the quantifier today, so `ne true` selects the holders.
  it('reads a yes/no attribute compared "ne true" as "does not have it"', async () => {
    await expectSameClients(
      { type: 'attr', attr: 'has_credit_card', cmp: { op: 'ne', value: true } },
      `select client_id from client c where not exists (
         select 1 from card k where k.client_id = c.client_id and k.card_type = 'CREDIT' and k.card_status = 'ACTIVE')`,
    );
  });

  // cteName maps every character outside [a-z0-9_] to `_`, so ids `a-b` and `a_b` (both valid) give two
  // CTEs named c_a_b and the query fails with "WITH query name specified more than once".
  it('gives criteria whose ids differ only in punctuation CTEs of their own', async () => {
    const adults: Expr = { type: 'attr', attr: 'age', cmp: { op: 'gte', value: 30 } };
    const sql = compiler.segment([
      { id: 'age-30', kind: 'include', expr: adults },
      { id: 'age_30', kind: 'exclude', expr: { type: 'attr', attr: 'has_credit_card' } },
    ]);
    await expect(ids(sql)).resolves.toBeInstanceOf(Array);
  });

  // A reference value naming a column the warehouse lacks is an R4 violation in a criterion, but it
  // surfaces as SemanticModelError, which the baseline strategy does not map to SCHEMA_LINKING_FAILED.
  it('rejects a reference value the warehouse lacks with a CompileError', () => {
    const expr: Expr = {
      type: 'attr',
      attr: 'age',
      cmp: {
        op: 'gte',
        value: {
          lookup: {
            column: 'ref_product.shoe_size',
            where: { column: 'ref_product.product_code', value: 'X' },
          },
        },
      },
    };
    expect(() => compiler.expr(expr)).toThrow(CompileError);
  });
});
