import { loadCatalogSnapshot } from '@t2s/catalog/testing';
import { CriteriaCompiler, findSemanticModelFile, SemanticModel, type CriterionSpec } from '@t2s/semantic';
import { loadParser } from '@t2s/sql-guard';
import { isMapped } from './precedent';
import { readCriteria } from './read-criteria';

function bankModel(): SemanticModel {
  const catalog = loadCatalogSnapshot('bank');
  const file = findSemanticModelFile('bank');
  if (!file) throw new Error('no bank model');
  return new SemanticModel(file, catalog, catalog.schemas[0] as string);
}

describe('readCriteria', () => {
  let model: SemanticModel;
  beforeAll(async () => {
    await loadParser();
    model = bankModel();
  });

  it("reads an analyst's query: client columns, a scalar attribute, IN over a grouped window, NOT EXISTS", () => {
    const sql = `with rd as (select max(report_date) as d from etl_load_info),
      travellers as (
        select t.client_id from card_transaction t join ref_mcc m on m.mcc_code = t.mcc_code cross join rd
        where t.txn_type = 'PURCHASE' and m.mcc_group_code in ('AIRLINES', 'HOTELS')
          and t.txn_date > rd.d - interval '12 months'
        group by t.client_id having sum(t.amount_rub) >= 50000)
      select c.client_id from client c cross join rd
      where c.client_status = 'ACTIVE'
        and c.client_id in (select client_id from travellers)
        and extract(year from age(rd.d, c.birth_date)) between 21 and 70
        and not exists (select 1 from card cr where cr.client_id = c.client_id and cr.card_type = 'CREDIT')
        and exists (select 1 from marketing_consent mc where mc.client_id = c.client_id and mc.is_granted)`;
    const read = readCriteria(sql, model);
    expect(read.coverage).toBe(1);
    expect(read.criteria).toEqual([
      {
        kind: 'include',
        expr: {
          type: 'related',
          quantifier: 'some',
          where: { column: 'client.client_status', cmp: { op: 'eq', value: 'ACTIVE' } },
        },
      },
      {
        kind: 'include',
        expr: {
          type: 'aggregate',
          table: 'card_transaction',
          fn: 'sum',
          column: 'card_transaction.amount_rub',
          where: {
            all: [
              { column: 'card_transaction.txn_type', cmp: { op: 'eq', value: 'PURCHASE' } },
              { column: 'ref_mcc.mcc_group_code', cmp: { op: 'in', values: ['AIRLINES', 'HOTELS'] } },
            ],
          },
          window: { column: 'card_transaction.txn_date', last: { n: 12, unit: 'month' } },
          cmp: { op: 'gte', value: 50000 },
        },
      },
      { kind: 'include', expr: { type: 'attr', attr: 'age', cmp: { op: 'between', min: 21, max: 70 } } },
      {
        kind: 'exclude',
        expr: {
          type: 'related',
          table: 'card',
          quantifier: 'some',
          where: { column: 'card.card_type', cmp: { op: 'eq', value: 'CREDIT' } },
        },
      },
      {
        kind: 'include',
        expr: {
          type: 'related',
          table: 'marketing_consent',
          quantifier: 'some',
          where: { column: 'marketing_consent.is_granted', cmp: { op: 'eq', value: true } },
        },
      },
    ]);
  });

  it("reads the compiler's own shape back into the criteria it was compiled from", () => {
    const specs: CriterionSpec[] = [
      { id: 'c1', kind: 'include', expr: { type: 'attr', attr: 'age', cmp: { op: 'gte', value: 30 } } },
      {
        id: 'c2',
        kind: 'exclude',
        expr: {
          type: 'related',
          table: 'loan',
          quantifier: 'some',
          where: { column: 'loan.loan_status', cmp: { op: 'in', values: ['OVERDUE', 'WRITTEN_OFF'] } },
        },
      },
    ];
    const compiler = new CriteriaCompiler(model);
    const read = readCriteria(compiler.segment(specs), model);
    expect(read.coverage).toBe(1);
    const again = read.criteria
      .filter(isMapped)
      .map((c, i) => ({ id: `c${i + 1}`, kind: c.kind, expr: c.expr }));
    expect(compiler.segment(again)).toBe(compiler.segment(specs));
  });

  it('keeps what does not map as the SQL it was written in, and counts it against the coverage', () => {
    const sql = `select c.client_id from client c
      where c.client_status = 'ACTIVE'
        and coalesce(c.region_code, '77') || 'x' = '77x'`;
    const read = readCriteria(sql, model);
    expect(read.coverage).toBe(0.5);
    expect(read.criteria[1]).toEqual({
      kind: 'include',
      sql: "coalesce(c.region_code, '77') || 'x' = '77x'",
    });
  });

  it('reads an EXISTS linked by another key than the client (an account) as SQL, not as the client’s rows', () => {
    const sql = `select c.client_id from client c
      where not exists (select 1 from loan l where l.loan_id = c.client_id)`;
    const read = readCriteria(sql, model);
    expect(read.criteria.some(isMapped)).toBe(false);
  });

  it('reads a query of something other than client ids as one SQL criterion', () => {
    const read = readCriteria(`select count(*) from client where client_status = 'ACTIVE'`, model);
    expect(read).toEqual({
      criteria: [{ kind: 'include', sql: expect.stringContaining('count(*)') }],
      coverage: 0,
    });
  });

  it('reads unparsable SQL as one SQL criterion', () => {
    expect(readCriteria('select from where', model).coverage).toBe(0);
  });
});
