import { predicatesOf, type Attribute, type Comparison, type Expr, type RowCondition } from '@t2s/semantic';
import type { LexEntry } from '../lexicon';
import type { Mark } from '../text/quantities';
import { isMoney } from '../text/units';
import type { Mention } from './parse-types';

export const DATE_TYPE = /^(date|timestamp)/;
export const NUMERIC_TYPE = /^(integer|bigint|smallint|numeric|real|double)/;

/** A lower and an upper bound (either order). */
export function opposite(a: Comparison, b: Comparison): boolean {
  const lower = (c: Comparison) => c.op === 'gt' || c.op === 'gte';
  const upper = (c: Comparison) => c.op === 'lt' || c.op === 'lte';
  return (lower(a) && upper(b)) || (upper(a) && lower(b));
}

export function negateIf(cond: RowCondition, negated: boolean): RowCondition {
  return negated ? { not: cond } : cond;
}

/** Characters between a mention and a comparison, plus a penalty for a clause boundary between them. */
export function distance(a: Mark, b: Mark, text: string): number {
  const [left, right] = a.start <= b.start ? [a, b] : [b, a];
  const gap = Math.max(0, right.start - left.end);
  const between = text.slice(left.end, right.start);
  return gap + (/[,;]|\s(и|а|and|but)\s/.test(between) ? 40 : 0) + (a.start > b.start ? 3 : 0);
}

/** A number in years does not go to an amount in roubles. */
export function unitPenalty(attrUnit: string | undefined, cmpUnit: string | undefined): number {
  if (!cmpUnit || !attrUnit) return 0;
  if (cmpUnit === attrUnit) return -5;
  // "100k" goes with an amount in any currency.
  if (isMoney(cmpUnit) && isMoney(attrUnit) && (cmpUnit === 'money' || attrUnit === 'money')) return -5;
  if (unitFactor(cmpUnit, attrUnit) !== 1) return 0;
  if ((cmpUnit === 'count' || attrUnit === 'count') && !isMoney(cmpUnit) && !isMoney(attrUnit)) return 10;
  return 1_000;
}

/** Whether the attribute's own measure already filters on this column. */
export function fixedBy(attr: Attribute, column: string): boolean {
  const m = attr.measure;
  if (m.kind === 'scalar') return false;
  return conditionColumns(m.where).includes(column);
}

/**
 * Whether the attribute's own measure lets this value of a column it filters on through ("действующей":
 * ACTIVE is what `has_card` requires anyway). A value it does not allow asks for other rows (closed ones).
 */
export function allowedBy(attr: Attribute, column: string, value: string): boolean {
  const m = attr.measure;
  if (m.kind === 'scalar' || !m.where) return true;
  const leaves = 'all' in m.where ? m.where.all : [m.where];
  return leaves.every((leaf) => {
    if (!('column' in leaf) || leaf.column !== column) return true;
    const { cmp } = leaf;
    if (cmp.op === 'eq') return cmp.value === value;
    if (cmp.op === 'in') return cmp.values.includes(value);
    if (cmp.op === 'ne') return cmp.value !== value;
    return true;
  });
}

/** The measure's condition without its top-level conditions on `columns` (undefined when none is left). */
export function withoutColumns(cond: RowCondition | undefined, columns: string[]): RowCondition | undefined {
  if (!cond) return undefined;
  if ('column' in cond) return columns.includes(cond.column) ? undefined : cond;
  if (!('all' in cond)) return cond;
  const rest = cond.all.filter((c) => !('column' in c) || !columns.includes(c.column));
  return rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : { all: rest };
}

/** The `column = value` conditions a row condition requires (its conjuncts). */
export function equalities(cond: RowCondition | undefined): { column: string; cmp: Comparison }[] {
  if (!cond) return [];
  if ('all' in cond) return cond.all.flatMap(equalities);
  if ('column' in cond && (cond.cmp.op === 'eq' || cond.cmp.op === 'in'))
    return [{ column: cond.column, cmp: cond.cmp }];
  return [];
}

export function conditionColumns(cond: RowCondition | undefined): string[] {
  return leafConditions(cond).map((c) => c.column);
}

/** The column comparisons of a row condition, through its `all`, `any` and `not`. */
export function leafConditions(cond: RowCondition | undefined): { column: string; cmp: Comparison }[] {
  if (!cond) return [];
  if ('column' in cond) return [cond];
  if ('all' in cond) return cond.all.flatMap(leafConditions);
  if ('any' in cond) return cond.any.flatMap(leafConditions);
  return leafConditions(cond.not);
}

