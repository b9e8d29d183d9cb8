import {
  CriteriaCompiler,
  type Comparison,
  type Expr,
  type Predicate,
  type RelativeDate,
  type RowCondition,
  type Scalar,
  type SemanticModel,
  type TimeUnit,
} from '@t2s/semantic';
import { parseSql } from '@t2s/sql-guard';
import { isMapped, type PrecedentCriterion } from './precedent';
import { as, constant, fingerprint, kindOf, list, names, startOf, textBetween, type Node } from './sql-tree';

export interface ReadCriteria {
  criteria: PrecedentCriterion[];
  /** The share of criteria that came back as representation (1 when every one did). */
  coverage: number;
}

/** What a name in a FROM clause stands for: a warehouse table, or a CTE / subquery of client ids. */
type Source = { table: string } | { query: Node };

interface Scope {
  sources: Map<string, Source>;
  /** Aliases (`rd`) whose every column is the warehouse's "now". */
  nowAliases: Set<string>;
  /** The CTEs a name in a FROM clause may stand for: this query's over the enclosing ones'. */
  ctes: Map<string, Node>;
}

const OPS: Record<string, Comparison['op']> = {
  '=': 'eq',
  '<>': 'ne',
  '!=': 'ne',
  '>': 'gt',
  '>=': 'gte',
  '<': 'lt',
  '<=': 'lte',
  '~~': 'like',
};
const FLIP: Record<string, Comparison['op']> = {
  gt: 'lt',
  gte: 'lte',
  lt: 'gt',
  lte: 'gte',
  eq: 'eq',
  ne: 'ne',
};
const AGGREGATES: Record<string, 'count' | 'sum' | 'avg' | 'min' | 'max'> = {
  count: 'count',
  sum: 'sum',
  avg: 'avg',
  min: 'min',
  max: 'max',
};

/**
 * A precedent's SQL read back into the criteria representation where its shape allows: the compiler's
 * own shape (a CTE per criterion, intersected and excepted), and an analyst's usual ones (WHERE on
 * the client's columns and scalar attributes, EXISTS / NOT EXISTS and IN / NOT IN on related tables,
 * GROUP BY client with HAVING over a date window, joins through keys). Whatever does not map stays one
 * criterion with its SQL as written. Every mapped criterion is compiled once, so it names only what
 * the warehouse has. The parser must be loaded (`loadParser` of @t2s/sql-guard).
 */
export function readCriteria(sql: string, model: SemanticModel): ReadCriteria {
  const parsed = parseSql(sql);
  const stmts = parsed.ok ? list((parsed.tree as Node)['stmts']) : [];
  const select = stmts.length === 1 ? as((stmts[0] as Node)['stmt'], 'SelectStmt') : undefined;
  if (!select) return { criteria: [{ kind: 'include', sql: sql.trim() }], coverage: 0 };
  const reader = new SqlReader(sql, model);
  const criteria = reader.statement(select);
  const mapped = criteria.filter((c) => 'expr' in c).length;
  return { criteria, coverage: criteria.length === 0 ? 0 : mapped / criteria.length };
}

class SqlReader {
  private readonly compiler: CriteriaCompiler;
  private readonly nowPrint: string | undefined;
  private readonly attributePrints = new Map<string, string>();
  private readonly entity: string;

  constructor(
    private readonly sql: string,
    private readonly model: SemanticModel,
  ) {
    this.compiler = new CriteriaCompiler(model);
    this.entity = model.entity.table;
    this.nowPrint = this.printOfSelect(model.file.now);
    for (const attribute of model.allAttributes()) {
      const m = attribute.measure;
      if (m.kind !== 'scalar' || m.table !== this.entity) continue;
      const text = m.sql
        .replaceAll('{t}', 't')
        .replaceAll('{now}', `(${model.file.now ?? 'select current_date'})`);
      const target = this.targetOf(`select ${text} from ${this.entity} t`);
      if (target === undefined) continue;
      const scope: Scope = {
        sources: new Map([['t', { table: this.entity }]]),
        nowAliases: new Set(),
        ctes: new Map(),
      };
      this.attributePrints.set(this.print(target, scope), attribute.name);
    }
  }

  statement(select: Node): PrecedentCriterion[] {
    const scope = this.scopeOf(select, undefined);
    return this.clientSet(select, scope, 'include');
  }

