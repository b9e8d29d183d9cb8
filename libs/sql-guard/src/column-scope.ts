import type { GuardPolicy } from './guard.types';
import { reject } from './guard-rejection';
import { isObject, isSetOperation, stringsOf } from './tree-walker';

/**
 * Column lineage: which warehouse columns every value of a statement comes from, resolved the way
 * PostgreSQL resolves names (FROM items and their aliases, column alias lists, CTE scoping, LATERAL,
 * JOIN ... ON scopes, USING and NATURAL, correlated subqueries, set operations, `*` and whole-row
 * references). The PII and output rules (data-rules.ts) sit on top of it: every read is reported to
 * them, and they judge the statement's output columns.
 *
 * Runs after the tree walker, so the tree is known to hold only allowed node types and catalog
 * relations. Where it cannot tell what a name is, it says so (`unresolved`) rather than guess.
 */

/** Where a value comes from: `schema.table.column` of every base column feeding it. */
export interface Lineage {
  readonly sources: ReadonlySet<string>;
  /** The value is the segment entity's key, passed through unchanged (not computed from it). */
  readonly key: boolean;
}

export interface ColumnReads {
  /** A value the query reads, described as the SQL names it (`p.mobile_phone`, `t.*`, `USING (x)`). */
  read(lineage: Lineage, what: string): void;
  /** A name the analysis could not resolve (PostgreSQL would, or would refuse the query). */
  unresolved(names: readonly string[]): void;
}

interface Column {
  name: string;
  lineage: Lineage;
}

interface RangeEntry {
  /** The name the query refers to it by: its alias, else the relation's or CTE's own name. */
  name: string | null;
  /** The relation's schema, when it is referred to by its own name (`bank.client.client_id`). */
  schema: string | null;
  columns: Column[];
  /** Also matches names not in `columns` (a function returning a record, a relation with unknown columns). */
  open: Lineage | null;
}

/** The FROM items one query level sees, then the enclosing levels (correlated references). */
interface Level {
  entries: readonly RangeEntry[];
  outer: Level | null;
}

interface CteScope {
  /** null while a recursive CTE is being defined: its columns are not known yet. */
  ctes: Map<string, Column[] | null>;
  outer: CteScope | null;
}

type Json = Record<string, unknown>;

const NONE: Lineage = { sources: new Set(), key: false };
/** Rounds of fixed-point iteration for a recursive CTE's lineage; past them, keys are dropped. */
const MAX_RECURSIVE_ROUNDS = 4;
/**
 * Parse-tree nodes the analysis may visit for one statement, recursive CTEs' rounds included: a query
 * within the length limit needs tens of thousands, but recursive CTEs nested in each other's base arms
 * multiply the rounds, and without a bound a 2 KB text would hold the event loop for hours.
 */
export const MAX_ANALYSIS_STEPS = 500_000;

function union(items: readonly Lineage[]): Lineage {
  if (items.length === 1) return items[0] as Lineage;
  const sources = new Set<string>();
  for (const item of items) for (const s of item.sources) sources.add(s);
  return { sources, key: items.length > 0 && items.every((item) => item.key) };
}

/** A value computed from others: its sources, never a key. */
function derived(items: readonly Lineage[]): Lineage {
  return { sources: union(items).sources, key: false };
}

function sameLineage(a: Lineage, b: Lineage): boolean {
  return (
    a.key === b.key && a.sources.size === b.sources.size && [...a.sources].every((s) => b.sources.has(s))
  );
}

function rename(columns: Column[], alias: unknown): Column[] {
  const names = isObject(alias) ? stringsOf(alias.colnames) : [];
  return columns.map((column, i) => ({ name: names[i] ?? column.name, lineage: column.lineage }));
}

function aliasName(alias: unknown): string | null {
  return isObject(alias) && typeof alias.aliasname === 'string' ? alias.aliasname : null;
}

