import { reject, shown } from './guard-rejection';
import { isObject, isSetOperation, someNode, stringsOf } from './tree-walker';

/** The deepest recursion a visible integer limit may allow. */
export const MAX_RECURSION_DEPTH = 10_000;

type Json = Record<string, unknown>;

/**
 * Person-written SQL: a recursive CTE runs only with a depth limit the guard can see. EXPLAIN prices
 * an endless recursion like a short one (its cost says nothing about how often the recursive arm
 * runs), so without a visible limit one query holds an execution slot until its timeout. What counts
 * as a limit is a counter column of the CTE:
 *
 *   with recursive r(..., n) as (
 *     select ..., 1 ...                  -- starts at a constant
 *     union [all]
 *     select ..., n + 1 from r ...       -- moves by a constant (n - 1, m - interval '1 month')
 *     where n < 10 [and ...]             -- and stops at a constant in that direction (<, <=, >, >=),
 *   )                                    --   a top-level AND term of the recursive arm's WHERE
 *
 * With integers the depth is computed and capped at MAX_RECURSION_DEPTH; with dates and intervals
 * (a month series) the bound is visible but not counted, and the person SQL timeout caps it.
 */
export function checkRecursionBounded(tree: unknown): void {
  someNode(tree, (node) => {
    if (isObject(node.withClause) && node.withClause.recursive === true) checkWith(node.withClause);
  });
}

function checkWith(withClause: Json): void {
  for (const item of Array.isArray(withClause.ctes) ? withClause.ctes : []) {
    const cte = isObject(item) && isObject(item.CommonTableExpr) ? item.CommonTableExpr : undefined;
    if (!cte || typeof cte.ctename !== 'string') continue;
    const query = isObject(cte.ctequery) && isObject(cte.ctequery.SelectStmt) ? cte.ctequery.SelectStmt : {};
    if (!readsRelation(query, cte.ctename)) continue; // RECURSIVE, but this CTE does not recur
    const depth = boundedDepth(cte, query);
    if (depth === null) {
      reject(
        'UNBOUNDED_RECURSION',
        `recursive CTE ${shown(cte.ctename)} has no depth limit the guard can see; add a counter (start at a constant, add a constant in the recursive part, and stop it with "where n < N")`,
      );
    }
    if (depth > MAX_RECURSION_DEPTH) {
      reject(
        'UNBOUNDED_RECURSION',
        `recursive CTE ${shown(cte.ctename)} may recur ${depth} times; at most ${MAX_RECURSION_DEPTH} are allowed`,
      );
    }
  }
}

/** Whether the tree reads a relation by this unqualified name anywhere (the CTE's own name). */
function readsRelation(tree: unknown, name: string): boolean {
  return someNode(tree, (node) => node.relname === name && node.schemaname === undefined);
}

/** A constant: a number when the guard can read one, else (a date, an interval) `other`. */
type Constant = number | 'other';

/**
 * How many times the recursive arm can run by its tightest counter: a number, 0 when bounded but not
 * countable (dates), null when nothing bounds it.
 */
function boundedDepth(cte: Json, query: Json): number | null {
  if (query.op !== 'SETOP_UNION' || !isObject(query.larg) || !isObject(query.rarg)) return null;
  const base = query.larg;
  const step = query.rarg;
  if (isObject(step.withClause) || isSetOperation(base) || isSetOperation(step)) return null;
  const baseTargets = targets(base);
  const aliases = stringsOf(cte.aliascolnames);
  const names = baseTargets.map((t, i) => aliases[i] ?? t.name);
  // The counter must be the CTE's own column: unqualified, or through the name the step reads it by.
  const qualifiers = new Set(selfNames(step.fromClause, cte.ctename as string));
  if (qualifiers.size === 0) return null;
  const counter = (value: unknown) => columnName(value, qualifiers);
  const conditions = topLevelAnd(step.whereClause);
  let best: number | null = null;
  targets(step).forEach((target, i) => {
    const column = names[i];
    const start = constant(baseTargets[i]?.value);
    const move = column === undefined ? null : stepOf(target.value, column, counter);
    if (column === undefined || start === null || move === null) return;
    const stop = limitOf(conditions, column, counter, move.direction);
    if (stop === null) return;
    const depth =
      typeof start === 'number' && typeof move.amount === 'number' && typeof stop === 'number'
        ? Math.max(0, Math.ceil(((stop - start) * move.direction) / move.amount))
        : 0;
    best = best === null ? depth : Math.min(best, depth);
  });
  return best;
}