/**
 * Whether an expression reads a span of time: a window, a day it is taken at, or a date counted from
 * the report date ("в этом году", a window turned into dates).
 */
export function readsTime(expr: Expr): boolean {
  const fromNow = (cmp: Comparison | undefined) =>
    cmp !== undefined &&
    ('value' in cmp
      ? [cmp.value]
      : 'min' in cmp
        ? [cmp.min, cmp.max]
        : 'values' in cmp
          ? cmp.values
          : []
    ).some((v) => typeof v === 'object' && v !== null && 'now' in v);
  return predicatesOf(expr).some((p) => {
    const conditions = [
      ...leafConditions(p.where),
      ...(p.type === 'aggregate' ? leafConditions(p.share) : []),
    ];
    const timed = p.type === 'attr' ? p.window !== undefined || p.asOf !== undefined : p.window !== undefined;
    return (
      timed || fromNow(p.type === 'related' ? undefined : p.cmp) || conditions.some((c) => fromNow(c.cmp))
    );
  });
}

export function isNumeric(entry: LexEntry | undefined): boolean {
  return entry?.kind === 'attr' && entry.attr.type !== 'boolean';
}

export function negate(cmp: Comparison): Comparison {
  switch (cmp.op) {
    case 'gt':
      return { op: 'lte', value: cmp.value };
    case 'gte':
      return { op: 'lt', value: cmp.value };
    case 'lt':
      return { op: 'gte', value: cmp.value };
    case 'lte':
      return { op: 'gt', value: cmp.value };
    case 'eq':
      return { op: 'ne', value: cmp.value };
    default:
      return cmp;
  }
}

/** A number in another unit than the attribute's, converted ("не менее 2 лет" of a months attribute). */
export function scaled(
  cmp: Comparison,
  cmpUnit: string | undefined,
  attrUnit: string | undefined,
): Comparison {
  const factor = unitFactor(cmpUnit, attrUnit);
  if (factor === 1) return cmp;
  const s = (v: unknown) => (typeof v === 'number' ? Math.round(v * factor * 1e6) / 1e6 : v) as number;
  if (cmp.op === 'between') return { ...cmp, min: s(cmp.min), max: s(cmp.max) };
  if ('value' in cmp) return { ...cmp, value: s(cmp.value) } as Comparison;
  return cmp;
}

/** "не менее 2 лет" of a months attribute is 24; "60%" of a 0..1 score is 0.6. */
export function unitFactor(from: string | undefined, to: string | undefined): number {
  if (!from || !to || from === to) return 1;
  const table: Record<string, number> = {
    'percent>share': 0.01,
    'year-amount>month-amount': 1 / 12,
    'year>month': 12,
    'year>day': 365,
    'month>day': 30,
  };
  return table[`${from}>${to}`] ?? 1;
}

/** Values of one column become `in`, of several columns `all`; a negated value becomes `not`. */
export function valueCondition(values: Mention[]): RowCondition | undefined {
  // "рестораны, кафе и доставка еды": codes of one list read in two tables that key it by the same column
  // name (the MCC's group, the group itself) are one list, on the column most of them were read in.
  const columnOf = (m: Mention) => (m.entry as Extract<LexEntry, { kind: 'value' }>).column;
  const count = new Map<string, number>();
  for (const m of values) count.set(columnOf(m), (count.get(columnOf(m)) ?? 0) + 1);
  const nameOf = (column: string) => column.split('.')[1];
  const canonical = (column: string) =>
    [...count.keys()]
      .filter((c) => nameOf(c) === nameOf(column))
      .sort((a, b) => (count.get(b) ?? 0) - (count.get(a) ?? 0))[0] ?? column;
  const byColumn = new Map<string, { values: string[]; negated: boolean }>();
  for (const mention of values) {
    const entry = mention.entry as Extract<LexEntry, { kind: 'value' }>;
    const column = canonical(entry.column);
    const current = byColumn.get(column) ?? { values: [], negated: mention.negated };
    if (!current.values.includes(entry.value)) current.values.push(entry.value);
    byColumn.set(column, current);
  }
  const conds: RowCondition[] = [...byColumn.entries()].map(([column, { values: list, negated }]) => {
    const cond: RowCondition =
      list.length === 1
        ? { column, cmp: { op: 'eq', value: list[0] as string } }
        : { column, cmp: { op: 'in', values: list } };
    return negated && values.some((v) => !v.negated) ? { not: cond } : cond;
  });
  if (conds.length === 0) return undefined;
  return conds.length === 1 ? conds[0] : { all: conds };
}