/** The name PostgreSQL gives an output column without AS: a column's, a function's, else `?column?`. */
function defaultName(value: unknown): string {
  if (!isObject(value)) return '?column?';
  if (isObject(value.ColumnRef)) return stringsOf(value.ColumnRef.fields).at(-1) ?? '?column?';
  if (isObject(value.TypeCast)) {
    const inner = defaultName(value.TypeCast.arg);
    return inner === '?column?'
      ? (stringsOf(isObject(value.TypeCast.typeName) ? value.TypeCast.typeName.names : []).at(-1) ?? inner)
      : inner;
  }
  if (isObject(value.FuncCall)) return stringsOf(value.FuncCall.funcname).at(-1) ?? '?column?';
  if (isObject(value.CaseExpr)) return 'case';
  if (isObject(value.CoalesceExpr)) return 'coalesce';
  return '?column?';
}

class ColumnScope {
  private steps = 0;

  constructor(
    private readonly policy: GuardPolicy,
    private readonly reads: ColumnReads,
  ) {}

  /** The output columns of one SELECT (or set operation, or VALUES) with the levels it may see. */
  query(select: Json, outer: Level | null, outerCtes: CteScope | null): Column[] {
    this.step();
    const ctes = isObject(select.withClause) ? this.with(select.withClause, outer, outerCtes) : outerCtes;
    if (isSetOperation(select)) {
      const left = this.query(isObject(select.larg) ? select.larg : {}, outer, ctes);
      const right = this.query(isObject(select.rarg) ? select.rarg : {}, outer, ctes);
      const columns = left.map((column, i) => ({
        name: column.name,
        lineage: union([column.lineage, right[i]?.lineage ?? NONE]),
      }));
      // ORDER BY and LIMIT of a set operation see its output columns only.
      const level: Level = { entries: [{ name: null, schema: null, columns, open: null }], outer };
      this.expressions([select.sortClause, select.limitCount, select.limitOffset], level, ctes);
      return columns;
    }
    if (Array.isArray(select.valuesLists)) return this.values(select.valuesLists, outer, ctes);

    const level: Level = { entries: this.from(select.fromClause, outer, ctes), outer };
    const columns: Column[] = [];
    for (const item of Array.isArray(select.targetList) ? select.targetList : []) {
      const target = isObject(item) && isObject(item.ResTarget) ? item.ResTarget : {};
      const star = this.starColumns(target.val, level);
      if (star) {
        columns.push(...star);
        continue;
      }
      const lineage = this.expression(target.val, level, ctes);
      columns.push({
        name: typeof target.name === 'string' ? target.name : defaultName(target.val),
        lineage,
      });
    }
    this.expressions(
      [
        select.whereClause,
        select.groupClause,
        select.havingClause,
        select.windowClause,
        select.distinctClause,
        select.limitCount,
        select.limitOffset,
      ],
      level,
      ctes,
    );
    // ORDER BY may name output columns as well as input ones.
    const sortLevel: Level = {
      entries: [...level.entries, { name: null, schema: null, columns, open: null }],
      outer,
    };
    this.expressions([select.sortClause], sortLevel, ctes);
    return columns;
  }

  private values(rows: unknown[], outer: Level | null, ctes: CteScope | null): Column[] {
    const byPosition: Lineage[][] = [];
    for (const row of rows) {
      const items =
        isObject(row) && isObject(row.List) && Array.isArray(row.List.items) ? row.List.items : [];
      items.forEach((item, i) => (byPosition[i] ??= []).push(this.expression(item, outer, ctes)));
    }
    return byPosition.map((lineages, i) => ({ name: `column${i + 1}`, lineage: derived(lineages) }));
  }

