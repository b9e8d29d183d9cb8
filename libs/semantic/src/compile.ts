import { isNotForTargeting } from '@t2s/catalog';
import { indentSql, quoteIdent, quoteLiteral } from '@t2s/db';
import {
  isPredicate,
  type Comparison,
  type CriterionSpec,
  type Expr,
  type AttrValue,
  type LookupValue,
  type Predicate,
  type RowCondition,
  type Scalar,
  type TimeWindow,
} from './representation';
import type { Step } from './schema-graph';
import { CompileError } from './errors';
import { segmentEntity, segmentSql } from './segment-sql';
import type { Measure } from './semantic-model.schema';
import { SemanticModelError, type SemanticModel } from './semantic-model';

export { CompileError };

const ID = 'client_id';

/**
 * One SELECT over a start table (alias t0): many-to-one joins to the tables its conditions name, and
 * the joins from its rows to the client they belong to. Joins are added as references need them, so
 * the query touches only what the criterion uses.
 */
export class RowQuery {
  private readonly joins: string[] = [];
  private readonly aliases = new Map<string, string>();
  private n = 0;

  constructor(
    private readonly model: SemanticModel,
    readonly table: string,
  ) {
    if (!model.graph.table(table)) throw new CompileError(`No table ${table} in the warehouse`);
    this.aliases.set(table, 't0');
  }

  /** SQL for `table.column`, joining the lookup tables on the way (left joins: a missing row is null). */
  column(ref: string): string {
    const [table = '', column = ''] = ref.split('.');
    if (!this.model.graph.hasColumn(table, column))
      throw new CompileError(`No column ${ref} in the warehouse`);
    if (this.model.graph.isHiddenPii(table, column))
      throw new CompileError(`${ref} holds personal data; no criterion may use it`);
    refuseNotForTargeting(this.model, table, column);
    return `${this.aliasOf(table)}.${quoteIdent(column)}`;
  }

  condition(cond: RowCondition): string {
    if ('column' in cond) return compare(this.column(cond.column), cond.cmp, this.model.values);
    if ('all' in cond) return `(${cond.all.map((c) => this.condition(c)).join(' and ')})`;
    if ('any' in cond) return `(${cond.any.map((c) => this.condition(c)).join(' or ')})`;
    return `not coalesce(${this.condition(cond.not)}, false)`;
  }

  window(window: TimeWindow): string {
    const column = this.column(window.column);
    // The window's end: the report date (or the day it is taken at), or that long before it ("in the 6
    // months before that").
    const now = window.asOf ? `date ${quoteLiteral(window.asOf)}` : this.model.nowSql;
    const end = window.before ? `(${now} - ${interval(window.before.n, window.before.unit)})` : now;
    // `< end + 1 day` rather than `<= end`: a timestamp during the last day is inside the window.
    return `${column} > ${end} - ${interval(window.last.n, window.last.unit)} and ${column} < ${end} + ${interval(1, 'day')}`;
  }

  /** The client id of a row, following the owner path (inner joins: a row of no client is dropped). */
  ownerId(): string {
    const path = this.model.graph.ownerPath(this.table);
    if (path === null) throw new CompileError(`Rows of ${this.table} belong to no client`);
    let alias = 't0';
    let table = this.table;
    for (const step of path) {
      alias = this.ownerJoin(step, alias);
      table = step.to;
    }
    return `${alias}.${quoteIdent(this.model.graph.entityIdColumn(table) ?? this.model.entity.id)}`;
  }

  from(): string {
    return [`${this.model.qualify(this.table)} t0`, ...this.joins].join('\n  ');
  }

