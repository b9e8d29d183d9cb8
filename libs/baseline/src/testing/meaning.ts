// Criteria reduced to what they mean (`meaningOf`), so a spec can say what a phrasing must mean
// without fixing which of several equal representations the parser picks: an attribute or the
// aggregate it stands for, a coded value or its name in a reference table, a foreign key or the key it
// references, "exclude clients with X" or "include clients with no X". Shared by the fixture over a
// seeded warehouse (bank-model.fixture.ts) and the one over a committed catalog snapshot
// (snapshot-model.fixture.ts).
import type { Catalog } from '@t2s/catalog';
import {
  isPredicate,
  type Comparison,
  type CriterionSpec,
  type Expr,
  type Quantifier,
  type RowCondition,
  type SemanticModel,
  type SemanticModelFile,
  type Span,
} from '@t2s/semantic';

/** A warehouse's catalog and semantic model, and meanings over them. */
export interface ModelFixture {
  catalog: Catalog;
  /** The warehouse's semantic model file. */
  file: SemanticModelFile;
  model: SemanticModel;
  /** What a criterion means, in a form equal for equal meanings. */
  meaningOf(criterion: Pick<CriterionSpec, 'kind' | 'expr'>): Meaning;
  /** What a spec's shorthand asks for, in the same form. */
  wanted(want: Want): Meaning;
}

/** A criterion reduced to its meaning: the rows it looks at, their conditions as sets, the comparison. */
export interface Meaning {
  kind: 'include' | 'exclude';
  /** `scalar age`, `related card`, `aggregate card_transaction sum(card_transaction.amount_rub)/month`. */
  measure: string;
  quantifier?: Quantifier;
  cmp?: Comparison;
  /** The time window, years as months. */
  window?: Span;
  /** `table.column` (`... !=` when negated, `... <op>` for other comparisons) -> sorted values. */
  where: Record<string, string[]>;
}

/** A spec's shorthand for a meaning: an attribute, or rows of a table (`where` alone). */
export interface Want {
  kind?: 'include' | 'exclude';
  attr?: string;
  /** The attribute's total divided by its window's months ("снимают наличные 20 тыс. в месяц"). */
  perMonth?: boolean;
  table?: string;
  quantifier?: Quantifier;
  cmp?: Comparison;
  window?: Span;
  /** `table.column` -> the value, or the values any of which will do. */
  where?: Record<string, string | boolean | (string | boolean)[]>;
}

/** Name columns of reference tables -> their code column and each name's code: a name means its code. */
export type Names = Map<string, { column: string; codes: Map<string, string> }>;

/** Reference tables whose rows a phrase may name by their name rather than their code. */
export const NAMED_CODES = [
  ['ref_mcc_group', 'mcc_group_name', 'mcc_group_code'],
  ['ref_currency', 'currency_name', 'currency_code'],
  ['ref_product', 'product_name', 'product_code'],
] as const;

export function modelFixture(
  catalog: Catalog,
  file: SemanticModelFile,
  model: SemanticModel,
  names: Names,
): ModelFixture {
  const meaningOf = (criterion: Pick<CriterionSpec, 'kind' | 'expr'>) =>
    meaning(model, names, criterion.kind, criterion.expr);
  return {
    catalog,
    file,
    model,
    meaningOf,
    wanted: (want) => {
      const wantedMeaning = meaningOf({ kind: want.kind ?? 'include', expr: exprOf(want) });
      return want.perMonth ? { ...wantedMeaning, measure: `${wantedMeaning.measure}/month` } : wantedMeaning;
    },
  };
}