  /**
   * A WITH clause: each CTE's columns, visible to the CTEs after it (all of them, itself included, under
   * RECURSIVE) and to the statement. A recursive CTE's lineage is iterated to a fixed point.
   */
  private with(withClause: Json, level: Level | null, outer: CteScope | null): CteScope {
    const scope: CteScope = { ctes: new Map(), outer };
    const ctes = (Array.isArray(withClause.ctes) ? withClause.ctes : []).flatMap((item) =>
      isObject(item) && isObject(item.CommonTableExpr) ? [item.CommonTableExpr] : [],
    );
    const define = (cte: Json, select: Json): Column[] => [
      ...rename(this.query(select, level, scope), { colnames: cte.aliascolnames }),
      ...this.cteClauseColumns(cte),
    ];
    const queryOf = (cte: Json): Json =>
      isObject(cte.ctequery) && isObject(cte.ctequery.SelectStmt) ? cte.ctequery.SelectStmt : {};
    if (withClause.recursive !== true) {
      for (const cte of ctes) scope.ctes.set(String(cte.ctename), define(cte, queryOf(cte)));
      return scope;
    }
    // Under RECURSIVE every CTE sees every other and itself. Start from each one's non-recursive arm
    // (so a key it passes on through its recursion stays a key), then recompute all of them until
    // nothing changes: sources only grow and keys only drop, so it settles; if it has not after a
    // few rounds, no column of the clause counts as a key.
    for (const cte of ctes) scope.ctes.set(String(cte.ctename), null);
    for (const cte of ctes) {
      const query = queryOf(cte);
      if (isSetOperation(query) && isObject(query.larg))
        scope.ctes.set(String(cte.ctename), define(cte, query.larg));
    }
    for (let round = 0; ; round += 1) {
      let changed = false;
      for (const cte of ctes) {
        const name = String(cte.ctename);
        const before = scope.ctes.get(name) ?? null;
        const after = define(cte, queryOf(cte));
        if (before === null || after.some((c, i) => !sameLineage(c.lineage, before[i]?.lineage ?? NONE)))
          changed = true;
        scope.ctes.set(name, after);
      }
      if (!changed) return scope;
      if (round + 1 >= MAX_RECURSIVE_ROUNDS) {
        for (const [name, columns] of scope.ctes) {
          scope.ctes.set(
            name,
            (columns ?? []).map((c) => ({ name: c.name, lineage: derived([c.lineage]) })),
          );
        }
        return scope;
      }
    }
  }

  /** SEARCH and CYCLE add columns of their own (an ordering, a mark, a path): not data. */
  private cteClauseColumns(cte: Json): Column[] {
    const names: unknown[] = [];
    if (isObject(cte.search_clause) && isObject(cte.search_clause.CTESearchClause))
      names.push(cte.search_clause.CTESearchClause.search_seq_column);
    if (isObject(cte.cycle_clause) && isObject(cte.cycle_clause.CTECycleClause)) {
      names.push(
        cte.cycle_clause.CTECycleClause.cycle_mark_column,
        cte.cycle_clause.CTECycleClause.cycle_path_column,
      );
    }
    return names.flatMap((name) => (typeof name === 'string' ? [{ name, lineage: NONE }] : []));
  }

  private from(fromClause: unknown, outer: Level | null, ctes: CteScope | null): RangeEntry[] {
    const entries: RangeEntry[] = [];
    for (const item of Array.isArray(fromClause) ? fromClause : []) {
      entries.push(...this.fromItem(item, outer, ctes, [...entries]));
    }
    return entries;
  }

  /** One FROM item; `preceding` are the items before it, which LATERAL ones (and functions) may see. */
  private fromItem(
    item: unknown,
    outer: Level | null,
    ctes: CteScope | null,
    preceding: RangeEntry[],
  ): RangeEntry[] {
    if (!isObject(item)) return [];
    if (isObject(item.RangeVar)) return [this.rangeVar(item.RangeVar, ctes)];
    if (isObject(item.RangeTableSample)) {
      const sample = item.RangeTableSample;
      this.expressions([sample.args, sample.repeatable], outer, ctes);
      return this.fromItem(sample.relation, outer, ctes, preceding);
    }
    if (isObject(item.RangeSubselect)) {
      const range = item.RangeSubselect;
      const sees = range.lateral === true ? { entries: preceding, outer } : outer;
      const subquery =
        isObject(range.subquery) && isObject(range.subquery.SelectStmt) ? range.subquery.SelectStmt : {};
      return [
        {
          name: aliasName(range.alias),
          schema: null,
          columns: rename(this.query(subquery, sees, ctes), range.alias),
          open: null,
        },
      ];
    }
    if (isObject(item.RangeFunction))
      return [this.rangeFunction(item.RangeFunction, { entries: preceding, outer }, ctes)];
    if (isObject(item.JsonTable)) {
      const table = item.JsonTable;
      const lineage = derived([this.expression(table.context_item, { entries: preceding, outer }, ctes)]);
      this.expressions([table.passing], { entries: preceding, outer }, ctes);
      const names: string[] = [];
      const collect = (columns: unknown) => {
        for (const c of Array.isArray(columns) ? columns : []) {
          const column = isObject(c) && isObject(c.JsonTableColumn) ? c.JsonTableColumn : {};
          if (typeof column.name === 'string') names.push(column.name);
          collect(column.columns);
        }
      };
      collect(table.columns);
      return [
        {
          name: aliasName(table.alias),
          schema: null,
          columns: names.map((name) => ({ name, lineage })),
          open: null,
        },
      ];
    }
    if (isObject(item.JoinExpr)) return this.join(item.JoinExpr, outer, ctes, preceding);
    // The walker lets nothing else into FROM; should it ever, nothing about it is known.
    this.reads.unresolved([Object.keys(item)[0] ?? '?']);
    return [{ name: null, schema: null, columns: [], open: NONE }];
  }

