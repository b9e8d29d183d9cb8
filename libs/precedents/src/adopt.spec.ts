import type { Offer } from '@t2s/contracts';
import type { Expr } from '@t2s/semantic';
import { adoptCriteria, adoptThreshold, keyOf, nearestPrecedents } from './adopt';
import type { Precedent, PrecedentCriterion } from './precedent';

const offer = (code: string, channel: Offer['channel'], title: string): Offer => ({
  product: { type: 'mortgage', code, name: 'Ипотека' },
  title,
  channel,
});

const consent: Expr = {
  type: 'related',
  table: 'marketing_consent',
  quantifier: 'some',
  where: { column: 'marketing_consent.channel_code', cmp: { op: 'eq', value: 'SMS' } },
};
const income = (value: number): Expr => ({ type: 'attr', attr: 'monthly_income', cmp: { op: 'gte', value } });
const segments = (...values: string[]): Expr => ({
  type: 'related',
  quantifier: 'some',
  where: { column: 'client.client_segment', cmp: { op: 'in', values } },
});

function precedent(id: string, of: Offer, criteria: PrecedentCriterion[], approvedAt?: string): Precedent {
  return {
    id,
    campaign: `CM-${id}`,
    warehouse: 'bank',
    offer: of,
    sql: `select ${id}`,
    origin: 'import',
    criteria,
    ...(approvedAt ? { approvedAt } : {}),
  };
}

describe('nearestPrecedents', () => {
  it("ranks the offer's product type only: same code, then channel, then words", () => {
    const mine = offer('MORT_FAMILY', 'SMS', 'Семейная ипотека');
    const ranked = nearestPrecedents(mine, [
      precedent('a', offer('MORT_IT', 'SMS', 'Ипотека для IT'), []),
      precedent('b', offer('MORT_FAMILY', 'EMAIL', 'Семейная ипотека 6%'), []),
      precedent('c', { ...offer('CC', 'SMS', 'Семейная ипотека'), product: { type: 'credit_card' } }, []),
    ]);
    expect(ranked.map((n) => n.precedent.id)).toEqual(['b', 'a']);
  });
});

describe('adoptCriteria', () => {
  it('adopts a criterion that recurs with the same numbers, the offer’s channel in place of theirs, with its campaigns', () => {
    const mine = offer('MORT_FAMILY', 'PUSH', 'Семейная ипотека');
    const adopted = adoptCriteria(mine, [
      precedent('a', offer('MORT_IT', 'SMS', 'Ипотека'), [{ kind: 'include', expr: consent }], '2026-09-14'),
      precedent('b', offer('MORT_PRIMARY', 'SMS', 'Ипотека'), [{ kind: 'include', expr: consent }]),
      precedent('c', offer('MORT_SECONDARY', 'SMS', 'Ипотека'), [{ kind: 'include', expr: income(80_000) }]),
    ]);
    expect(adopted).toHaveLength(1);
    expect(JSON.stringify(adopted[0]?.expr)).toContain('"PUSH"');
    expect(adopted[0]?.provenance.adapted).toBe('as_is');
    expect(adopted[0]?.provenance.precedents.map((p) => p.campaign)).toEqual(
      expect.arrayContaining(['CM-a', 'CM-b']),
    );
    expect(adopted[0]?.provenance.precedents.find((p) => p.campaign === 'CM-a')?.approvedAt).toBe(
      '2026-09-14',
    );
  });

  it("takes numbers that differ only from the offer's own product, as their median", () => {
    const mine = offer('MORT_FAMILY', 'SMS', 'Семейная ипотека');
    const family = offer('MORT_FAMILY', 'SMS', 'Семейная ипотека');
    const other = offer('MORT_IT', 'SMS', 'Ипотека');
    const spread = [
      precedent('a', other, [{ kind: 'include', expr: income(200_000) }]),
      precedent('b', other, [{ kind: 'include', expr: income(150_000) }]),
    ];
    expect(adoptCriteria(mine, spread)).toEqual([]);
    const own = [
      precedent('c', family, [{ kind: 'include', expr: income(60_000) }]),
      precedent('d', family, [{ kind: 'include', expr: income(100_000) }]),
    ];
    const adopted = adoptCriteria(mine, [...spread, ...own]);
    expect(adopted.map((a) => a.expr)).toEqual([income(80_000)]);
    expect(adopted[0]?.provenance).toMatchObject({ adapted: 'median' });
  });

  it('unites value lists and never adopts what one campaign alone has', () => {
    const mine = offer('MORT_FAMILY', 'SMS', 'Ипотека');
    const adopted = adoptCriteria(mine, [
      precedent('a', offer('MORT_IT', 'SMS', 'Ипотека'), [{ kind: 'include', expr: segments('PREMIUM') }]),
      precedent('b', offer('MORT_IT', 'SMS', 'Ипотека'), [
        { kind: 'include', expr: segments('PREMIUM', 'PRIVATE') },
        { kind: 'include', expr: income(1) },
      ]),
    ]);
    expect(adopted.map((a) => a.expr)).toEqual([segments('PREMIUM', 'PRIVATE')]);
    expect(adopted[0]?.provenance.adapted).toBe('union');
  });

  it('gives a rule’s criterion and a precedent’s of the same shape one key, whatever the threshold', () => {
    const mine = offer('MORT_FAMILY', 'SMS', 'Ипотека');
    expect(keyOf(income(1), mine, 'include').key).toBe(keyOf(income(90_000), mine, 'include').key);
    expect(keyOf(income(1), mine, 'include').exact).not.toBe(keyOf(income(90_000), mine, 'include').exact);
    expect(keyOf(income(1), mine, 'include').key).not.toBe(keyOf(income(1), mine, 'exclude').key);
    const a = { column: 'client.client_status', cmp: { op: 'eq' as const, value: 'ACTIVE' } };
    const b = { column: 'client.region_code', cmp: { op: 'in' as const, values: ['77', '78'] } };
    const one: Expr = { type: 'related', quantifier: 'some', where: { all: [a, b] } };
    const other: Expr = { type: 'related', quantifier: 'some', where: { all: [b, { ...a }] } };
    expect(keyOf(one, mine, 'include').exact).toBe(keyOf(other, mine, 'include').exact);
  });
});