  /** The criteria of a query returning client ids, read as `kind` (an except's right side excludes). */
  private clientSet(select: Node, outer: Scope, kind: 'include' | 'exclude'): PrecedentCriterion[] {
    const scope = this.scopeOf(select, outer);
    const op = String(select['op'] ?? 'SETOP_NONE');
    const left = as(select['larg'], 'SelectStmt') ?? (select['larg'] as Node | undefined);
    const right = as(select['rarg'], 'SelectStmt') ?? (select['rarg'] as Node | undefined);
    if (op === 'SETOP_INTERSECT' && left && right && kind === 'include')
      return [...this.clientSet(left, scope, 'include'), ...this.clientSet(right, scope, 'include')];
    if (op === 'SETOP_EXCEPT' && left && right && kind === 'include')
      return [...this.clientSet(left, scope, 'include'), ...this.clientSet(right, scope, 'exclude')];
    if (op === 'SETOP_UNION' && left && right && kind === 'exclude')
      return [...this.clientSet(left, scope, 'exclude'), ...this.clientSet(right, scope, 'exclude')];
    if (op !== 'SETOP_NONE') {
      const expr = this.queryExpr(select, scope);
      return [expr ? this.checked({ kind, expr }, this.textOf(select)) : { kind, sql: this.textOf(select) }];
    }
    if (!this.returnsClientIds(select)) return [{ kind, sql: this.textOf(select) }];
    // `select client_id from (...) s` and `select client_id from cte`: the query it reads.
    const inner = this.onlySubquery(select, scope);
    if (inner) return this.clientSet(inner, scope, kind);
    const driving = this.drivingAlias(select, scope);
    if (driving && kind === 'include' && !select['groupClause']) {
      if (this.sourceTable(scope, driving) === this.entity)
        return this.entityConjuncts(select, scope, driving);
      return this.rowsAndLinks(select, scope);
    }
    const expr = this.queryExpr(select, scope);
    return [expr ? this.checked({ kind, expr }, this.textOf(select)) : { kind, sql: this.textOf(select) }];
  }

  /** `from client c ... where a and b and not exists (...)`: one criterion per conjunct. */
  private entityConjuncts(select: Node, scope: Scope, entityAlias: string): PrecedentCriterion[] {
    const conjuncts = [...this.joinConditions(select), ...andArgs(select['whereClause'])];
    // Joined tables' own conditions (`join client_risk_profile rp on ... where rp.rating in (...)`) are
    // one criterion per table: their rows must meet them together.
    const byAlias = new Map<string, unknown[]>();
    const criteria: PrecedentCriterion[] = [];
    const ends = conjuncts.map(startOf).concat(this.endOfWhere(select));
    conjuncts.forEach((conjunct, i) => {
      const text = textBetween(this.sql, ends[i] ?? 0, nextStart(ends, i, this.sql.length));
      const aliases = this.aliasesIn(conjunct, scope);
      if (
        aliases.length === 1 &&
        aliases[0] !== entityAlias &&
        this.sourceTable(scope, aliases[0] as string)
      ) {
        const group = byAlias.get(aliases[0] as string) ?? [];
        group.push(conjunct);
        byAlias.set(aliases[0] as string, group);
        return;
      }
      if (isKeyEquality(conjunct)) return;
      const read = this.conjunct(conjunct, scope);
      criteria.push(read ? this.checked(read, text) : { kind: 'include', sql: text });
    });
    // A joined table with no condition of its own still asks for a row (`join loan l on ...`).
    for (const alias of fromAliases(select)) {
      if (alias !== entityAlias && this.sourceTable(scope, alias) && !byAlias.has(alias))
        byAlias.set(alias, []);
    }
    if (byAlias.size > 1) {
      // A chain of joins (disp, then the account's loan): the rows meet their conditions together, from
      // the last table joined, through keys.
      const aliases = [...byAlias.keys()];
      const all = aliases.flatMap((a) => byAlias.get(a) ?? []);
      byAlias.clear();
      byAlias.set(aliases[aliases.length - 1] as string, all);
    }
    for (const [alias, group] of byAlias) {
      const table = this.sourceTable(scope, alias) as string;
      if (group.length === 0) {
        const exists: Expr = { type: 'related', table, quantifier: 'some' };
        criteria.push(this.checked({ kind: 'include', expr: exists }, `join ${table}`));
        continue;
      }
      const conditions = group.map((g) => this.rowCondition(g, scope));
      const text = group.map((g) => this.nodeText(g)).join(' and ');
      if (conditions.some((c) => c === null)) {
        criteria.push({ kind: 'include', sql: text });
        continue;
      }
      const where =
        conditions.length === 1 ? (conditions[0] as RowCondition) : { all: conditions as RowCondition[] };
      criteria.push(
        this.checked({ kind: 'include', expr: { type: 'related', table, quantifier: 'some', where } }, text),
      );
    }
    return criteria;
  }