  private rangeVar(range: Json, ctes: CteScope | null): RangeEntry {
    const relname = String(range.relname);
    const schema = typeof range.schemaname === 'string' ? range.schemaname : null;
    const alias = aliasName(range.alias);
    if (schema === null) {
      for (let s = ctes; s !== null; s = s.outer) {
        if (!s.ctes.has(relname)) continue;
        const columns = s.ctes.get(relname) ?? null;
        // A recursive CTE read inside its own definition, before its columns are known.
        if (columns === null) return { name: alias ?? relname, schema: null, columns: [], open: NONE };
        return { name: alias ?? relname, schema: null, columns: rename(columns, range.alias), open: null };
      }
    }
    const qualified =
      schema !== null
        ? `${schema}.${relname}`
        : this.policy.searchPath
            .map((s) => `${s}.${relname}`)
            .find((name) => this.policy.relations.has(name));
    const info = qualified === undefined ? undefined : this.policy.columns.get(qualified);
    const columns: Column[] = (info?.names ?? []).map((name) => ({
      name,
      lineage: { sources: new Set([`${qualified}.${name}`]), key: info?.keys.has(name) ?? false },
    }));
    return {
      name: alias ?? relname,
      schema:
        alias === null && qualified !== undefined
          ? qualified.slice(0, qualified.length - relname.length - 1)
          : null,
      columns: rename(columns, range.alias),
      // A relation the policy knows no columns of (BIRD's schemas): any name may be one of its columns.
      open: info === undefined ? NONE : null,
    };
  }

  /** Functions in FROM (implicitly LATERAL): columns named by a definition list, the alias, or the function. */
  private rangeFunction(range: Json, level: Level, ctes: CteScope | null): RangeEntry {
    const lineages: Lineage[] = [];
    const defined: string[] = [];
    const columnDefs = (list: unknown) => {
      for (const def of Array.isArray(list) ? list : []) {
        if (isObject(def) && isObject(def.ColumnDef) && typeof def.ColumnDef.colname === 'string')
          defined.push(def.ColumnDef.colname);
      }
    };
    for (const fn of Array.isArray(range.functions) ? range.functions : []) {
      const items = isObject(fn) && isObject(fn.List) && Array.isArray(fn.List.items) ? fn.List.items : [];
      lineages.push(this.expression(items[0], level, ctes));
      columnDefs(items[1]);
    }
    columnDefs(range.coldeflist);
    const lineage = derived(lineages);
    const alias = aliasName(range.alias);
    const aliased = isObject(range.alias) ? stringsOf(range.alias.colnames) : [];
    const names = defined.length > 0 ? defined : aliased;
    const columns = names.map((name) => ({ name, lineage }));
    // Without a definition list the function may return more columns than are named (a record).
    return { name: alias, schema: null, columns, open: defined.length > 0 ? null : lineage };
  }