describe('adoptThreshold', () => {
  const spend = (value: number, n: number, group: string): Expr => ({
    type: 'aggregate',
    table: 'card_transaction',
    fn: 'sum',
    column: 'card_transaction.amount_rub',
    where: { column: 'ref_mcc.mcc_group_code', cmp: { op: 'in', values: [group] } },
    window: { column: 'card_transaction.txn_date', last: { n, unit: 'month' } },
    cmp: { op: 'gte', value },
  });
  const mine = offer('MORT_FAMILY', 'SMS', 'Ипотека');
  const archive = [
    precedent('a', mine, [{ kind: 'include', expr: spend(30_000, 3, 'HOME') }]),
    precedent('b', mine, [{ kind: 'include', expr: spend(24_000, 12, 'HEALTH') }]),
    precedent('c', mine, [{ kind: 'exclude', expr: spend(1_000_000, 12, 'TRAVEL') }]),
  ];

  it("takes the median per month of the campaigns' bounds on the same measure, over the rule's window", () => {
    const adopted = adoptThreshold(spend(0, 12, 'TRAVEL'), archive);
    // 10,000 and 2,000 a month: 6,000 a month, 72,000 over 12 months; an exclusion sets no bound.
    expect(adopted?.value).toBe(72_000);
    expect(adopted?.provenance.adapted).toBe('median');
    expect(adopted?.provenance.precedents.map((p) => p.campaign)).toEqual(['CM-a', 'CM-b']);
  });

  it('needs two campaigns, and the same measure (a joined code column counts as the column it refers to)', () => {
    expect(adoptThreshold(spend(0, 12, 'TRAVEL'), archive.slice(0, 1))).toBeUndefined();
    const other: Expr = {
      ...(spend(0, 12, 'TRAVEL') as object),
      column: 'card_transaction.cashback_rub',
    } as Expr;
    expect(adoptThreshold(other, archive)).toBeUndefined();
    const viaGroup: Expr = {
      ...(spend(0, 3, 'TRAVEL') as object),
      where: { column: 'ref_mcc_group.mcc_group_code', cmp: { op: 'in', values: ['TRAVEL'] } },
    } as Expr;
    const canonical = (c: string) => (c === 'ref_mcc.mcc_group_code' ? 'ref_mcc_group.mcc_group_code' : c);
    expect(adoptThreshold(viaGroup, archive)).toBeUndefined();
    expect(adoptThreshold(viaGroup, archive, canonical)?.value).toBe(18_000);
  });
});
