// The compiler on Bank Marketing's real shape (its committed catalog snapshot, with the annotations'
// targeting marks): no criterion may read what is known only during or after the current campaign's
// contact or records its outcome, whether named in a condition or through an attribute; what it does
// compile from the other columns passes the generated-SQL guard. No database.
import { loadCatalogSnapshot } from '@t2s/catalog/testing';
import { checkSql, loadSqlGuard, policyFromCatalog } from '@t2s/sql-guard';
import { CompileError, CriteriaCompiler } from './compile';
import type { Expr } from './representation';
import { SemanticModel } from './semantic-model';
import { semanticModelSchema } from './semantic-model.schema';

const catalog = loadCatalogSnapshot('bank_marketing');
const NOT_FOR_TARGETING = ['contact', 'day', 'month', 'duration', 'campaign', 'y'];

/** A hand-made model over the one client table; the bootstrap will derive the real one. */
const model = new SemanticModel(
  semanticModelSchema.parse({
    warehouse: 'bank_marketing',
    entity: { table: 'client', id: 'client_id', label: { ru: 'клиент', en: 'client' } },
    attributes: [
      scalar('age', '{t}.age'),
      scalar('call_length', '{t}.duration'),
      scalar('calls_this_campaign', '{t}."campaign"'),
      {
        name: 'subscribed',
        label: { ru: 'оформил вклад', en: 'subscribed a term deposit' },
        type: 'boolean',
        terms: { ru: [], en: [] },
        measure: {
          kind: 'related',
          table: 'client',
          where: { column: 'client.y', cmp: { op: 'eq', value: 'yes' } },
        },
      },
    ],
  }),
  catalog,
  'bank_marketing',
);
const compiler = new CriteriaCompiler(model);

function scalar(name: string, sql: string) {
  return {
    name,
    label: { ru: name, en: name },
    terms: { ru: [], en: [] },
    measure: { kind: 'scalar', table: 'client', sql },
  };
}

const where = (column: string, value: string | number): Expr => ({
  type: 'related',
  quantifier: 'some',
  where: { column: `client.${column}`, cmp: { op: 'eq', value } },
});

beforeAll(() => loadSqlGuard());

describe('criteria on columns not for targeting', () => {
  it('the snapshot marks the six contact and outcome columns', () => {
    const client = catalog.tables.find((t) => t.name === 'client')!;
    expect(client.columns.filter((c) => c.notForTargeting).map((c) => c.name)).toEqual(NOT_FOR_TARGETING);
  });

  it.each(NOT_FOR_TARGETING)('refuses a condition on client.%s, naming it', (column) => {
    expect(() => compiler.expr(where(column, 1))).toThrow(CompileError);
    expect(() => compiler.expr(where(column, 1))).toThrow(
      `client.${column} is known only during or after the campaign's contact or records its outcome; no criterion may target by it`,
    );
  });

  it('refuses one inside and/or/not, and in an exclusion', () => {
    const ok = where('job', 'retired');
    expect(() => compiler.expr({ and: [ok, { not: where('y', 'yes') }] })).toThrow(/client\.y is known only/);
    expect(() => compiler.expr({ or: [ok, where('month', 'may')] })).toThrow(/client\.month is known only/);
    expect(() =>
      compiler.segment([
        { id: 'retired', kind: 'include', expr: ok },
        { id: 'called', kind: 'exclude', expr: where('contact', 'cellular') },
      ]),
    ).toThrow(/client\.contact is known only/);
  });

  it('refuses an attribute computed from one: a related measure, a scalar, a quoted name', () => {
    expect(() => compiler.expr({ type: 'attr', attr: 'subscribed', cmp: { op: 'eq', value: true } })).toThrow(
      /client\.y is known only/,
    );
    expect(() => compiler.expr({ type: 'attr', attr: 'call_length', cmp: { op: 'gt', value: 300 } })).toThrow(
      /client\.duration is known only/,
    );
    expect(() =>
      compiler.expr({ type: 'attr', attr: 'calls_this_campaign', cmp: { op: 'gte', value: 3 } }),
    ).toThrow(/client\.campaign is known only/);
  });

  it('compiles the other columns, and the guard on generated SQL accepts the result', () => {
    const sql = compiler.segment([
      { id: 'age', kind: 'include', expr: { type: 'attr', attr: 'age', cmp: { op: 'gt', value: 60 } } },
      { id: 'before', kind: 'include', expr: where('poutcome', 'success') },
      { id: 'default', kind: 'exclude', expr: where('default', 'yes') },
    ]);
    expect(checkSql(sql, policyFromCatalog(catalog))).toMatchObject({ ok: true });
  });
});