  /**
   * `from insurance_policy ip where ip.type = 'OSAGO' and not exists (select 1 from … where k.client_id =
   * ip.client_id …)`: the driving table's rows as one criterion, each EXISTS / IN on the client as its own.
   */
  private rowsAndLinks(select: Node, scope: Scope): PrecedentCriterion[] {
    const conjuncts = andArgs(select['whereClause']);
    const isLink = (c: unknown) => {
      const not = as(c, 'BoolExpr');
      const inner = not && not['boolop'] === 'NOT_EXPR' ? list(not['args'])[0] : c;
      return as(inner, 'SubLink') !== undefined;
    };
    const rows = conjuncts.filter((c) => !isLink(c));
    const criteria: PrecedentCriterion[] = [];
    const own = {
      ...select,
      whereClause: rows.length === 0 ? undefined : { BoolExpr: { boolop: 'AND_EXPR', args: rows } },
    };
    const expr = this.queryExpr(own, scope);
    const text = rows.map((r) => this.nodeText(r)).join(' and ') || this.textOf(select);
    criteria.push(
      expr ? this.checked({ kind: 'include', expr }, text) : { kind: 'include', sql: this.textOf(select) },
    );
    for (const link of conjuncts.filter(isLink)) {
      const read = this.conjunct(link, scope);
      criteria.push(
        read ? this.checked(read, this.nodeText(link)) : { kind: 'include', sql: this.nodeText(link) },
      );
    }
    return criteria;
  }

  /** A conjunct on the client: its columns, a scalar attribute, EXISTS / IN over related rows, or not. */
  private conjunct(node: unknown, scope: Scope): { kind: 'include' | 'exclude'; expr: Expr } | null {
    const not = as(node, 'BoolExpr');
    if (not && not['boolop'] === 'NOT_EXPR') {
      const inner = list(not['args'])[0];
      if (as(inner, 'SubLink')) {
        const read = this.conjunct(inner, scope);
        return read && read.kind === 'include' ? { kind: 'exclude', expr: read.expr } : null;
      }
    }
    const link = as(node, 'SubLink');
    if (link) {
      const sub = as(link['subselect'], 'SelectStmt');
      if (!sub) return null;
      if (link['subLinkType'] === 'EXISTS_SUBLINK') {
        // `exists (select 1 from c_c2 x where x.client_id = e.client_id)`: the compiler's own shape.
        const body = this.overQuery(sub, scope);
        if (body) {
          const parts = this.clientSet(body, scope, 'include');
          if (!parts.every((p) => isMapped(p) && p.kind === 'include')) return null;
          const exprs = parts.map((p) => (p as { expr: Expr }).expr);
          return { kind: 'include', expr: exprs.length === 1 ? (exprs[0] as Expr) : { and: exprs } };
        }
        const expr = this.queryExpr(sub, scope, true);
        return expr ? { kind: 'include', expr } : null;
      }
      if (link['subLinkType'] === 'ANY_SUBLINK' && isClientId(link['testexpr'])) {
        const expr = this.queryExpr(sub, scope);
        return expr ? { kind: 'include', expr } : null;
      }
      return null;
    }
    const expr = this.attributeComparison(node, scope);
    if (expr) return { kind: 'include', expr };
    const boolean = as(node, 'BoolExpr');
    if (boolean && boolean['boolop'] === 'OR_EXPR') {
      const parts = list(boolean['args']).map((a) => this.conjunct(a, scope));
      if (parts.every((p) => p && p.kind === 'include'))
        return { kind: 'include', expr: { or: parts.map((p) => p!.expr) } };
    }
    const where = this.rowCondition(node, scope);
    return where ? { kind: 'include', expr: { type: 'related', quantifier: 'some', where } } : null;
  }

  /** The query of client ids an EXISTS reads when it only links a CTE or subquery to the client. */
  private overQuery(sub: Node, outer: Scope): Node | undefined {
    const aliases = fromAliases(sub);
    if (aliases.length !== 1 || sub['groupClause'] || sub['havingClause']) return undefined;
    const source = this.scopeOf(sub, outer).sources.get(aliases[0] as string);
    if (!source || !('query' in source)) return undefined;
    const conjuncts = andArgs(sub['whereClause']);
    const links = conjuncts.every((c) => {
      const expr = as(c, 'A_Expr');
      return expr !== undefined && isKeyEquality(c) && isClientId(expr['lexpr']);
    });
    return conjuncts.length === 1 && links ? source.query : undefined;
  }

