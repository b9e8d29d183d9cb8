import { countedSegmentSql, funnelOf, segmentSql, type CriterionQuery } from './segment-sql';

const entity = { table: 'bank.client', id: 'client_id' };
const parts: CriterionQuery[] = [
  { id: 'c1', kind: 'exclude', sql: 'select client_id from stop_list' },
  { id: 'c2', kind: 'include', sql: 'select distinct client_id from client where age > 30' },
  { id: 'c3', kind: 'include', sql: 'select client_id from card' },
];

describe('segmentSql', () => {
  it('drives from the client table with an EXISTS per inclusion and a NOT EXISTS per exclusion', () => {
    const sql = segmentSql(parts, entity);
    expect(sql).toContain('c_c2 as (\n  select client_id from client where age > 30\n)');
    expect(sql).toContain(
      'from bank.client t0\nwhere not exists (select 1 from c_c1 x where x.client_id = t0.client_id)',
    );
    expect(sql).toContain('  and exists (select 1 from c_c3 x where x.client_id = t0.client_id)');
  });

  it("writes a criterion on the client's own row as a condition of the client scan, not a CTE", () => {
    const row = (where: string) =>
      `select distinct t0.client_id as client_id\nfrom bank.client t0\nwhere ${where}`;
    const sql = segmentSql(
      [
        { id: 'age', kind: 'include', sql: row('t0.age > 30\n  and t0.status = 1') },
        { id: 'vip', kind: 'exclude', sql: row("t0.segment = 'VIP'") },
        {
          id: 'many',
          kind: 'include',
          sql: `${row('t0.age > 1')}\ngroup by t0.client_id\nhaving count(*) > 1`,
        },
        { id: 'card', kind: 'include', sql: 'select client_id from card' },
      ],
      entity,
    );
    expect(sql).not.toContain('c_age as');
    expect(sql).not.toContain('c_vip as');
    expect(sql).toContain('c_many as');
    expect(sql).toContain(
      "from bank.client t0\nwhere (t0.age > 30\n  and t0.status = 1)\n  and not coalesce((t0.segment = 'VIP'), false)\n  and exists (select 1 from c_many x",
    );
    expect(segmentSql([{ id: 'age', kind: 'include', sql: row('t0.age > 30') }], entity)).toBe(
      'select t0.client_id as client_id\nfrom bank.client t0\nwhere (t0.age > 30)',
    );
  });

  it('keeps a DISTINCT ON, which is not a mere deduplication', () => {
    const on = [
      { id: 'a', kind: 'include' as const, sql: 'select distinct on (client_id) client_id from card' },
    ];
    expect(segmentSql(on, entity)).toContain('select distinct on (client_id) client_id from card');
  });

  it('refuses no criteria', () => {
    expect(() => segmentSql([], entity)).toThrow(/at least one criterion/);
    expect(() => countedSegmentSql([], entity)).toThrow(/at least one criterion/);
  });
});

describe('countedSegmentSql and funnelOf', () => {
  it('flags each client with a bit per criterion and lists the members, whose flags are the inclusions', () => {
    const sql = countedSegmentSql(parts, entity);
    expect(sql).toContain(
      'left join (select distinct client_id from c_c3) j3 on j3.client_id = t0.client_id',
    );
    expect(sql).toContain('case when j3.client_id is null then 0 else 4 end as flags');
    expect(sql).toContain(
      'from m where flags = 6\nunion all\nselect null, flags, count(*) from m group by flags',
    );
  });

  it('counts each criterion alone, then inclusions in order and exclusions removed', () => {
    // bits: c1 = 1 (exclude), c2 = 2, c3 = 4
    const tally = new Map([
      ['0', 100],
      ['2', 400],
      ['4', 100],
      ['6', 290],
      ['7', 10],
      ['1', 5],
    ]);
    expect(funnelOf(parts, tally)).toEqual({
      alone: { c1: 15, c2: 700, c3: 400 },
      funnel: [
        { criterion: 'c2', remaining: 700 },
        { criterion: 'c3', remaining: 300 },
        { criterion: 'c1', remaining: 290 },
      ],
    });
  });

  it('has no funnel for exclusions alone, and refuses counts that do not fit the parts', () => {
    const exclusions = parts.slice(0, 1);
    expect(countedSegmentSql(exclusions, entity)).toContain('from m where flags = 0');
    expect(funnelOf(exclusions, new Map([['1', 5]]))).toEqual({ alone: { c1: 5 }, funnel: [] });
    expect(funnelOf(parts, new Map([['8', 1]]))).toBeNull();
    expect(funnelOf(parts, new Map([['x', 1]]))).toBeNull();
    expect(funnelOf(parts, new Map([['1', -1]]))).toBeNull();
  });
});
