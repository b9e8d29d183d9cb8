// A property of the representation and its compiler: every valid segment built from the bank semantic
// model validates, compiles, passes the SQL guard, renders, and runs on a seeded warehouse. Segments are
// random but reproducible (a seeded generator, no new dependency): attributes with comparisons of their
// kind, related rows over columns reachable from a client-owned table (coded values from the catalog's
// value index, booleans, relative dates, numbers), aggregates, and/or/not up to depth 3, 1-5 criteria.
import { findAnnotationsFor, introspectCatalog, type Catalog, type CatalogColumn } from '@t2s/catalog';
import { createTestSchema, type TestSchema } from '@t2s/db';
import { checkSql, loadSqlGuard, policyFromCatalog, type GuardPolicy } from '@t2s/sql-guard';
import { seedDemoWarehouse } from '@t2s/warehouse';
import { CriteriaCompiler } from './compile';
import { CriteriaRenderer } from './render';
import {
  AGGREGATE_FUNCTIONS,
  criterionSpecSchema,
  QUANTIFIERS,
  type Comparison,
  type CriterionSpec,
  type Expr,
  type Predicate,
  type RowCondition,
  type Scalar,
  type Span,
  type TimeWindow,
} from './representation';
import { findSemanticModelFile, SemanticModel } from './semantic-model';
import type { Attribute } from './semantic-model.schema';

const SEED = 20261031;
const SEGMENTS = 240;