  /** A JOIN: its two sides, the names USING and NATURAL compare, its ON condition in the join's own scope. */
  private join(
    join: Json,
    outer: Level | null,
    ctes: CteScope | null,
    preceding: RangeEntry[],
  ): RangeEntry[] {
    const left = this.fromItem(join.larg, outer, ctes, preceding);
    const right = this.fromItem(join.rarg, outer, ctes, [...preceding, ...left]);
    const compared = stringsOf(join.usingClause);
    if (join.isNatural === true) {
      const rightNames = new Set(right.flatMap((e) => e.columns.map((c) => c.name)));
      compared.push(
        ...new Set(left.flatMap((e) => e.columns.map((c) => c.name)).filter((n) => rightNames.has(n))),
      );
      if ([...left, ...right].some((e) => e.open !== null))
        this.reads.read(union([...left, ...right].map((e) => e.open ?? NONE)), 'NATURAL JOIN');
    }
    const merged: Column[] = [];
    for (const name of compared) {
      const lineage = union([this.side(left, name), this.side(right, name)]);
      this.reads.read(lineage, `USING (${name})`);
      merged.push({ name, lineage });
    }
    const entries = [...left, ...right];
    // ON sees the join's two sides and the enclosing levels, not the other items of the FROM list.
    this.expression(join.quals, { entries, outer }, ctes);
    const alias = aliasName(join.alias);
    const usingAlias = aliasName(join.join_using_alias);
    const extra: RangeEntry[] =
      usingAlias === null ? [] : [{ name: usingAlias, schema: null, columns: merged, open: null }];
    if (alias === null) return [...entries, ...extra];
    const rest = entries.flatMap((e) => e.columns).filter((c) => !compared.includes(c.name));
    const open = entries.some((e) => e.open !== null) ? union(entries.map((e) => e.open ?? NONE)) : null;
    return [{ name: alias, schema: null, columns: rename([...merged, ...rest], join.alias), open }, ...extra];
  }

  private side(entries: readonly RangeEntry[], name: string): Lineage {
    const found = entries.flatMap((e) => e.columns.filter((c) => c.name === name).map((c) => c.lineage));
    const open = entries.flatMap((e) => (e.open ? [e.open] : []));
    if (found.length === 0 && open.length === 0) this.reads.unresolved([name]);
    return union([...found, ...open]);
  }

  private expressions(values: unknown[], level: Level | null, ctes: CteScope | null): void {
    for (const value of values)
      if (value !== undefined && value !== null) this.expression(value, level, ctes);
  }