  /** `extract(year from age(rd.d, c.birth_date)) between 21 and 70`: an attribute of the model. */
  private attributeComparison(node: unknown, scope: Scope): Predicate | null {
    const expr = as(node, 'A_Expr');
    if (!expr) return null;
    const attr = (side: unknown) =>
      kindOf(side) === 'ColumnRef' ? undefined : this.attributePrints.get(this.print(side, scope));
    const name = attr(expr['lexpr']);
    if (name) {
      const cmp = this.comparison(expr, scope, 'lexpr');
      return cmp ? { type: 'attr', attr: name, cmp } : null;
    }
    const flipped = attr(expr['rexpr']);
    if (flipped) {
      const cmp = this.comparison(expr, scope, 'rexpr');
      return cmp ? { type: 'attr', attr: flipped, cmp } : null;
    }
    return null;
  }

  /**
   * A query of one table's rows per client (joined through keys to reference tables): `related` rows,
   * or an `aggregate` when grouped by client with a HAVING. `correlated`: an EXISTS body whose
   * `x.client_id = c.client_id` is the link, not a condition.
   */
  private queryExpr(select: Node, outer: Scope, correlated = false): Expr | null {
    if (String(select['op'] ?? 'SETOP_NONE') !== 'SETOP_NONE') return null;
    const scope = this.scopeOf(select, outer);
    const inner = this.onlySubquery(select, scope);
    if (inner) return this.queryExpr(inner, scope);
    const table = fromAliases(select)
      .map((alias) => this.sourceTable(scope, alias))
      .find((t) => t !== undefined);
    if (!table) return null;
    const own = new Set(fromAliases(select));
    const all = [...this.joinConditions(select), ...andArgs(select['whereClause'])];
    // The link to the enclosing query must be the client (`x.client_id = c.client_id`), not an account
    // or any other key: another link means other rows than the client's.
    const outerRefs = (c: unknown) => this.aliasesIn(c, scope).filter((a) => !own.has(a));
    for (const c of all) {
      const refs = outerRefs(c);
      if (refs.length === 0) continue;
      if (!correlated || !isKeyEquality(c) || !isClientId((as(c, 'A_Expr') as Node)['lexpr'])) return null;
    }
    if (correlated && !all.some((c) => outerRefs(c).length > 0)) return null; // an EXISTS about no client
    const conjuncts = all.filter((c) => !isKeyEquality(c));
    const conditions: RowCondition[] = [];
    let window: { column: string; last: { n: number; unit: TimeUnit } } | undefined;
    for (const conjunct of conjuncts) {
      const found = window ? undefined : this.windowOf(conjunct, scope);
      if (found) {
        window = found;
        continue;
      }
      // The window's end on the report date ("and date <= rd.d") is the window's own end.
      if (window && this.isNowBound(conjunct, scope, window.column)) continue;
      const condition = this.rowCondition(conjunct, scope);
      if (!condition) return null;
      conditions.push(condition);
    }
    const where =
      conditions.length === 0 ? undefined : conditions.length === 1 ? conditions[0] : { all: conditions };
    const having = select['havingClause'];
    if (having) {
      const aggregate = this.having(having, scope);
      if (!aggregate) return null;
      return {
        type: 'aggregate',
        table,
        fn: aggregate.fn,
        ...(aggregate.column ? { column: aggregate.column } : {}),
        ...(aggregate.per ? { per: 'month' as const } : {}),
        ...(where ? { where } : {}),
        ...(window ? { window } : {}),
        cmp: aggregate.cmp,
      };
    }
    if (!where && !window && table === this.entity) return null;
    return {
      type: 'related',
      table,
      quantifier: 'some',
      ...(where ? { where } : {}),
      ...(window ? { window } : {}),
    };
  }

  /** `sum(t.amount_rub) >= 50000`, `count(*) >= 3`, `sum(x) / 3 >= 20000` (per month over 3 months). */
  private having(node: unknown, scope: Scope) {
    const expr = as(node, 'A_Expr');
    if (!expr || expr['kind'] !== 'AEXPR_OP') return null;
    let side = expr['lexpr'];
    let per = false;
    const division = as(side, 'A_Expr');
    if (
      division &&
      names(division['name'])[0] === '/' &&
      typeof constant(division['rexpr'])?.value === 'number'
    ) {
      side = division['lexpr'];
      per = true;
    }
    const call = as(side, 'FuncCall');
    if (!call || call['agg_filter'] || call['over']) return null;
    const fnName = AGGREGATES[names(call['funcname']).pop() ?? ''];
    if (!fnName) return null;
    const args = list(call['args']);
    const column = args[0] ? this.column(args[0], scope) : undefined;
    if (args.length > 1 || (args[0] && !column)) return null;
    const fn = call['agg_distinct'] && fnName === 'count' ? ('count_distinct' as const) : fnName;
    const cmp = this.comparison(expr, scope, 'lexpr');
    if (!cmp) return null;
    return { fn, column, per, cmp };
  }

