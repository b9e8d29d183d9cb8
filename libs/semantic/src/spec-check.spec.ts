// Criteria given as JSON (a criteria builder, an API client) against the bank's committed catalog
// snapshot: each problem at the path of the field it is about, and only criteria that compile pass.
import { loadCatalogSnapshot } from '@t2s/catalog/testing';
import { warehouseSemanticModel } from './bootstrap/model-source';
import { CriteriaCompiler } from './compile';
import { SemanticModel } from './semantic-model';
import { checkCriteriaSpec } from './spec-check';

const catalog = loadCatalogSnapshot('bank');
const model = new SemanticModel(warehouseSemanticModel('bank', catalog, 'bank')!, catalog, 'bank');
const check = (input: unknown[]) => checkCriteriaSpec(model, input);
const problems = (input: unknown[]) => check(input).problems;

const AGE = {
  id: 'c1',
  kind: 'include',
  expr: { type: 'attr', attr: 'age', cmp: { op: 'between', min: 20, max: 25 } },
};

describe('checkCriteriaSpec', () => {
  it('passes criteria that compile, as the representation', () => {
    const input = [
      AGE,
      { id: 'c2', kind: 'include', expr: { type: 'attr', attr: 'has_credit_card' } },
      {
        id: 'c3',
        kind: 'include',
        expr: {
          type: 'related',
          quantifier: 'some',
          where: { column: 'client.gender', cmp: { op: 'eq', value: 'F' } },
        },
      },
      { id: 'c4', kind: 'exclude', expr: { not: { type: 'attr', attr: 'has_marketing_consent' } } },
    ];
    const { specs, problems: found } = check(input);
    expect(found).toEqual([]);
    expect(specs).toEqual(input);
    expect(new CriteriaCompiler(model).segment(specs)).toContain('exists (select 1 from c_c2 x');
  });

  it('names an unknown attribute, table, column and code at its own path', () => {
    expect(
      problems([
        AGE,
        {
          id: 'c2',
          kind: 'include',
          expr: { type: 'attr', attr: 'shoe_size', cmp: { op: 'gt', value: 40 } },
        },
        {
          id: 'c3',
          kind: 'include',
          expr: {
            and: [
              { type: 'related', table: 'yacht', quantifier: 'some' },
              {
                type: 'related',
                quantifier: 'some',
                where: { column: 'client.shoe', cmp: { op: 'eq', value: 1 } },
              },
              {
                type: 'related',
                quantifier: 'some',
                where: { column: 'client.gender', cmp: { op: 'in', values: ['F', 'X'] } },
              },
            ],
          },
        },
      ]),
    ).toEqual([
      { path: '1.expr.attr', reason: 'No attribute shoe_size in the semantic model' },
      { path: '2.expr.and.0.table', reason: 'No table yacht in the warehouse' },
      { path: '2.expr.and.1.where.column', reason: 'No column client.shoe in the warehouse' },
      { path: '2.expr.and.2.where.cmp.values.1', reason: 'No code "X" in client.gender' },
    ]);
  });

  it('reads the shape with paths into the predicate, not "no union branch matched"', () => {
    const found = problems([
      { id: 'c1', kind: 'maybe', expr: { type: 'attr', attr: 'age', cmp: { op: 'around', value: 30 } } },
      { id: 'c2', kind: 'include', expr: { or: [] } },
      {
        id: 'c3',
        kind: 'include',
        expr: { type: 'attr', attr: 'age', cmp: { op: 'gt', value: 30 }, colour: 1 },
      },
      { id: 'c4', kind: 'include', expr: 'age > 30' },
    ]);
    expect(found.map((p) => p.path)).toEqual([
      '0.kind',
      '0.expr.cmp.op',
      '1.expr.or',
      '2.expr.colour',
      '3.expr',
    ]);
  });

  it('holds yes/no and compared attributes to their form, and personal data out', () => {
    expect(
      problems([
        {
          id: 'c1',
          kind: 'include',
          expr: { type: 'attr', attr: 'has_credit_card', cmp: { op: 'eq', value: true } },
        },
        { id: 'c2', kind: 'include', expr: { type: 'attr', attr: 'age' } },
      ]).map((p) => p.path),
    ).toEqual(['0.expr.cmp', '1.expr.cmp']);
    const pii = problems([
      {
        id: 'c1',
        kind: 'include',
        expr: {
          type: 'related',
          quantifier: 'some',
          where: { column: 'client.last_name', cmp: { op: 'eq', value: 'x' } },
        },
      },
    ]);
    // Hidden personal data is no column a criterion can see.
    expect(pii).toEqual([
      { path: '0.expr.where.column', reason: 'No column client.last_name in the warehouse' },
    ]);
  });
});