function targets(select: Json): { name: string | undefined; value: unknown }[] {
  return (Array.isArray(select.targetList) ? select.targetList : []).map((item) => {
    const target = isObject(item) && isObject(item.ResTarget) ? item.ResTarget : {};
    const fromRef = columnName(target.val, null);
    return {
      name: typeof target.name === 'string' ? target.name : (fromRef ?? undefined),
      value: target.val,
    };
  });
}

/**
 * A value that is the same on every row: no column, no subquery. An integer or decimal literal
 * (possibly negative, possibly cast) reads as a number; a date, `current_date`, an interval as `other`.
 * An interval written negative is not a constant the guard can orient, so it is none.
 */
function constant(value: unknown): Constant | null {
  if (!isObject(value)) return null;
  if (isObject(value.A_Const)) {
    const c = value.A_Const;
    if (isObject(c.ival)) return typeof c.ival.ival === 'number' ? c.ival.ival : 0; // pg_query omits 0
    if (isObject(c.fval) && typeof c.fval.fval === 'string') return Number(c.fval.fval);
    if (isObject(c.sval) && typeof c.sval.sval === 'string')
      return c.sval.sval.trim().startsWith('-') ? null : 'other';
    return null;
  }
  if (isObject(value.TypeCast)) {
    const inner = constant(value.TypeCast.arg);
    const type = stringsOf(isObject(value.TypeCast.typeName) ? value.TypeCast.typeName.names : []).at(-1);
    return inner === null
      ? null
      : type === 'interval' || type === 'date' || type === 'timestamp'
        ? 'other'
        : inner;
  }
  if (isObject(value.SQLValueFunction)) return 'other'; // current_date, current_timestamp
  // date_trunc('month', current_date): a function of constants (the guard's allow-list has no random()).
  if (isObject(value.FuncCall) && value.FuncCall.over === undefined) {
    const args = Array.isArray(value.FuncCall.args) ? value.FuncCall.args : [];
    return args.every((arg) => constant(arg) !== null) ? 'other' : null;
  }
  if (isObject(value.A_Expr) && value.A_Expr.lexpr === undefined && operator(value.A_Expr) === '-') {
    const n = constant(value.A_Expr.rexpr);
    return typeof n === 'number' ? -n : null;
  }
  if (isObject(value.A_Expr) && ['+', '-'].includes(operator(value.A_Expr) ?? '')) {
    const left = constant(value.A_Expr.lexpr);
    const right = constant(value.A_Expr.rexpr);
    if (left === null || right === null) return null;
    if (typeof left === 'number' && typeof right === 'number')
      return operator(value.A_Expr) === '+' ? left + right : left - right;
    return 'other';
  }
  return null;
}

/** The names the step's FROM list reads the CTE by (its alias, else its name), at the top level. */
function selfNames(fromClause: unknown, name: string): string[] {
  const found: string[] = [];
  const visit = (item: unknown) => {
    if (!isObject(item)) return;
    if (isObject(item.JoinExpr)) {
      visit(item.JoinExpr.larg);
      visit(item.JoinExpr.rarg);
    }
    const range = isObject(item.RangeVar) ? item.RangeVar : undefined;
    if (range && range.relname === name && range.schemaname === undefined) {
      const alias = isObject(range.alias) ? range.alias.aliasname : undefined;
      found.push(typeof alias === 'string' ? alias : name);
    }
  };
  for (const item of Array.isArray(fromClause) ? fromClause : []) visit(item);
  return found;
}