  /** `t.date > rd.d - interval '12 months'` (or `>=`, or `- 30` days): a window on that column. */
  private windowOf(node: unknown, scope: Scope) {
    const expr = as(node, 'A_Expr');
    if (!expr || expr['kind'] !== 'AEXPR_OP') return undefined;
    const op = names(expr['name'])[0];
    if (op !== '>' && op !== '>=') return undefined;
    const column = this.column(expr['lexpr'], scope);
    const value = this.nowValue(expr['rexpr'], scope);
    if (!column || !value || !value.minus || value.plus || value.start || value.minus.n === 0)
      return undefined;
    return { column, last: { n: value.minus.n, unit: value.minus.unit } };
  }

  private isNowBound(node: unknown, scope: Scope, column: string): boolean {
    const expr = as(node, 'A_Expr');
    if (!expr || !['<=', '<'].includes(names(expr['name'])[0] ?? '')) return false;
    const value = this.nowValue(expr['rexpr'], scope);
    return this.column(expr['lexpr'], scope) === column && value !== undefined && !value.minus && !value.plus;
  }

  /** A condition on rows: comparisons of columns with constants or with "now", and their and/or/not. */
  private rowCondition(node: unknown, scope: Scope): RowCondition | null {
    const bool = as(node, 'BoolExpr');
    if (bool) {
      const parts = list(bool['args']).map((a) => this.rowCondition(a, scope));
      if (parts.some((p) => p === null)) return null;
      const conditions = parts as RowCondition[];
      if (bool['boolop'] === 'AND_EXPR') return { all: conditions };
      if (bool['boolop'] === 'OR_EXPR') return { any: conditions };
      const only = conditions[0] as RowCondition;
      // `not mc.is_control_group`: the flag is false.
      if ('column' in only && only.cmp.op === 'eq' && only.cmp.value === true)
        return { column: only.column, cmp: { op: 'eq', value: false } };
      return { not: only };
    }
    const test = as(node, 'NullTest');
    if (test) {
      const column = this.column(test['arg'], scope);
      if (!column) return null;
      return { column, cmp: { op: test['nulltesttype'] === 'IS_NULL' ? 'is_null' : 'not_null' } };
    }
    const booleanTest = as(node, 'BooleanTest');
    if (booleanTest) {
      const column = this.column(booleanTest['arg'], scope);
      const type = String(booleanTest['booltesttype']);
      if (!column || !['IS_TRUE', 'IS_FALSE'].includes(type)) return null;
      return { column, cmp: { op: 'eq', value: type === 'IS_TRUE' } };
    }
    const bare = this.column(node, scope);
    if (bare) return { column: bare, cmp: { op: 'eq', value: true } };
    const expr = as(node, 'A_Expr');
    if (!expr) return null;
    const left = this.column(expr['lexpr'], scope);
    if (left) {
      const cmp = this.comparison(expr, scope, 'lexpr');
      return cmp ? { column: left, cmp } : null;
    }
    const right = this.column(expr['rexpr'], scope);
    if (right) {
      const cmp = this.comparison(expr, scope, 'rexpr');
      return cmp ? { column: right, cmp } : null;
    }
    return null;
  }