/** mulberry32: small, fast and the same on every machine, so a failing segment can be rebuilt. */
class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing');
    return items[this.int(0, items.length - 1)] as T;
  }

  some<T>(items: readonly T[], max: number): T[] {
    const count = this.int(1, Math.min(max, items.length));
    return [...new Set(Array.from({ length: count }, () => this.pick(items)))];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

type ColumnKind = 'coded' | 'boolean' | 'date' | 'number';

/** Plausible magnitudes by an attribute's unit, so comparisons keep some clients and drop others. */
const RANGES: Record<string, [number, number]> = {
  year: [18, 80],
  rub: [0, 300_000],
  count: [0, 30],
  percent: [0, 100],
  share: [0, 1],
  day: [0, 365],
  month: [0, 240],
};

/** Random valid representations over one semantic model and its catalog. */
class SegmentGenerator {
  private readonly owned: string[];
  private readonly reachable = new Map<string, string[]>();

  constructor(
    private readonly model: SemanticModel,
    private readonly random: Random,
  ) {
    const graph = model.graph;
    this.owned = graph.tableNames().filter((t) => graph.ownerPath(t) !== null && this.columns(t).length > 0);
  }

  segment(): CriterionSpec[] {
    const count = this.random.int(1, 5);
    return Array.from({ length: count }, (_, i) => ({
      id: `c${i + 1}`,
      kind: this.random.chance(0.65) ? 'include' : 'exclude',
      expr: this.expr(1),
    }));
  }

  private expr(depth: number): Expr {
    if (depth < 3 && this.random.chance(0.4)) {
      const op = this.random.pick(['and', 'or', 'not'] as const);
      if (op === 'not') return { not: this.expr(depth + 1) };
      const children = Array.from({ length: this.random.int(2, 3) }, () => this.expr(depth + 1));
      return op === 'and' ? { and: children } : { or: children };
    }
    const roll = this.random.next();
    return roll < 0.5 ? this.attr() : roll < 0.8 ? this.related() : this.aggregate();
  }

  private attr(): Predicate {
    const attribute = this.random.pick(this.model.allAttributes());
    const predicate: Extract<Predicate, { type: 'attr' }> = { type: 'attr', attr: attribute.name };
    if (attribute.type === 'boolean') {
      if (this.random.chance(0.3)) predicate.cmp = { op: 'eq', value: false };
    } else {
      predicate.cmp = this.numberComparison(RANGES[attribute.unit ?? 'count'] ?? [0, 100]);
    }
    const measure = attribute.measure;
    if (measure.kind !== 'scalar') {
      if (measure.window && this.random.chance(0.3)) predicate.window = this.span();
      const refinement = this.refinement(attribute);
      if (refinement && this.random.chance(0.4)) predicate.where = refinement;
    }
    return predicate;
  }

  private related(): Predicate {
    const table = this.random.pick(this.owned);
    const explicit = this.random.chance(0.6);
    const predicate: Extract<Predicate, { type: 'related' }> = {
      type: 'related',
      quantifier: this.random.pick(QUANTIFIERS),
    };
    if (explicit) predicate.table = table;
    if (!explicit || this.random.chance(0.85)) predicate.where = this.condition(table, 1);
    const window = explicit ? this.window(table) : undefined;
    if (window && this.random.chance(0.4)) predicate.window = window;
    return predicate;
  }

  private aggregate(): Predicate {
    const table = this.random.pick(this.owned);
    const numbers = this.columns(table).filter((c) => c.kind === 'number');
    let fn = this.random.pick(AGGREGATE_FUNCTIONS);
    if (fn !== 'count' && numbers.length === 0) fn = 'count';
    const predicate: Extract<Predicate, { type: 'aggregate' }> = {
      type: 'aggregate',
      table,
      fn,
      cmp: this.numberComparison(fn === 'count' || fn === 'count_distinct' ? [0, 20] : [0, 100_000]),
    };
    if (fn !== 'count') predicate.column = `${table}.${this.random.pick(numbers).name}`;
    if (this.random.chance(0.5)) predicate.where = this.condition(table, 2);
    const window = this.window(table);
    if (window && this.random.chance(0.5)) {
      predicate.window = window;
      if (this.random.chance(0.3)) predicate.per = 'month';
      // A window that ends before the report date.
      if (this.random.chance(0.2)) predicate.window.before = this.span();
    }
    // The share of the count or sum that rows meeting a condition make up.
    if ((fn === 'count' || fn === 'sum') && this.random.chance(0.2)) {
      predicate.share = this.condition(table, 2);
      predicate.cmp = {
        op: this.random.pick(['gt', 'gte', 'lt', 'lte'] as const),
        value: this.random.int(0, 100) / 100,
      };
    }
    return predicate;
  }

  private condition(table: string, depth: number): RowCondition {
    if (depth < 3 && this.random.chance(0.3)) {
      const op = this.random.pick(['all', 'any', 'not'] as const);
      if (op === 'not') return { not: this.condition(table, depth + 1) };
      const parts = Array.from({ length: this.random.int(2, 3) }, () => this.condition(table, depth + 1));
      return op === 'all' ? { all: parts } : { any: parts };
    }
    const lookup = this.random.pick(this.reachableFrom(table));
    const column = this.random.pick(this.columns(lookup));
    return { column: `${lookup}.${column.name}`, cmp: this.columnComparison(column) };
  }

  /** A refinement the model declares for the attribute, with a value the column really has. */
  private refinement(attribute: Attribute): RowCondition | undefined {
    const usable = attribute.refinements
      .map((ref) => {
        const [table = '', name = ''] = ref.split('.');
        return { ref, column: this.columns(table).find((c) => c.name === name) };
      })
      .filter((r) => r.column && (r.column.kind === 'coded' || r.column.kind === 'boolean'));
    if (usable.length === 0) return undefined;
    const { ref, column } = this.random.pick(usable);
    return { column: ref, cmp: this.columnComparison(column as NonNullable<typeof column>) };
  }

  private columnComparison(column: { kind: ColumnKind; values: string[] }): Comparison {
    switch (column.kind) {
      case 'coded': {
        const op = this.random.pick(['eq', 'ne', 'in', 'not_in', 'like', 'is_null', 'not_null'] as const);
        if (op === 'is_null' || op === 'not_null') return { op };
        if (op === 'in' || op === 'not_in') return { op, values: this.random.some(column.values, 3) };
        const value = this.random.pick(column.values);
        return { op, value: op === 'like' ? value.slice(0, this.random.int(1, value.length)) : value };
      }
      case 'boolean':
        return this.random.chance(0.2) ? { op: 'is_null' } : { op: 'eq', value: this.random.chance(0.5) };
      case 'date': {
        const op = this.random.pick(['gt', 'gte', 'lt', 'lte', 'between'] as const);
        const date = (): Scalar => ({ now: true, minus: this.span() });
        if (op === 'between')
          return { op, min: date(), max: this.random.chance(0.5) ? { now: true } : date() };
        return { op, value: date() };
      }
      case 'number':
        return this.numberComparison([0, 10_000]);
    }
  }

  private numberComparison([low, high]: [number, number]): Comparison {
    const value = () => (high <= 1 ? Math.round(this.random.next() * 100) / 100 : this.random.int(low, high));
    const op = this.random.pick(['gt', 'gte', 'lt', 'lte', 'between', 'eq'] as const);
    if (op !== 'between') return { op, value: value() };
    const [min, max] = [value(), value()].sort((a, b) => a - b) as [number, number];
    return { op, min, max };
  }

  private span(): Span {
    const unit = this.random.pick(['day', 'month', 'year'] as const);
    return {
      n:
        unit === 'day'
          ? this.random.int(1, 400)
          : unit === 'month'
            ? this.random.int(1, 24)
            : this.random.int(1, 3),
      unit,
    };
  }

  private window(table: string): TimeWindow | undefined {
    const dates = this.columns(table).filter((c) => c.kind === 'date');
    if (dates.length === 0) return undefined;
    return {
      column: `${table}.${this.random.pick(dates).name}`,
      last: { ...this.span(), n: this.random.int(1, 24) },
    };
  }

  private reachableFrom(table: string): string[] {
    const known = this.reachable.get(table);
    if (known) return known;
    const graph = this.model.graph;
    const found = graph
      .tableNames()
      .filter((t) => graph.lookupPath(table, t) !== null && this.columns(t).length > 0);
    this.reachable.set(table, found);
    return found;
  }

  private columns(table: string): { name: string; kind: ColumnKind; values: string[] }[] {
    return (this.model.graph.table(table)?.columns ?? []).flatMap((c) => {
      // Personal data not approved for filtering is no criterion's (the compiler refuses it).
      if (c.pii && !c.piiFilterable) return [];
      const kind = kindOf(c);
      return kind ? [{ name: c.name, kind, values: c.values ?? [] }] : [];
    });
  }
}

function kindOf(column: CatalogColumn): ColumnKind | undefined {
  if (column.values && column.values.length > 0) return 'coded';
  if (column.type === 'boolean') return 'boolean';
  if (/^(date|timestamp)/.test(column.type)) return 'date';
  if (/^(smallint|integer|bigint|numeric|real|double)/.test(column.type)) return 'number';
  return undefined;
}

let warehouse: TestSchema;
let catalog: Catalog;
let model: SemanticModel;
let policy: GuardPolicy;

beforeAll(async () => {
  warehouse = await createTestSchema('sem_prop');
  await seedDemoWarehouse({
    url: warehouse.url,
    schema: warehouse.schema,
    clients: 300,
    seed: 3,
    reportDate: '2026-10-31',
  });
  catalog = await introspectCatalog(warehouse.client, {
    schemas: [warehouse.schema],
    // The bank's PII marks, as the workers read them (its notPii overrides the name fallback).
    annotations: findAnnotationsFor('bank'),
  });
  const file = findSemanticModelFile('bank');
  if (!file) throw new Error('config/warehouses/bank.annotations.json declares no semantic model');
  model = new SemanticModel(file, catalog, warehouse.schema);
  await loadSqlGuard();
  policy = policyFromCatalog(catalog);
}, 120_000);

afterAll(async () => {
  await warehouse?.drop();
});

/** Runs a query the way the sandbox does: read-only, with a statement timeout, nothing kept. */
async function execute(sql: string): Promise<string[]> {
  await warehouse.client.query("begin read only; set local statement_timeout = '10s'");
  try {
    const { rows } = await warehouse.client.query<{ client_id?: string }>(sql);
    return rows.map((row) => String(row.client_id)).sort();
  } finally {
    await warehouse.client.query('rollback');
  }
}

it(`validates, compiles, guards, renders and runs ${SEGMENTS} random segments (seed ${SEED})`, async () => {
  const generator = new SegmentGenerator(model, new Random(SEED));
  const compiler = new CriteriaCompiler(model);
  const renderers = [new CriteriaRenderer(model, 'ru'), new CriteriaRenderer(model, 'en')];
  const failures: { segment: number; stage: string; error: string; criteria: CriterionSpec[] }[] = [];
  const kinds = new Set<string>();

  for (let i = 0; i < SEGMENTS; i++) {
    const criteria = generator.segment();
    let stage = 'validate';
    try {
      for (const criterion of criteria) expect(criterionSpecSchema.parse(criterion)).toEqual(criterion);
      stage = 'compile';
      const sql = compiler.segment(criteria);
      stage = 'guard';
      const verdict = checkSql(sql, policy);
      if (!verdict.ok) throw new Error(`${verdict.code}: ${verdict.reason}`);
      stage = 'render';
      for (const renderer of renderers) criteria.forEach((c) => expect(renderer.expr(c.expr)).not.toBe(''));
      stage = 'execute';
      await execute(sql);
      for (const c of criteria) collectKinds(c.expr, kinds);
    } catch (error) {
      failures.push({ segment: i, stage, error: (error as Error).message.slice(0, 400), criteria });
    }
  }
  // Show a few whole, so one can be replayed by hand; the count says how common the failure is.
  expect({ failed: failures.length, first: failures.slice(0, 3) }).toEqual({ failed: 0, first: [] });
  // The generator really covers every kind of predicate and combination.
  expect([...kinds].sort()).toEqual(['aggregate', 'and', 'attr', 'not', 'or', 'related']);
}, 90_000);

it('keeps the identities of its boolean algebra on random criteria', async () => {
  const random = new Random(SEED + 1);
  const generator = new SegmentGenerator(model, random);
  const compiler = new CriteriaCompiler(model);
  const ids = (expr: Expr) => execute(compiler.expr(expr));
  const everyone = await execute(`select client_id from ${model.qualify('client')}`);
  const minus = (a: string[], b: string[]) => a.filter((id) => !b.includes(id));
  for (let i = 0; i < 40; i++) {
    const [x, y] = [generator.segment()[0]?.expr, generator.segment()[0]?.expr] as [Expr, Expr];
    const [xs, ys] = [await ids(x), await ids(y)];
    const context = JSON.stringify({ x, y });
    expect({ context, ids: await ids({ not: { not: x } }) }).toEqual({ context, ids: xs });
    expect({ context, ids: await ids({ or: [x, { not: x }] }) }).toEqual({ context, ids: everyone });
    expect({ context, ids: await ids({ and: [x, { not: x }] }) }).toEqual({ context, ids: [] });
    // De Morgan, and a segment is its inclusions minus its exclusions.
    expect({ context, ids: await ids({ not: { and: [x, y] } }) }).toEqual({
      context,
      ids: await ids({ or: [{ not: x }, { not: y }] }),
    });
    const segment = compiler.segment([
      { id: 'x', kind: 'include', expr: x },
      { id: 'y', kind: 'exclude', expr: y },
    ]);
    expect({ context, ids: await execute(segment) }).toEqual({ context, ids: minus(xs, ys) });
  }
}, 60_000);

it('keeps the meaning of quantifiers on random conditions (some, none, all)', async () => {
  const random = new Random(SEED + 2);
  const generator = new SegmentGenerator(model, random);
  const compiler = new CriteriaCompiler(model);
  const ids = (expr: Expr) => execute(compiler.expr(expr));
  const everyone = await execute(`select client_id from ${model.qualify('client')}`);
  let checked = 0;
  while (checked < 40) {
    const expr = generator.segment()[0]?.expr;
    if (!expr || !('type' in expr) || expr.type !== 'related' || !expr.where) continue;
    checked++;
    const where = expr.where;
    const related = { ...expr, table: expr.table ?? startTableOf(compiler.expr(expr)) };
    const context = JSON.stringify(related);
    const some = await ids({ ...related, quantifier: 'some' });
    const none = await ids({ ...related, quantifier: 'none' });
    const all = await ids({ ...related, quantifier: 'all' });
    const anyRow = await ids({ ...related, quantifier: 'some', where: undefined });
    const failing = await ids({ ...related, quantifier: 'some', where: { not: where } });
    expect({ context, none }).toEqual({ context, none: everyone.filter((id) => !some.includes(id)) });
    // "All rows meet it": clients with rows, none of which fails it (a null fails).
    expect({ context, all }).toEqual({ context, all: anyRow.filter((id) => !failing.includes(id)) });
  }
}, 60_000);

/** The table the compiler chose for a table-less predicate (its `from ... t0`). */
function startTableOf(sql: string): string {
  const match = /from \S+\.(\w+) t0/.exec(sql);
  if (!match) throw new Error(`No start table in ${sql}`);
  return match[1] as string;
}

function collectKinds(expr: Expr, into: Set<string>): void {
  if ('type' in expr) into.add(expr.type);
  else if ('and' in expr) {
    into.add('and');
    expr.and.forEach((e) => collectKinds(e, into));
  } else if ('or' in expr) {
    into.add('or');
    expr.or.forEach((e) => collectKinds(e, into));
  } else {
    into.add('not');
    collectKinds(expr.not, into);
  }
}