/** A stable text of a value, keys sorted: for ordering meanings whatever order their keys came in. */
export function stableKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}:${stableKey(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function exprOf(want: Want): Expr {
  const where = conditionOf(want.where);
  if (want.attr) {
    return {
      type: 'attr',
      attr: want.attr,
      ...(want.cmp ? { cmp: want.cmp } : {}),
      ...(where ? { where } : {}),
      ...(want.window ? { window: want.window } : {}),
    };
  }
  return {
    type: 'related',
    quantifier: want.quantifier ?? 'some',
    ...(want.table ? { table: want.table } : {}),
    where,
    // A meaning keeps a window's span only: which date column the rows are counted by is the model's.
    ...(want.window && where
      ? { window: { column: Object.keys(want.where ?? {})[0] as string, last: want.window } }
      : {}),
  };
}

function conditionOf(where: Want['where']): RowCondition | undefined {
  const conds = Object.entries(where ?? {}).map(([column, value]): RowCondition => {
    const values = Array.isArray(value) ? value : [value];
    return values.length === 1
      ? { column, cmp: { op: 'eq', value: values[0] as string | boolean } }
      : { column, cmp: { op: 'in', values } };
  });
  return conds.length <= 1 ? conds[0] : { all: conds };
}

function meaning(model: SemanticModel, names: Names, kind: Meaning['kind'], expr: Expr): Meaning {
  if (!isPredicate(expr)) return { kind, measure: `expression ${stableKey(expr)}`, where: {} };
  const where = (...conds: (RowCondition | undefined)[]) => {
    const into: Record<string, Set<string>> = {};
    for (const cond of conds) if (cond) leaves(model, names, cond, false, into);
    return Object.fromEntries(Object.entries(into).map(([k, v]) => [k, [...v].sort()]));
  };
  const flipped = (quantifier: Quantifier): Meaning => {
    // "Exclude clients with such rows" is "include clients with none": one meaning, two spellings.
    const q =
      kind === 'exclude' && quantifier !== 'all' ? (quantifier === 'some' ? 'none' : 'some') : quantifier;
    return {
      kind: kind === 'exclude' && quantifier !== 'all' ? 'include' : kind,
      measure: '',
      quantifier: q,
      where: {},
    };
  };
  if (expr.type === 'related') {
    const table = expr.table ?? startOf(model, expr.where);
    return {
      ...flipped(expr.quantifier),
      measure: `related ${table}`,
      window: span(expr.window?.last),
      where: where(expr.where),
    };
  }
  if (expr.type === 'aggregate') {
    return {
      kind,
      measure: `aggregate ${expr.table} ${expr.fn}(${expr.column ?? '*'})${expr.per ? '/month' : ''}`,
      cmp: expr.cmp,
      window: span(expr.window?.last),
      where: where(expr.where),
    };
  }
  const attribute = model.attribute(expr.attr);
  if (!attribute) return { kind, measure: `unknown attribute ${expr.attr}`, where: {} };
  const m = attribute.measure;
  if (m.kind === 'scalar')
    return { kind, measure: `scalar ${expr.attr}`, cmp: expr.cmp, where: where(expr.where) };
  // The compiler applies a window only where the measure has one.
  const window = m.window ? span(expr.window ?? m.window.last) : undefined;
  if (m.kind === 'related') {
    const negated = expr.cmp?.op === 'eq' && expr.cmp.value === false;
    const quantifier = negated
      ? m.quantifier === 'some'
        ? 'none'
        : m.quantifier === 'none'
          ? 'some'
          : 'all'
      : m.quantifier;
    return {
      ...flipped(quantifier),
      measure: `related ${m.table}`,
      window,
      where: where(m.where, expr.where),
    };
  }
  return {
    kind,
    measure: `aggregate ${m.table} ${m.fn}(${m.column ?? '*'})${m.per ? '/month' : ''}`,
    cmp: expr.cmp,
    window,
    where: where(m.where, expr.where),
  };
}

function span(last: Span | undefined): Span | undefined {
  if (!last) return undefined;
  return last.unit === 'year' ? { n: last.n * 12, unit: 'month' } : last;
}

/** The table a table-less condition is about, as the compiler picks it for the usual cases. */
function startOf(model: SemanticModel, where: RowCondition | undefined): string {
  const graph = model.graph;
  const tables = [...new Set(columnsOf(where).map((c) => c.split('.')[0] as string))];
  const owned = tables.find((t) => graph.ownerPath(t) !== null);
  if (owned) return owned;
  if (tables.every((t) => graph.lookupPath(model.entity.table, t) !== null)) return model.entity.table;
  return '*';
}

function columnsOf(cond: RowCondition | undefined): string[] {
  if (!cond) return [];
  if ('column' in cond) return [cond.column];
  if ('all' in cond) return cond.all.flatMap(columnsOf);
  if ('any' in cond) return cond.any.flatMap(columnsOf);
  return columnsOf(cond.not);
}

/** Conditions as `column -> values`: names become codes, foreign keys the keys they reference. */
function leaves(
  model: SemanticModel,
  names: Names,
  cond: RowCondition,
  negated: boolean,
  into: Record<string, Set<string>>,
): void {
  if ('all' in cond || 'any' in cond) {
    for (const c of 'all' in cond ? cond.all : cond.any) leaves(model, names, c, negated, into);
    return;
  }
  if ('not' in cond) return leaves(model, names, cond.not, !negated, into);
  let column = cond.column;
  let code = (v: unknown) => String(v);
  const named = names.get(column);
  if (named) {
    column = named.column;
    code = (v) => named.codes.get(String(v)) ?? String(v);
  }
  column = referencedKey(model, column);
  const { cmp } = cond;
  const add = (key: string, values: string[]) => {
    const set = into[key] ?? new Set<string>();
    values.forEach((v) => set.add(v));
    into[key] = set;
  };
  const values = 'values' in cmp ? cmp.values : 'value' in cmp ? [cmp.value] : [];
  if (cmp.op === 'eq' || cmp.op === 'in') {
    add(negated ? `${column} !=` : column, values.map(code));
  } else if (cmp.op === 'ne' || cmp.op === 'not_in') {
    add(negated ? column : `${column} !=`, values.map(code));
  } else {
    const { op, ...rest } = cmp;
    add(`${column} ${negated ? 'not ' : ''}${op}`, [stableKey(rest)]);
  }
}

/** `deposit.currency_code` -> `ref_currency.currency_code`: a foreign key column is the key it names. */
function referencedKey(model: SemanticModel, ref: string): string {
  let current = ref;
  for (let hops = 0; hops < 5; hops++) {
    const [table = '', column = ''] = current.split('.');
    const fk = model.graph
      .table(table)
      ?.foreignKeys.find(
        (k) => k.columns.length === 1 && k.columns[0] === column && k.refSchema === model.schema,
      );
    if (!fk) return current;
    current = `${fk.refTable}.${fk.refColumns[0] as string}`;
  }
  return current;
}