  /** The comparison an A_Expr makes of its `side` with constants (flipped when the side is the right one). */
  private comparison(expr: Node, scope: Scope, side: 'lexpr' | 'rexpr'): Comparison | null {
    const other = side === 'lexpr' ? expr['rexpr'] : expr['lexpr'];
    const kind = String(expr['kind']);
    const op = names(expr['name'])[0] ?? '';
    if (kind === 'AEXPR_IN' && side === 'lexpr') {
      const values = list(as(other, 'List')?.['items'] ?? other).map((v) => this.scalar(v, scope));
      if (values.length === 0 || values.some((v) => v === undefined)) return null;
      return { op: op === '<>' ? 'not_in' : 'in', values: values as Scalar[] };
    }
    if ((kind === 'AEXPR_BETWEEN' || kind === 'AEXPR_NOT_BETWEEN') && side === 'lexpr') {
      const [min, max] = list(as(other, 'List')?.['items']).map((v) => this.scalar(v, scope));
      if (min === undefined || max === undefined) return null;
      const between: Comparison = { op: 'between', min, max };
      return kind === 'AEXPR_BETWEEN' ? between : null;
    }
    if (kind === 'AEXPR_LIKE' && side === 'lexpr' && op === '~~') {
      const value = this.scalar(other, scope);
      return typeof value === 'string' ? { op: 'like', value } : null;
    }
    if (kind !== 'AEXPR_OP') return null;
    const mapped = OPS[op];
    if (!mapped || mapped === 'like') return null;
    const value = this.scalar(other, scope);
    if (value === undefined) return null;
    return { op: side === 'lexpr' ? mapped : (FLIP[mapped] as Comparison['op']), value } as Comparison;
  }

  private scalar(node: unknown, scope: Scope): Scalar | undefined {
    const now = this.nowValue(node, scope);
    if (now) return now;
    const c = constant(node);
    if (!c || c.value === null) return undefined;
    const negative = as(node, 'A_Expr');
    if (negative) return undefined;
    return c.value;
  }

  /** "Now" (`rd.d`, the model's own now query) give or take an interval: a relative date. */
  private nowValue(node: unknown, scope: Scope): RelativeDate | undefined {
    if (this.isNow(node, scope)) return { now: true };
    const expr = as(node, 'A_Expr');
    if (!expr || expr['kind'] !== 'AEXPR_OP') return undefined;
    const op = names(expr['name'])[0];
    if ((op !== '-' && op !== '+') || !this.isNow(expr['lexpr'], scope)) return undefined;
    const span = spanOf(expr['rexpr']);
    if (!span) return undefined;
    return op === '-' ? { now: true, minus: span } : { now: true, plus: span };
  }

  private isNow(node: unknown, scope: Scope): boolean {
    const ref = as(node, 'ColumnRef');
    if (ref) {
      const [alias] = names(ref['fields']);
      return names(ref['fields']).length === 2 && alias !== undefined && scope.nowAliases.has(alias);
    }
    const link = as(node, 'SubLink');
    if (link && link['subLinkType'] === 'EXPR_SUBLINK') {
      const sub = as(link['subselect'], 'SelectStmt');
      return sub !== undefined && this.nowPrint !== undefined && this.selectPrint(sub) === this.nowPrint;
    }
    return false;
  }

  /** `alias.column` (or a bare column of the only table) as `table.column`. */
  private column(node: unknown, scope: Scope): string | undefined {
    const ref = as(node, 'ColumnRef');
    if (!ref) return undefined;
    const parts = names(ref['fields']);
    if (parts.length === 2) {
      const table = this.sourceTable(scope, parts[0] as string);
      return table ? `${table}.${parts[1]}` : undefined;
    }
    if (parts.length === 1) {
      const tables = [...scope.sources.values()].filter((s): s is { table: string } => 'table' in s);
      const owner = tables.filter((t) => this.model.graph.hasColumn(t.table, parts[0] as string));
      return owner.length === 1 ? `${owner[0]!.table}.${parts[0]}` : undefined;
    }
    return undefined;
  }

  private sourceTable(scope: Scope, alias: string): string | undefined {
    const source = scope.sources.get(alias);
    return source && 'table' in source ? source.table : undefined;
  }

  /** The aliases a node's column references name. */
  private aliasesIn(node: unknown, scope: Scope): string[] {
    const found = new Set<string>();
    let nested = false;
    const visit = (value: unknown) => {
      if (Array.isArray(value)) return value.forEach(visit);
      if (value === null || typeof value !== 'object') return;
      if (as(value, 'SubLink')) nested = true;
      const ref = as(value, 'ColumnRef');
      if (ref) {
        const parts = names(ref['fields']);
        if (parts.length === 2 && !scope.nowAliases.has(parts[0] as string)) found.add(parts[0] as string);
        return;
      }
      Object.values(value).forEach(visit);
    };
    visit(node);
    return nested ? [] : [...found];
  }