  /** An expression's lineage; a key only when it is a bare column reference to one. Reports every read. */
  expression(value: unknown, level: Level | null, ctes: CteScope | null): Lineage {
    if (isObject(value) && isObject(value.ColumnRef)) return this.columnRef(value.ColumnRef, level);
    const found: Lineage[] = [];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) {
        node.forEach(visit);
        return;
      }
      if (!isObject(node)) return;
      this.step();
      for (const [key, child] of Object.entries(node)) {
        if (key === 'ColumnRef' && isObject(child)) found.push(this.columnRef(child, level));
        else if (key === 'SubLink' && isObject(child)) {
          visit(child.testexpr);
          const sub =
            isObject(child.subselect) && isObject(child.subselect.SelectStmt)
              ? child.subselect.SelectStmt
              : {};
          found.push(derived(this.query(sub, level, ctes).map((c) => c.lineage)));
        } else if (key === 'SelectStmt' && isObject(child)) {
          found.push(derived(this.query(child, level, ctes).map((c) => c.lineage)));
        } else visit(child);
      }
    };
    visit(value);
    return derived(found);
  }

  /** `*` or `t.*` in a target list: the columns it expands to, each read. Null for anything else. */
  private starColumns(value: unknown, level: Level): Column[] | null {
    if (!isObject(value) || !isObject(value.ColumnRef)) return null;
    const fields = Array.isArray(value.ColumnRef.fields) ? value.ColumnRef.fields : [];
    const last: unknown = fields.at(-1);
    if (!isObject(last) || !('A_Star' in last)) return null;
    const entries = fields.length === 1 ? level.entries : this.named(stringsOf(fields), level);
    if (entries === null) {
      this.reads.unresolved([...stringsOf(fields), '*']);
      return [];
    }
    const columns = entries.flatMap((e) => e.columns);
    for (const column of columns) this.reads.read(column.lineage, `* (${column.name})`);
    // An entry whose columns are not all known expands to an unknown number of them: one more column
    // named `*`, never a key, so a segment query over it is refused rather than guessed at.
    const unknown = entries.flatMap((e) => (e.open ? [{ name: '*', lineage: e.open }] : []));
    for (const column of unknown) this.reads.read(column.lineage, `${column.name}`);
    return [...columns, ...unknown];
  }

  /** The FROM entry a qualifier names (`t`, or `schema.t`), innermost level first; as a list, or null. */
  private named(qualifier: string[], level: Level | null): RangeEntry[] | null {
    const [schema, name] = qualifier.length === 2 ? qualifier : [null, qualifier[0]];
    for (let l = level; l !== null; l = l.outer) {
      const matches = l.entries.filter((e) => e.name === name && (schema === null || e.schema === schema));
      if (matches.length > 0) return matches;
    }
    return null;
  }

  private columnRef(ref: Json, level: Level | null): Lineage {
    const fields = Array.isArray(ref.fields) ? ref.fields : [];
    const names = stringsOf(fields);
    const last: unknown = fields.at(-1);
    const text = names.join('.');
    if (isObject(last) && 'A_Star' in last) {
      // `t.*` inside an expression (count(t.*), row(t.*)): the whole row.
      const entries = names.length === 0 ? (level?.entries ?? []) : this.named(names, level);
      if (entries === null) return this.unresolved([...names, '*']);
      return this.readAll(entries, `${text}.*`);
    }
    if (names.length !== fields.length || names.length === 0) return this.unresolved(names);
    if (names.length === 1) {
      const name = names[0] as string;
      const lineage = this.unqualified(name, level);
      if (lineage) return this.read(lineage, text);
      // No column of that name: a whole-row reference to a FROM item (`row_to_json(t)`, `t = t`).
      const entries = this.named([name], level);
      return entries ? this.readAll(entries, name) : this.unresolved(names);
    }
    if (names.length <= 3) {
      const entries = this.named(names.slice(0, -1), level);
      if (entries) {
        const column = names.at(-1) as string;
        const found = entries.flatMap((e) =>
          e.columns.filter((c) => c.name === column).map((c) => c.lineage),
        );
        const open = entries.flatMap((e) => (e.open ? [e.open] : []));
        if (found.length === 0 && open.length === 0) return this.unresolved(names);
        return this.read(union([...found, ...open]), text);
      }
      // `col.field`: a field of a composite column, computed from the column.
      const base = this.unqualified(names[0] as string, level);
      if (base && names.length === 2) return this.read(derived([base]), text);
    }
    return this.unresolved(names);
  }

  /** An unqualified column name, searched level by level; null when no level has it. */
  private unqualified(name: string, level: Level | null): Lineage | null {
    const found: Lineage[] = [];
    for (let l = level; l !== null; l = l.outer) {
      let known = false;
      for (const entry of l.entries) {
        const columns = entry.columns.filter((c) => c.name === name);
        if (columns.length > 0) known = true;
        found.push(...columns.map((c) => c.lineage));
        // An entry with unknown columns may hold it too: counted, and the search goes on outwards.
        if (entry.open) found.push(entry.open);
      }
      if (known) break;
    }
    return found.length > 0 ? union(found) : null;
  }

  private step(): void {
    if (++this.steps > MAX_ANALYSIS_STEPS) {
      reject('PARSE_ERROR', 'the SQL is too complex to check (its columns take too many steps to resolve)');
    }
  }

  private read(lineage: Lineage, what: string): Lineage {
    this.reads.read(lineage, what);
    return lineage;
  }

  private readAll(entries: readonly RangeEntry[], what: string): Lineage {
    const all = entries.flatMap((e) => [...e.columns.map((c) => c.lineage), ...(e.open ? [e.open] : [])]);
    return this.read(derived(all.length > 0 ? all : [NONE]), what);
  }

  private unresolved(names: readonly string[]): Lineage {
    this.reads.unresolved(names);
    return NONE;
  }
}

/** The output columns of a top-level SELECT (`*` expanded), reporting every column it reads on the way. */
export function outputLineage(
  select: Json,
  policy: GuardPolicy,
  reads: ColumnReads,
): { name: string; lineage: Lineage }[] {
  return new ColumnScope(policy, reads).query(select, null, null);
}
