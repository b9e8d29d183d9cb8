import { createTestSchema, quoteIdent, type TestSchema } from '@t2s/db';
import { seedDemoWarehouse } from './seed-demo';

const REPORT_DATE = '2026-10-31';
const CLIENTS = 2000;

/**
 * The tables agree with each other the way a bank's would, so that measures counted in days or
 * amounts mean what they say. Each test names a defect an earlier generator had: a change that
 * brings one back fails here.
 */
describe('demo bank warehouse consistency', () => {
  let db: TestSchema;
  const one = async <T = number>(sql: string): Promise<Record<string, T>> =>
    (await db.client.query(sql)).rows[0] as Record<string, T>;
  const num = async (sql: string): Promise<number> => Number((await one(sql)).n);

  beforeAll(async () => {
    db = await createTestSchema('demo_consistency');
    await seedDemoWarehouse({
      url: db.url,
      schema: db.schema,
      clients: CLIENTS,
      seed: 1,
      reportDate: REPORT_DATE,
    });
    await db.client.query(`set search_path = ${quoteIdent(db.schema)}`);
  }, 180_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('spreads purchases over the month, more on Fridays, Saturdays and after paydays', async () => {
    const byDay = await one(
      `select count(*) filter (where extract(day from txn_date) = 1)::float / count(*) as first_share,
              count(distinct extract(day from txn_date)) as days
         from card_transaction where txn_type = 'PURCHASE'`,
    );
    expect(Number(byDay.first_share)).toBeLessThan(0.06);
    expect(Number(byDay.days)).toBe(31);
    const perDay = async (where: string): Promise<number> =>
      num(`select count(*)::float / count(distinct txn_date) as n
             from card_transaction where txn_type = 'PURCHASE' and ${where}`);
    const weekend = await perDay(`extract(isodow from txn_date) in (5, 6)`);
    const earlyWeek = await perDay(`extract(isodow from txn_date) in (1, 2)`);
    expect(weekend).toBeGreaterThan(1.2 * earlyWeek);
    const afterPayday = await perDay(`extract(day from txn_date) in (5, 6, 7, 20, 21, 22)`);
    const otherDays = await perDay(`extract(day from txn_date) not in (5, 6, 7, 20, 21, 22)`);
    expect(afterPayday).toBeGreaterThan(1.1 * otherDays);
  });

  it("gives a credit card's loan line the card's limit and a debt within it", async () => {
    const lines = await one(
      `select count(*) as lines,
              count(*) filter (where l.principal_amount_rub <> k.credit_limit_rub) as other_limit,
              count(*) filter (where l.outstanding_principal_rub > k.credit_limit_rub) as over_limit,
              count(distinct l.principal_amount_rub) as limits,
              count(*) filter (where (l.close_date is null) <> (k.card_status in ('ACTIVE', 'BLOCKED'))) as status_mismatch
         from loan l join card k on k.account_id = l.account_id
        where l.loan_type = 'CREDIT_CARD'`,
    );
    expect(Number(lines.lines)).toBeGreaterThan(100);
    expect(Number(lines.other_limit)).toBe(0);
    expect(Number(lines.over_limit)).toBe(0);
    expect(Number(lines.limits)).toBeGreaterThan(20);
    expect(Number(lines.status_mismatch)).toBe(0);
    expect(
      await num(
        `select count(*) as n from card k where k.card_type = 'CREDIT'
            and not exists (select 1 from loan l where l.account_id = k.account_id and l.loan_type = 'CREDIT_CARD')`,
      ),
    ).toBe(0);
  });

  it("books a credit card's debt on its account: minus the debt on the report date, never positive", async () => {
    const accounts = await one(
      `select count(*) as accounts,
              count(*) filter (where m.balance_end_rub <> -l.outstanding_principal_rub) as other_debt
         from card k
         join loan l on l.account_id = k.account_id and l.loan_type = 'CREDIT_CARD'
         join account_balance_monthly m on m.account_id = k.account_id and m.month_end = date '${REPORT_DATE}'
        where k.card_type = 'CREDIT'`,
    );
    expect(Number(accounts.accounts)).toBeGreaterThan(100);
    expect(Number(accounts.other_debt)).toBe(0);
    expect(
      await num(
        `select count(*) as n from account_balance_monthly m join card k using (account_id)
          where k.card_type = 'CREDIT' and (m.balance_end_rub > 0 or m.balance_end_rub < -k.credit_limit_rub)`,
      ),
    ).toBe(0);
  });

  it('summarises products as the detail tables hold them', async () => {
    const mismatches = await num(
      `select count(*) as n
         from client_product_summary s
         left join (select client_id,
                           count(*) filter (where card_type = 'DEBIT') as debit,
                           count(*) filter (where card_type = 'CREDIT') as credit
                      from card where card_status = 'ACTIVE' group by client_id) k using (client_id)
        where s.debit_cards_active <> coalesce(k.debit, 0)
           or s.credit_cards_active <> coalesce(k.credit, 0)
           or s.has_brokerage <> exists (select 1 from brokerage_account b
                                          where b.client_id = s.client_id and b.close_date is null)`,
    );
    expect(mismatches).toBe(0);
    expect(await num(`select count(*) as n from client_product_summary where has_brokerage`)).toBeGreaterThan(
      20,
    );
  });

  it('ranks scores in true deciles: 1 to 10, a tenth of the clients each, per score type', async () => {
    const { rows } = await db.client.query<{
      score_type: string;
      deciles: string;
      smallest: string;
      largest: string;
    }>(
      `select score_type, count(*) as deciles, min(n) as smallest, max(n) as largest
         from (select score_type, score_decile, count(*) as n from client_score group by 1, 2) d
        group by score_type`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(7);
    for (const row of rows) {
      expect(Number(row.deciles)).toBe(10);
      expect(Number(row.smallest)).toBeGreaterThanOrEqual(0.09 * CLIENTS);
      expect(Number(row.largest)).toBeLessThanOrEqual(0.11 * CLIENTS);
    }
    // A higher decile never holds a lower score.
    expect(
      await num(
        `with d as (select score_type, score_decile, min(score_value) as lo, max(score_value) as hi
                      from client_score group by 1, 2)
         select count(*) as n from d a join d b on b.score_type = a.score_type and b.score_decile = a.score_decile + 1
          where a.hi > b.lo`,
      ),
    ).toBe(0);
  });

  it("takes a loan's 12-month maximum overdue from its payment history", async () => {
    expect(
      await num(
        `select count(*) as n from loan l
           left join (select loan_id, max(days_late) as late from loan_payment group by loan_id) p using (loan_id)
          where l.loan_type <> 'CREDIT_CARD'
            and l.max_overdue_days_12m <> greatest(l.overdue_days, coalesce(p.late, 0))`,
      ),
    ).toBe(0);
    expect(
      await num(`select count(*) as n from loan_payment where days_late > 0 and paid_date is not null
                   and paid_date - due_date <> days_late`),
    ).toBe(0);
    expect(
      await num(`select count(*) as n from loan where close_date is null and max_overdue_days_12m > 0`),
    ).toBeGreaterThan(20);
  });

  it('moves clients between segments all year round, with assets summed from accounts and portfolios', async () => {
    const { rows } = await db.client.query<{ month_end: string; moves: string }>(
      `select month_end, count(*) filter (where client_segment <> previous) as moves
         from (select month_end, client_segment,
                      lag(client_segment) over (partition by client_id order by month_end) as previous
                 from client_segment_history) h
        group by month_end`,
    );
    const monthsWithMoves = rows.filter((r) => Number(r.moves) > 0).length;
    expect(monthsWithMoves).toBeGreaterThanOrEqual(10);
    // The "moved up in the last 6 months" segment is not empty.
    expect(
      await num(
        `select count(distinct h.client_id) as n from client_segment_history h
           join client_segment_history o on o.client_id = h.client_id and o.month_end = date '2026-04-30'
          where h.month_end = date '${REPORT_DATE}' and o.client_segment = 'MASS' and h.client_segment <> 'MASS'`,
      ),
    ).toBeGreaterThan(0);
    // The latest month agrees with the client's segment now, and with the monthly mart.
    expect(
      await num(
        `select count(*) as n from client_segment_history h join client c using (client_id)
          where h.month_end = date '${REPORT_DATE}' and h.client_segment <> c.client_segment`,
      ),
    ).toBe(0);
    expect(
      await num(
        `select count(*) as n from client_monthly_profile m join client_segment_history h using (client_id, month_end)
          where m.client_segment <> h.client_segment`,
      ),
    ).toBe(0);
    expect(
      await num(
        `with balances as (
           select a.client_id, m.month_end, sum(m.balance_end_rub) as total
             from account_balance_monthly m join account a using (account_id)
            where a.account_type <> 'LOAN'
              and not exists (select 1 from card k where k.account_id = a.account_id and k.card_type = 'CREDIT')
            group by 1, 2),
         portfolios as (
           select b.client_id, p.month_end, sum(p.portfolio_value_rub) as total
             from portfolio_monthly p join brokerage_account b using (brokerage_id)
            group by 1, 2)
         select count(*) as n from client_segment_history h
           left join balances b using (client_id, month_end)
           left join portfolios p using (client_id, month_end)
          where abs(h.total_assets_rub - coalesce(b.total, 0) - coalesce(p.total, 0)) > 0.01`,
      ),
    ).toBe(0);
  });
});