  /** The FROM clause's names (tables, CTEs, subqueries), over the enclosing scope's. */
  private scopeOf(select: Node, outer: Scope | undefined): Scope {
    const scope: Scope = {
      sources: new Map(outer?.sources),
      nowAliases: new Set(outer?.nowAliases),
      ctes: new Map(outer?.ctes),
    };
    for (const cte of list((select['withClause'] as Node | undefined)?.['ctes'])) {
      const c = as(cte, 'CommonTableExpr');
      const query = as(c?.['ctequery'], 'SelectStmt');
      if (c && query) scope.ctes.set(String(c['ctename']), query);
    }
    const addRange = (item: unknown) => {
      const join = as(item, 'JoinExpr');
      if (join) {
        addRange(join['larg']);
        addRange(join['rarg']);
        return;
      }
      const range = as(item, 'RangeVar');
      if (range) {
        const name = String(range['relname']);
        const alias = String((range['alias'] as Node | undefined)?.['aliasname'] ?? name);
        const cte = scope.ctes.get(name);
        if (cte && this.selectPrint(cte) === this.nowPrint) scope.nowAliases.add(alias);
        else if (cte) scope.sources.set(alias, { query: cte });
        else if (this.model.graph.table(name)) scope.sources.set(alias, { table: name });
        return;
      }
      const sub = as(item, 'RangeSubselect');
      const query = as(sub?.['subquery'], 'SelectStmt');
      if (sub && query) {
        const alias = String((sub['alias'] as Node | undefined)?.['aliasname'] ?? '');
        scope.sources.set(alias, { query });
      }
    };
    list(select['fromClause']).forEach(addRange);
    return scope;
  }

  /** `select client_id from cte` or `from (subquery) s` with nothing else: that query. */
  private onlySubquery(select: Node, scope: Scope): Node | undefined {
    const from = list(select['fromClause']);
    if (from.length !== 1 || select['whereClause'] || select['havingClause']) return undefined;
    const range = as(from[0], 'RangeVar');
    const sub = as(from[0], 'RangeSubselect');
    const alias = range
      ? String((range['alias'] as Node | undefined)?.['aliasname'] ?? range['relname'])
      : String((sub?.['alias'] as Node | undefined)?.['aliasname'] ?? '');
    const source = scope.sources.get(alias);
    return source && 'query' in source ? source.query : undefined;
  }

  /** One column, the client's id: what a segment's query returns. */
  private returnsClientIds(select: Node): boolean {
    const targets = list(select['targetList']);
    const ref = as(as(targets[0], 'ResTarget')?.['val'], 'ColumnRef');
    return targets.length === 1 && names(ref?.['fields']).pop() === this.model.entity.id;
  }

  /** The alias whose `client_id` the query returns. */
  private drivingAlias(select: Node, scope: Scope): string | undefined {
    const targets = list(select['targetList']);
    if (targets.length !== 1) return undefined;
    const ref = as(as(targets[0], 'ResTarget')?.['val'], 'ColumnRef');
    const parts = names(ref?.['fields']);
    // A segment's query returns client ids; any other column is not one.
    if (parts[parts.length - 1] !== this.model.entity.id) return undefined;
    if (parts.length === 2) return parts[0];
    const tables = [...scope.sources.entries()].filter(([, s]) => 'table' in s);
    return tables.length === 1 ? tables[0]![0] : undefined;
  }

  /** Join conditions other than key equalities (`on h.client_id = c.client_id and h.month_end = rd.d`). */
  private joinConditions(select: Node): Node[] {
    const found: Node[] = [];
    const visit = (item: unknown) => {
      const join = as(item, 'JoinExpr');
      if (!join) return;
      if (join['jointype'] !== 'JOIN_INNER') found.push({ Unsupported: { join } });
      visit(join['larg']);
      visit(join['rarg']);
      found.push(...(andArgs(join['quals']) as Node[]));
    };
    list(select['fromClause']).forEach(visit);
    return found;
  }

  private endOfWhere(select: Node): number {
    const after = [select['groupClause'], select['havingClause'], select['sortClause']]
      .map(startOf)
      .filter((n) => Number.isFinite(n));
    return after.length > 0 ? Math.min(...after) : this.sql.length;
  }

  private nodeText(node: unknown): string {
    const start = startOf(node);
    return Number.isFinite(start) ? textBetween(this.sql, start, this.sql.length).split('\n')[0]! : '';
  }

  private textOf(select: Node): string {
    const start = startOf(select);
    return Number.isFinite(start) ? textBetween(this.sql, start, this.sql.length) : this.sql;
  }

  /** A mapped criterion that compiles; else the text it was read from, kept as SQL. */
  private checked(criterion: { kind: 'include' | 'exclude'; expr: Expr }, text: string): PrecedentCriterion {
    try {
      this.compiler.expr(criterion.expr);
      return criterion;
    } catch {
      return { kind: criterion.kind, sql: text };
    }
  }