  private aliasOf(table: string): string {
    const known = this.aliases.get(table);
    if (known) return known;
    const path = this.model.graph.lookupPath(this.table, table);
    if (path === null) throw new CompileError(`${table} cannot be reached from ${this.table} by its keys`);
    let alias = 't0';
    for (const step of path) {
      const next = this.aliases.get(step.to);
      if (next) {
        alias = next;
        continue;
      }
      const joined = `j${++this.n}`;
      const on = step.columns
        .map((c, i) => `${joined}.${quoteIdent(step.refColumns[i] as string)} = ${alias}.${quoteIdent(c)}`)
        .join(' and ');
      this.joins.push(`left join ${this.model.qualify(step.to)} ${joined} on ${on}`);
      this.aliases.set(step.to, joined);
      alias = joined;
    }
    return alias;
  }

  private ownerJoin(step: Step, from: string): string {
    const alias = `o${++this.n}`;
    if (step.kind === 'key') {
      const on = step.columns
        .map((c, i) => `${alias}.${quoteIdent(step.refColumns[i] as string)} = ${from}.${quoteIdent(c)}`)
        .join(' and ');
      this.joins.push(`join ${this.model.qualify(step.to)} ${alias} on ${on}`);
      return alias;
    }
    let on = `${alias}.${quoteIdent(step.on)} = ${from}.${quoteIdent(step.on)}`;
    if (step.where) on += ` and ${this.linkCondition(step.where, alias, step.to)}`;
    this.joins.push(`join ${this.model.qualify(step.to)} ${alias} on ${on}`);
    return alias;
  }

  /** A link table's own condition (its columns only). */
  private linkCondition(cond: RowCondition, alias: string, table: string): string {
    if ('column' in cond) {
      const [t, c = ''] = cond.column.split('.');
      if (t !== table) throw new CompileError(`A link condition on ${table} names ${cond.column}`);
      return compare(`${alias}.${quoteIdent(c)}`, cond.cmp, this.model.values);
    }
    if ('all' in cond) return `(${cond.all.map((c) => this.linkCondition(c, alias, table)).join(' and ')})`;
    if ('any' in cond) return `(${cond.any.map((c) => this.linkCondition(c, alias, table)).join(' or ')})`;
    return `not (${this.linkCondition(cond.not, alias, table)})`;
  }
}

/**
 * A column known only during or after the current campaign's contact, or recording its outcome (the
 * catalog's `notForTargeting`): a segment chosen by it would be the outcome, not a forecast of it.
 */
function refuseNotForTargeting(model: SemanticModel, table: string, column: string): void {
  const found = model.graph.table(table)?.columns.find((c) => c.name === column);
  if (found && isNotForTargeting(found)) {
    throw new CompileError(
      `${table}.${column} is known only during or after the campaign's contact or records its outcome; no criterion may target by it`,
    );
  }
}