/**
 * The column a reference names (`r.depth` → `depth`), else null. With `qualifiers`, a qualified
 * reference counts only through one of them (another table's `depth` is not the counter).
 */
function columnName(value: unknown, qualifiers: ReadonlySet<string> | null): string | null {
  if (!isObject(value) || !isObject(value.ColumnRef) || !Array.isArray(value.ColumnRef.fields)) return null;
  const names = stringsOf(value.ColumnRef.fields);
  if (names.length === 0 || names.length !== value.ColumnRef.fields.length) return null; // `r.*`
  if (qualifiers !== null && names.length > 1 && !(names.length === 2 && qualifiers.has(names[0] as string)))
    return null;
  return names.at(-1) ?? null;
}

function operator(expr: Json): string | null {
  if (expr.kind !== 'AEXPR_OP') return null;
  const names = stringsOf(expr.name);
  return names.length === 1 ? (names[0] as string) : null;
}

type Counter = (value: unknown) => string | null;

interface Step {
  /** +1 when the counter grows, -1 when it shrinks. */
  direction: 1 | -1;
  amount: Constant;
}

/** `column + k`, `k + column` or `column - k` with a constant k of known sign; else null. */
function stepOf(value: unknown, column: string, counter: Counter): Step | null {
  if (!isObject(value) || !isObject(value.A_Expr)) return null;
  const op = operator(value.A_Expr);
  const { lexpr, rexpr } = value.A_Expr;
  let amount: Constant | null = null;
  let sign: 1 | -1 = 1;
  if (op === '+' && counter(lexpr) === column) amount = constant(rexpr);
  else if (op === '+' && counter(rexpr) === column) amount = constant(lexpr);
  else if (op === '-' && counter(lexpr) === column) {
    amount = constant(rexpr);
    sign = -1;
  }
  if (amount === null || amount === 0) return null;
  if (typeof amount === 'number') {
    return amount > 0 ? { direction: sign, amount } : { direction: sign === 1 ? -1 : 1, amount: -amount };
  }
  return { direction: sign, amount };
}

function topLevelAnd(where: unknown): unknown[] {
  const terms: unknown[] = [];
  const collect = (node: unknown) => {
    if (isObject(node) && isObject(node.BoolExpr) && node.BoolExpr.boolop === 'AND_EXPR') {
      for (const arg of Array.isArray(node.BoolExpr.args) ? node.BoolExpr.args : []) collect(arg);
    } else terms.push(node);
  };
  collect(where);
  return terms;
}

const FLIPPED: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/**
 * The value the counter stops at (the last one the step produces), from a comparison against a
 * constant in the step's direction: `n < 10` or `10 > n` for a growing counter, `m > d` for a
 * shrinking one. The tightest, when several; null when none.
 */
function limitOf(terms: unknown[], column: string, counter: Counter, direction: 1 | -1): Constant | null {
  let found: Constant | null = null;
  for (const term of terms) {
    if (!isObject(term) || !isObject(term.A_Expr)) continue;
    let op = operator(term.A_Expr) ?? '';
    let other: unknown;
    if (counter(term.A_Expr.lexpr) === column) other = term.A_Expr.rexpr;
    else if (counter(term.A_Expr.rexpr) === column) {
      other = term.A_Expr.lexpr;
      op = FLIPPED[op] ?? '';
    } else continue;
    const wanted = direction === 1 ? ['<', '<='] : ['>', '>='];
    const bound = wanted.includes(op) ? constant(other) : null;
    if (bound === null) continue;
    // The step runs while the comparison holds, producing one row one step further.
    const last = typeof bound === 'number' ? (op === '<' || op === '>' ? bound : bound + direction) : bound;
    if (found === null || found === 'other') found = last;
    else if (typeof last === 'number')
      found = direction === 1 ? Math.min(found, last) : Math.max(found, last);
  }
  return found;
}