  private print(node: unknown, scope: Scope): string {
    return fingerprint(node, (value) => {
      if (this.isNow(value, scope)) return 'now';
      const column = this.column(value, scope);
      return column === undefined ? undefined : `col:${column}`;
    });
  }

  /** The fingerprint of a one-column query's target (the warehouse's now query). */
  private printOfSelect(sql: string | undefined): string | undefined {
    if (!sql) return undefined;
    const parsed = parseSql(sql);
    const select = parsed.ok
      ? as((list((parsed.tree as Node)['stmts'])[0] as Node | undefined)?.['stmt'], 'SelectStmt')
      : undefined;
    return select ? this.selectPrint(select) : undefined;
  }

  /** A one-column query's fingerprint, its column name left out (`as d`). */
  private selectPrint(select: Node): string | undefined {
    const targets = list(select['targetList']);
    if (targets.length !== 1 || select['whereClause'] || list(select['fromClause']).length > 1)
      return undefined;
    const val = as(targets[0], 'ResTarget')?.['val'];
    const from = list(select['fromClause']).map((f) => String(as(f, 'RangeVar')?.['relname'] ?? '?'));
    return `${from.join(',')}|${fingerprint(val, (v) => {
      const ref = as(v, 'ColumnRef');
      return ref ? `col:${names(ref['fields']).pop()}` : undefined;
    })}`;
  }

  private targetOf(sql: string): unknown {
    const parsed = parseSql(sql);
    const select = parsed.ok
      ? as((list((parsed.tree as Node)['stmts'])[0] as Node | undefined)?.['stmt'], 'SelectStmt')
      : undefined;
    return as(list(select?.['targetList'])[0], 'ResTarget')?.['val'];
  }
}

/** The aliases of a FROM clause, in order, through its joins. */
function fromAliases(select: Node): string[] {
  const out: string[] = [];
  const visit = (item: unknown) => {
    const join = as(item, 'JoinExpr');
    if (join) {
      visit(join['larg']);
      visit(join['rarg']);
      return;
    }
    const range = as(item, 'RangeVar');
    if (range) out.push(String((range['alias'] as Node | undefined)?.['aliasname'] ?? range['relname']));
    const sub = as(item, 'RangeSubselect');
    if (sub) out.push(String((sub['alias'] as Node | undefined)?.['aliasname'] ?? ''));
  };
  list(select['fromClause']).forEach(visit);
  return out;
}

/** The arguments of a top-level AND, or the node itself. */
function andArgs(node: unknown): unknown[] {
  if (node === undefined || node === null) return [];
  const bool = as(node, 'BoolExpr');
  return bool && bool['boolop'] === 'AND_EXPR' ? list(bool['args']) : [node];
}

function nextStart(starts: number[], i: number, fallback: number): number {
  const next = starts[i + 1];
  return next !== undefined && Number.isFinite(next) ? next : fallback;
}

/** `a.x = b.y`: a join of two columns, not a condition on values. */
function isKeyEquality(node: unknown): boolean {
  const expr = as(node, 'A_Expr');
  return (
    expr !== undefined &&
    expr['kind'] === 'AEXPR_OP' &&
    names(expr['name'])[0] === '=' &&
    kindOf(expr['lexpr']) === 'ColumnRef' &&
    kindOf(expr['rexpr']) === 'ColumnRef' &&
    names(as(expr['lexpr'], 'ColumnRef')?.['fields']).pop() ===
      names(as(expr['rexpr'], 'ColumnRef')?.['fields']).pop()
  );
}

function isClientId(node: unknown): boolean {
  const ref = as(node, 'ColumnRef');
  return ref !== undefined && names(ref['fields']).pop() === 'client_id';
}

const UNITS: Record<string, TimeUnit> = {
  day: 'day',
  days: 'day',
  month: 'month',
  months: 'month',
  mon: 'month',
  mons: 'month',
  year: 'year',
  years: 'year',
};

/** `interval '12 months'`, `'3 months'::interval`, or a bare number of days. */
function spanOf(node: unknown): { n: number; unit: TimeUnit } | undefined {
  const c = constant(node);
  if (!c) return undefined;
  if (typeof c.value === 'number' && c.type === undefined) return { n: c.value, unit: 'day' };
  if (typeof c.value !== 'string' || c.type !== 'interval') return undefined;
  const m = /^\s*(\d+)\s*([a-z]+)\s*$/i.exec(c.value);
  const unit = m ? UNITS[(m[2] as string).toLowerCase()] : undefined;
  return m && unit ? { n: Number(m[1]), unit } : undefined;
}
