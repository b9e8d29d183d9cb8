import type { Offer } from '@t2s/contracts';
import type { Expr } from '@t2s/semantic';
import { adoptCriteria, keyOf, nearestPrecedents } from './adopt';
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
