import { funnelSql, readFunnelCounts, type CriterionQuery } from './funnel';

const parts: CriterionQuery[] = [
  { id: 'c1', kind: 'exclude', sql: 'select client_id from stop_list' },
  { id: 'c2', kind: 'include', sql: 'select client_id from client where age > 30' },
  { id: 'c3', kind: 'include', sql: 'select client_id from card' },
];

describe('funnelSql', () => {
  it('counts each criterion alone, then inclusions intersected and exclusions removed, in one column', () => {
    const sql = funnelSql(parts);
    expect(sql).toContain('f_1 as (\n  select client_id from c_c2\n)');
    expect(sql).toContain('select client_id from f_1 intersect select client_id from c_c3');
    expect(sql).toContain('select client_id from f_2 except select client_id from c_c1');
    expect(sql.trimEnd().endsWith(') t order by i')).toBe(true);
    expect(readFunnelCounts(parts, ['5', '700', '400', '700', '300', '290'])).toEqual({
      alone: { c1: 5, c2: 700, c3: 400 },
      funnel: [
        { criterion: 'c2', remaining: 700 },
        { criterion: 'c3', remaining: 300 },
        { criterion: 'c1', remaining: 290 },
      ],
    });
  });

  it('refuses no criteria, as a segment of none is refused', () => {
    expect(() => funnelSql([])).toThrow(/at least one criterion/);
  });

  it('has no funnel for exclusions alone, and refuses rows that do not fit', () => {
    const exclusions = parts.slice(0, 1);
    expect(funnelSql(exclusions)).not.toContain('f_1');
    expect(readFunnelCounts(exclusions, ['5'])).toEqual({ alone: { c1: 5 }, funnel: [] });
    expect(readFunnelCounts(parts, ['1', '2'])).toBeNull();
    expect(readFunnelCounts(parts, ['1', '2', '3', '4', 'x', '6'])).toBeNull();
  });
});