/** The columns of `table` a scalar measure's SQL names as `{t}.column`, each refused if not for targeting. */
function refuseScalarNotForTargeting(model: SemanticModel, table: string, sql: string): void {
  for (const match of sql.matchAll(/\{t\}\.("?)([A-Za-z_][A-Za-z0-9_]*)\1/g)) {
    refuseNotForTargeting(model, table, match[2] as string);
  }
}

/** How values that are SQL themselves (the report date, a reference row's value) are written. */
export interface ValueContext {
  now: string;
  lookup?: (value: LookupValue) => string;
  /** Another scalar attribute of the same rows (only where one attribute is compared). */
  attr?: (value: AttrValue) => string;
}

function literalOf(value: Scalar, ctx: ValueContext): string {
  if (typeof value === 'object') {
    if ('lookup' in value) {
      if (!ctx.lookup) throw new CompileError('A reference value needs the semantic model');
      return ctx.lookup(value);
    }
    if ('attr' in value) {
      if (!ctx.attr) {
        throw new CompileError(
          `The value of attribute ${value.attr} can only be compared with another attribute`,
        );
      }
      return ctx.attr(value);
    }
    const base = value.start ? `date_trunc(${quoteLiteral(value.start)}, ${ctx.now})::date` : ctx.now;
    const minus = value.minus ? ` - ${interval(value.minus.n, value.minus.unit)}` : '';
    const plus = value.plus ? ` + ${interval(value.plus.n, value.plus.unit)}` : '';
    // date ± interval is a timestamp; compared with a date column that is what the window means.
    return minus || plus ? `(${base}${minus}${plus})` : base;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CompileError(`Not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return quoteLiteral(value);
}

function interval(n: number, unit: string): string {
  return `interval ${quoteLiteral(`${n} ${unit}`)}`;
}

/** `sql <op> value`; relative dates are computed from `now` (the warehouse's report date). */
export function compare(sql: string, cmp: Comparison, ctx: ValueContext = { now: 'current_date' }): string {
  // A reference value the reference table lacks (an unknown product code) bounds nothing.
  const bound = (value: Scalar, op: string) => {
    const v = literalOf(value, ctx);
    return typeof value === 'object' && 'lookup' in value
      ? `(${v} is null or ${sql} ${op} ${v})`
      : `${sql} ${op} ${v}`;
  };
  if (cmp.op === 'between' && [cmp.min, cmp.max].some((v) => typeof v === 'object' && 'lookup' in v)) {
    return `(${bound(cmp.min, '>=')} and ${bound(cmp.max, '<=')})`;
  }
  if ('value' in cmp && typeof cmp.value === 'object' && 'lookup' in cmp.value) {
    const ops: Record<string, string> = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };
    const op = ops[cmp.op];
    if (op) return bound(cmp.value, op);
  }
  const literal = (value: Scalar) => literalOf(value, ctx);
  switch (cmp.op) {
    case 'eq':
      return `${sql} = ${literal(cmp.value)}`;
    case 'ne':
      return `${sql} <> ${literal(cmp.value)}`;
    case 'gt':
      return `${sql} > ${literal(cmp.value)}`;
    case 'gte':
      return `${sql} >= ${literal(cmp.value)}`;
    case 'lt':
      return `${sql} < ${literal(cmp.value)}`;
    case 'lte':
      return `${sql} <= ${literal(cmp.value)}`;
    case 'like':
      return `${sql} ilike ${literal(`%${String(typeof cmp.value === 'object' ? '' : cmp.value).replace(/[%_\\]/g, (c) => `\\${c}`)}%`)}`;
    case 'between':
      return `${sql} between ${literal(cmp.min)} and ${literal(cmp.max)}`;
    case 'in':
      return `${sql} in (${cmp.values.map(literal).join(', ')})`;
    case 'not_in':
      return `${sql} not in (${cmp.values.map(literal).join(', ')})`;
    case 'is_null':
      return `${sql} is null`;
    case 'not_null':
      return `${sql} is not null`;
  }
}

/** Whether a count meets the comparison exactly when it is 1 or more (`> 0`, `>= 1`, `!= 0`). */
function onlyOneOrMoreMeets(cmp: Comparison): boolean {
  const v = 'value' in cmp && typeof cmp.value === 'number' ? cmp.value : Number.NaN;
  return (
    (cmp.op === 'gt' && v >= 0 && v < 1) ||
    (cmp.op === 'gte' && v > 0 && v <= 1) ||
    (cmp.op === 'ne' && v === 0)
  );
}

/** Whether a client with no rows (count 0, sum 0) meets the comparison: such clients must be added. */
function zeroMeets(cmp: Comparison): boolean {
  const n = (v: Scalar) => (typeof v === 'number' ? v : Number.NaN);
  switch (cmp.op) {
    case 'eq':
      return n(cmp.value) === 0;
    case 'ne':
      return n(cmp.value) !== 0;
    case 'gt':
      return 0 > n(cmp.value);
    case 'gte':
      return 0 >= n(cmp.value);
    case 'lt':
      return 0 < n(cmp.value);
    case 'lte':
      return 0 <= n(cmp.value);
    case 'between':
      return n(cmp.min) <= 0 && 0 <= n(cmp.max);
    case 'in':
      return cmp.values.some((v) => n(v) === 0);
    case 'not_in':
      return !cmp.values.some((v) => n(v) === 0);
    default:
      return false;
  }
}

function months(window: TimeWindow | undefined): number {
  if (!window) throw new CompileError('A per-month aggregate needs a time window');
  const { n, unit } = window.last;
  return unit === 'month' ? n : unit === 'year' ? n * 12 : n / 30;
}

function andConditions(...conds: (RowCondition | undefined)[]): RowCondition | undefined {
  const present = conds.filter((c): c is RowCondition => c !== undefined);
  if (present.length <= 1) return present[0];
  return { all: present };
}

/** Every table a condition's columns name, in order of appearance. */
export function conditionTables(cond: RowCondition | undefined, into: string[] = []): string[] {
  if (!cond) return into;
  if ('column' in cond) {
    const table = cond.column.split('.')[0] as string;
    if (!into.includes(table)) into.push(table);
  } else if ('all' in cond) cond.all.forEach((c) => conditionTables(c, into));
  else if ('any' in cond) cond.any.forEach((c) => conditionTables(c, into));
  else conditionTables(cond.not, into);
  return into;
}

/**
 * The table whose rows a condition is about, when a predicate names none: a named table that belongs to
 * clients, else the client table (a lookup such as the region of residence), else a table holding the
 * client id, else any client-owned table from which every named table can be reached by keys.
 */
export function startTable(model: SemanticModel, cond: RowCondition | undefined): string {
  const graph = model.graph;
  const named = conditionTables(cond);
  const reachesAll = (table: string) => named.every((t) => graph.lookupPath(table, t) !== null);
  const owned = named.filter((t) => graph.ownerPath(t) !== null);
  const contexts = named.flatMap((t) => {
    const context = model.file.valueContexts[t];
    return context ? [context] : [];
  });
  const candidates = [
    ...owned,
    ...contexts,
    model.entity.table,
    ...graph.tableNames().filter((t) => t !== model.entity.table && graph.ownsEntityId(t)),
    ...graph.tableNames().filter((t) => graph.ownerPath(t) !== null),
  ];
  const start = candidates.find(reachesAll);
  if (!start) throw new CompileError(`No client-owned table reaches ${named.join(', ')} by its keys`);
  return start;
}

/**
 * Compiles criteria to SQL for one warehouse. Every SELECT returns one column, `client_id`; a segment
 * is one query: a CTE per criterion, and the clients in every inclusion and in no exclusion (EXISTS
 * and NOT EXISTS from the client table). Semi-joins and grouped pre-aggregation keep each CTE narrow, and everything used is plain
 * PostgreSQL that Greenplum runs too (no LATERAL, no FILTER, no ordered-set aggregates).
 */
export class CriteriaCompiler {
  constructor(private readonly model: SemanticModel) {}

  /** Client ids meeting an expression. */
  expr(expr: Expr): string {
    if (isPredicate(expr)) return this.predicate(expr);
    if ('and' in expr)
      return setOp(
        expr.and.map((e) => this.expr(e)),
        'intersect',
      );
    if ('or' in expr)
      return setOp(
        expr.or.map((e) => this.expr(e)),
        'union',
      );
    return `${this.allClients()}\nexcept\n${wrap(this.expr(expr.not))}`;
  }

  predicate(predicate: Predicate): string {
    switch (predicate.type) {
      case 'attr':
        return this.attribute(predicate);
      case 'related': {
        const table = predicate.table ?? startTable(this.model, predicate.where);
        return this.related(table, predicate.quantifier, predicate.where, predicate.window);
      }
      case 'aggregate':
        return this.aggregate({ ...predicate, kind: 'aggregate' }, predicate.cmp);
    }
  }

  /** The whole segment (`segmentSql`): a CTE per criterion, driven by the client table. */
  segment(criteria: readonly CriterionSpec[]): string {
    const parts = criteria.map((c) => ({ id: c.id, kind: c.kind, sql: this.expr(c.expr) }));
    return segmentSql(parts, segmentEntity(this.model));
  }

  private allClients(): string {
    const { table, id } = this.model.entity;
    return `select e.${quoteIdent(id)} as ${ID} from ${this.model.qualify(table)} e`;
  }

  /**
   * The expression with each attribute over related rows written as the rows it reads (`has_mortgage`
   * is some `loan` row of type MORTGAGE still open; an average spend is its aggregate): what two
   * writings of one criterion, by attribute and by table, are compared as. Scalar attributes stay.
   */
  expanded(expr: Expr): Expr {
    if ('and' in expr) return { and: expr.and.map((e) => this.expanded(e)) };
    if ('or' in expr) return { or: expr.or.map((e) => this.expanded(e)) };
    if ('not' in expr) return { not: this.expanded(expr.not) };
    if (expr.type !== 'attr') return expr;
    const measure = this.model.attribute(expr.attr)?.measure;
    if (!measure || measure.kind === 'scalar' || expr.asOf || expr.before) return expr;
    const where = andConditions(measure.where, expr.where);
    const window = this.windowOf(measure, expr);
    const rows = { table: measure.table, ...(where ? { where } : {}), ...(window ? { window } : {}) };
    if (measure.kind === 'related') {
      const negated =
        (expr.cmp?.op === 'eq' && expr.cmp.value === false) ||
        (expr.cmp?.op === 'ne' && expr.cmp.value === true);
      const plain = expr.cmp === undefined || negated || (expr.cmp.op === 'eq' && expr.cmp.value === true);
      if (!plain) return expr;
      return {
        type: 'related',
        quantifier: negated ? flip(measure.quantifier) : measure.quantifier,
        ...rows,
      };
    }
    if (!expr.cmp) return expr;
    return {
      type: 'aggregate',
      fn: measure.fn,
      ...(measure.column ? { column: measure.column } : {}),
      ...(measure.per ? { per: measure.per } : {}),
      ...rows,
      cmp: expr.cmp,
    };
  }

  private attribute(predicate: Extract<Predicate, { type: 'attr' }>): string {
    const attribute = this.model.attribute(predicate.attr);
    if (!attribute) throw new CompileError(`No attribute ${predicate.attr} in the semantic model`);
    const measure = attribute.measure;
    if (measure.kind === 'scalar') {
      if (!predicate.cmp) throw new CompileError(`Attribute ${predicate.attr} needs a comparison`);
      refuseScalarNotForTargeting(this.model, measure.table, measure.sql);
      const query = new RowQuery(this.model, measure.table);
      // "as of 1 January 1999": the attribute, and the one it is compared with, taken at that day.
      const now = predicate.asOf ? `date ${quoteLiteral(predicate.asOf)}` : this.model.nowSql;
      const value = scalarValue(this.model, measure.sql, now);
      // "в 1,5 раза выше средней зарплаты в регионе": another scalar attribute of the same rows.
      const other = (v: AttrValue) => {
        const m = this.model.attribute(v.attr)?.measure;
        if (m?.kind !== 'scalar' || m.table !== measure.table) {
          throw new CompileError(
            `Attribute ${v.attr} is not a value of the ${measure.table} rows ${predicate.attr} is`,
          );
        }
        refuseScalarNotForTargeting(this.model, m.table, m.sql);
        const sql = scalarValue(this.model, m.sql, now);
        return v.times === undefined ? `(${sql})` : `(${v.times} * (${sql}))`;
      };
      const conditions = [compare(`(${value})`, predicate.cmp, { ...this.model.values, attr: other })];
      if (predicate.where) conditions.push(query.condition(predicate.where));
      const id = query.ownerId();
      return `select distinct ${id} as ${ID}\nfrom ${query.from()}\nwhere ${conditions.join('\n  and ')}`;
    }
    const window = this.windowOf(measure, predicate);
    const where = andConditions(measure.where, predicate.where);
    if (measure.kind === 'related') {
      const negated =
        (predicate.cmp?.op === 'eq' && predicate.cmp.value === false) ||
        (predicate.cmp?.op === 'ne' && predicate.cmp.value === true);
      const quantifier = negated ? flip(measure.quantifier) : measure.quantifier;
      return this.related(measure.table, quantifier, where, window);
    }
    if (!predicate.cmp) throw new CompileError(`Attribute ${predicate.attr} needs a comparison`);
    return this.aggregate({ ...measure, where, window }, predicate.cmp);
  }

  /**
   * The measure's window, over the predicate's span when it gives one. A measure with no window of its
   * own ("has a deposit") takes the span on its table's date column; without one it cannot be windowed.
   */
  windowOf(
    measure: Exclude<Measure, { kind: 'scalar' }>,
    predicate: Extract<Predicate, { type: 'attr' }>,
  ): TimeWindow | undefined {
    const asOf = predicate.asOf ? { asOf: predicate.asOf } : {};
    if (!predicate.window) return measure.window && { ...measure.window, ...asOf };
    const before = { ...(predicate.before ? { before: predicate.before } : {}), ...asOf };
    if (measure.window) return { column: measure.window.column, last: predicate.window, ...before };
    const date = this.model.file.tables[measure.table]?.date;
    if (!date) {
      throw new CompileError(
        `Attribute ${predicate.attr} has no date to count a window of ${predicate.window.n} ${predicate.window.unit}s by`,
      );
    }
    return { column: `${measure.table}.${date}`, last: predicate.window, ...before };
  }

  private related(
    table: string,
    quantifier: 'some' | 'none' | 'all',
    where: RowCondition | undefined,
    window: TimeWindow | undefined,
  ): string {
    const some = (cond: RowCondition | undefined, negate = false) => {
      const query = new RowQuery(this.model, table);
      const parts: string[] = [];
      if (cond) parts.push(negate ? `not coalesce(${query.condition(cond)}, false)` : query.condition(cond));
      if (window) parts.push(query.window(window));
      const id = query.ownerId();
      return `select distinct ${id} as ${ID}\nfrom ${query.from()}${parts.length ? `\nwhere ${parts.join('\n  and ')}` : ''}`;
    };
    if (quantifier === 'some') return some(where);
    if (quantifier === 'none') return `${this.allClients()}\nexcept\n${wrap(some(where))}`;
    // all: clients with related rows, none of which fails the condition.
    if (!where) return some(undefined);
    return `${wrap(some(undefined))}\nexcept\n${wrap(some(where, true))}`;
  }

  private aggregate(measure: AggregateMeasure, cmp: Comparison): string {
    const query = new RowQuery(this.model, measure.table);
    const parts: string[] = [];
    if (measure.where) parts.push(query.condition(measure.where));
    if (measure.window) parts.push(query.window(measure.window));
    const column = measure.column ? query.column(measure.column) : undefined;
    const value = aggregateValue(query, measure);
    const share = 'share' in measure ? measure.share : undefined;
    const id = query.ownerId();
    // "max(x) >= v" is "some row has x >= v" (and "min(x) <= v" likewise): filtering the rows before
    // grouping reads far fewer of them (nulls fail both forms alike).
    const extreme =
      !share &&
      measure.per !== 'month' &&
      column !== undefined &&
      ((measure.fn === 'max' && (cmp.op === 'gt' || cmp.op === 'gte')) ||
        (measure.fn === 'min' && (cmp.op === 'lt' || cmp.op === 'lte')));
    if (extreme) {
      const rows = [...parts, compare(column, cmp, this.model.values)];
      return `select distinct ${id} as ${ID}\nfrom ${query.from()}\nwhere ${rows.join('\n  and ')}`;
    }
    // "count(*) > 0" is "some row": the rows need no grouping, so the planner joins them as they come
    // (and estimates them as rows, not as groups after a HAVING it cannot see into).
    if (!share && measure.fn === 'count' && measure.per !== 'month' && onlyOneOrMoreMeets(cmp)) {
      return `select distinct ${id} as ${ID}\nfrom ${query.from()}${parts.length ? `\nwhere ${parts.join('\n  and ')}` : ''}`;
    }
    const where = parts.length ? `\nwhere ${parts.join('\n  and ')}` : '';
    const grouped = `select ${id} as ${ID}\nfrom ${query.from()}${where}\ngroup by ${id}\nhaving ${compare(value, cmp, this.model.values)}`;
    if (
      share ||
      !((measure.fn === 'count' || measure.fn === 'count_distinct' || measure.fn === 'sum') && zeroMeets(cmp))
    ) {
      return grouped;
    }
    // Clients with no such rows have a count (or sum) of 0, which meets the comparison too.
    const anyRow = new RowQuery(this.model, measure.table);
    const anyParts: string[] = [];
    if (measure.where) anyParts.push(anyRow.condition(measure.where));
    if (measure.window) anyParts.push(anyRow.window(measure.window));
    const anyId = anyRow.ownerId();
    const withRows = `select distinct ${anyId} as ${ID}\nfrom ${anyRow.from()}${anyParts.length ? `\nwhere ${anyParts.join('\n  and ')}` : ''}`;
    return `${wrap(grouped)}\nunion\n${wrap(`${this.allClients()}\nexcept\n${wrap(withRows)}`)}`;
  }
}

/** A scalar measure's SQL over its table's row aliased t0, taken at `now` (the report date or an as-of day). */
export function scalarValue(model: SemanticModel, sql: string, now: string): string {
  return model.qualifySql(sql).replaceAll('{t}', 't0').replaceAll('{now}', now);
}

/** An aggregate measure's value over a client's rows of `query` (its rows' conditions are the caller's). */
export type AggregateMeasure =
  | Extract<Measure, { kind: 'aggregate' }>
  | (Omit<Extract<Predicate, { type: 'aggregate' }>, 'type' | 'cmp'> & { kind: 'aggregate' });

/** The SQL of an aggregate's value over the rows of `query` grouped by client: a count, a sum per month, a share. */
export function aggregateValue(query: RowQuery, measure: AggregateMeasure): string {
  const column = measure.column ? query.column(measure.column) : undefined;
  if (!column && measure.fn !== 'count') throw new CompileError(`${measure.fn} needs a column`);
  let value =
    measure.fn === 'count'
      ? 'count(*)'
      : measure.fn === 'count_distinct'
        ? `count(distinct ${column})`
        : `${measure.fn}(${column})`;
  const share = 'share' in measure ? measure.share : undefined;
  if (share) {
    if (measure.fn !== 'count' && measure.fn !== 'sum')
      throw new CompileError(`A share of ${measure.fn} has no meaning`);
    // CASE rather than FILTER: the same SQL on Greenplum. No rows (or a zero total) is no share at all.
    const part = `case when ${query.condition(share)} then ${column ?? 1} else 0 end`;
    value = `sum(${part})::numeric / nullif(${measure.fn === 'count' ? 'count(*)' : `sum(${column})`}, 0)`;
  }
  // numeric: count(*) / 3 would divide integers (7 purchases in 3 months is not 2 a month).
  // A share is the same over the whole window as per month.
  if (measure.per === 'month' && !share) value = `${value}::numeric / ${months(measure.window)}`;
  return value;
}

function flip(quantifier: 'some' | 'none' | 'all'): 'some' | 'none' | 'all' {
  return quantifier === 'some' ? 'none' : quantifier === 'none' ? 'some' : 'all';
}

function setOp(parts: string[], op: 'intersect' | 'union'): string {
  return parts.length === 1 ? (parts[0] as string) : parts.map(wrap).join(`\n${op}\n`);
}

function wrap(sql: string): string {
  return `select ${ID} from (\n${indentSql(sql)}\n) s`;
}

export { SemanticModelError };
