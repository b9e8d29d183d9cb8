// `CriteriaCompiler.expanded`: an attribute over related rows written as those rows compiles to the
// same SQL as the attribute, for every such attribute of the bank and Berka models (over their
// committed catalog snapshots, no database).
import { loadCatalogSnapshot } from '@t2s/catalog/testing';
import { CriteriaCompiler } from './compile';
import type { Expr } from './representation';
import { findSemanticModelFile, SemanticModel } from './semantic-model';

describe.each(['bank', 'berka'] as const)('expanded attributes (%s)', (warehouse) => {
  const catalog = loadCatalogSnapshot(warehouse);
  const file = findSemanticModelFile(warehouse);
  if (!file) throw new Error(`no ${warehouse} model`);
  const model = new SemanticModel(file, catalog, catalog.schemas[0] as string);
  const compiler = new CriteriaCompiler(model);
  const attributes = model.allAttributes().filter((a) => a.measure.kind !== 'scalar');

  it.each(attributes.map((a) => [a.name, a] as const))(
    '%s compiles the same as its rows',
    (_name, attribute) => {
      const expr: Expr =
        attribute.measure.kind === 'aggregate'
          ? { type: 'attr', attr: attribute.name, cmp: { op: 'gte', value: 2 } }
          : { type: 'attr', attr: attribute.name };
      const expanded = compiler.expanded(expr);
      expect(expanded).not.toHaveProperty('attr');
      expect(compiler.expr(expanded)).toBe(compiler.expr(expr));
      const negated: Expr = { type: 'attr', attr: attribute.name, cmp: { op: 'eq', value: false } };
      if (attribute.measure.kind === 'related')
        expect(compiler.expr(compiler.expanded(negated))).toBe(compiler.expr(negated));
    },
  );

  it('leaves scalar attributes and a comparison it cannot write as rows as they are', () => {
    const age: Expr = { type: 'attr', attr: 'age', cmp: { op: 'gte', value: 30 } };
    expect(compiler.expanded(age)).toEqual(age);
  });
});
