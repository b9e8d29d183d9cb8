import type { GuardCode, GuardPolicy } from './guard.types';
import { reject, shown } from './guard-rejection';

/**
 * Checks every node of one statement's pg_query JSON tree, generically: the walk visits every object
 * and array, so nothing hides in a sub-tree the checks did not think of.
 *
 * In that JSON a node typed `Node *` in PostgreSQL is wrapped (`{"FuncCall": {...}}`, the type name
 * starts with a capital) while a field typed as a specific struct is not (`"typeName": {...}`,
 * `"larg": {...}`). So the rules look at field objects by their keys (`relname` = a RangeVar,
 * `funcname` = a function call, `intoClause`, `lockingClause`, `withClause`), wrapped or not, and
 * every wrapped node type must be on the allow-list below.
 *
 * The walk is a loop over an explicit stack rather than recursion, so a deep tree cannot overflow
 * the JavaScript stack.
 */

type JsonObject = { [key: string]: unknown };

const words = (text: string): string[] => text.split(' ');

/** Node types a read-only SELECT may contain. */
const ALLOWED_NODES = new Set([
  ...words(
    'SelectStmt ResTarget ColumnRef A_Star A_Const A_Expr A_Indices A_Indirection A_ArrayExpr String ' +
      'Integer Float Boolean BitString List Alias BoolExpr NullTest BooleanTest SubLink CaseExpr CaseWhen ' +
      'CoalesceExpr MinMaxExpr RowExpr TypeCast TypeName CollateClause FuncCall NamedArgExpr ' +
      'SQLValueFunction SortBy WindowDef GroupingSet GroupingFunc RangeVar RangeSubselect RangeFunction ' +
      'RangeTableSample JoinExpr CommonTableExpr CTESearchClause CTECycleClause',
  ),
  // A column definition list: `generate_series(...) AS g(day date)`.
  'ColumnDef',
  // SQL/JSON expressions are pure functions of their arguments (which are walked like the rest).
  ...words(
    'JsonObjectConstructor JsonArrayConstructor JsonArrayQueryConstructor JsonAggConstructor ' +
      'JsonObjectAgg JsonArrayAgg JsonKeyValue JsonValueExpr JsonOutput JsonReturning JsonFormat ' +
      'JsonIsPredicate JsonParseExpr JsonScalarExpr JsonSerializeExpr JsonFuncExpr JsonTable ' +
      'JsonTableColumn JsonTablePathSpec JsonArgument JsonBehavior',
  ),
]);

const DATA_MODIFYING = new Map([
  ['InsertStmt', 'INSERT'],
  ['UpdateStmt', 'UPDATE'],
  ['DeleteStmt', 'DELETE'],
  ['MergeStmt', 'MERGE'],
]);

/** Node types rejected with a more telling code or reason than "not allowed". */
const REJECTED_NODES = new Map<string, [GuardCode, string]>([
  ['IntoClause', ['SELECT_INTO', 'SELECT ... INTO creates a table']],
  ['LockingClause', ['LOCKING_CLAUSE', 'FOR UPDATE/SHARE takes row locks']],
  ['XmlExpr', ['FORBIDDEN_CONSTRUCT', 'XML functions (xmlparse, xmlelement, ...) are not allowed']],
  ['XmlSerialize', ['FORBIDDEN_CONSTRUCT', 'XMLSERIALIZE is not allowed']],
  ['RangeTableFunc', ['FORBIDDEN_CONSTRUCT', 'XMLTABLE is not allowed']],
  ['CurrentOfExpr', ['FORBIDDEN_CONSTRUCT', 'WHERE CURRENT OF needs a cursor']],
]);

/** Casts to these probe the system catalog by name (`'pg_authid'::regclass`) or parse XML. */
const FORBIDDEN_TYPES = new Set(
  words(
    'regclass regcollation regconfig regdictionary regnamespace regoper regoperator regproc ' +
      'regprocedure regrole regtype xml',
  ),
);

const TABLESAMPLE_METHODS = new Set(['system', 'bernoulli']);

const LOCK_STRENGTHS: Record<string, string> = {
  LCS_FORKEYSHARE: 'FOR KEY SHARE',
  LCS_FORSHARE: 'FOR SHARE',
  LCS_FORNOKEYUPDATE: 'FOR NO KEY UPDATE',
  LCS_FORUPDATE: 'FOR UPDATE',
};

/** CTE names visible at a point of the query; each WITH adds a scope inside its own statement only. */
interface Scope {
  names: ReadonlySet<string>;
  outer: Scope | null;
}

interface Work {
  value: unknown;
  scope: Scope | null;
  /** The node type when `value` holds a node's fields (wrapped, or a typed field such as typeName). */
  type: string | null;
}

export interface TreeFindings {
  relations: Set<string>;
  functions: Set<string>;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Calls `visit` on every object of a parse tree, depth first, with an explicit stack (a deep tree
 * cannot overflow the JavaScript stack); `visit` returning true stops the walk.
 */
export function someNode(tree: unknown, visit: (node: JsonObject) => boolean | void): boolean {
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isObject(node)) {
      if (visit(node) === true) return true;
      stack.push(...Object.values(node));
    }
  }
  return false;
}

/** The names of a list of `{"String": {"sval": ...}}` nodes; other items (`A_Star`) are left out. */
export function stringsOf(value: unknown): string[] {
  return Array.isArray(value)
    ? value.flatMap((item) =>
        isObject(item) && isObject(item.String) && typeof item.String.sval === 'string'
          ? [item.String.sval]
          : [],
      )
    : [];
}

/** A SelectStmt that is a UNION, INTERSECT or EXCEPT of two others (`larg`, `rarg`). */
export function isSetOperation(select: JsonObject): boolean {
  return select.op !== undefined && select.op !== 'SETOP_NONE';
}

export function isSystemSchema(schema: string): boolean {
  return schema === 'information_schema' || schema.startsWith('pg_');
}

/** `[{"String": {"sval": "a"}}, ...]` → `['a', ...]`; anything else is an unexpected tree. */
function nameList(value: unknown, what: string): string[] {
  const names = Array.isArray(value)
    ? value.map((item) => (isObject(item) && isObject(item.String) ? item.String.sval : undefined))
    : [];
  if (names.length === 0 || !names.every((name): name is string => typeof name === 'string')) {
    reject('FORBIDDEN_CONSTRUCT', `unreadable ${what} in the parse tree`);
  }
  return names;
}

function inScope(scope: Scope | null, name: string): boolean {
  for (let s = scope; s !== null; s = s.outer) if (s.names.has(name)) return true;
  return false;
}

class TreeWalker {
  readonly findings: TreeFindings = { relations: new Set(), functions: new Set() };
  private readonly stack: Work[] = [];

  constructor(private readonly policy: GuardPolicy) {}

  walk(root: unknown): TreeFindings {
    this.stack.push({ value: root, scope: null, type: null });
    for (let work = this.stack.pop(); work !== undefined; work = this.stack.pop()) {
      if (Array.isArray(work.value)) {
        for (let i = work.value.length - 1; i >= 0; i -= 1) {
          this.stack.push({ value: work.value[i], scope: work.scope, type: null });
        }
      } else if (isObject(work.value)) {
        this.visitObject(work.value, work.type, work.scope);
      }
    }
    return this.findings;
  }

  private visitObject(fields: JsonObject, type: string | null, outerScope: Scope | null): void {
    this.checkFields(fields, type, outerScope);
    const scope = isObject(fields.withClause) ? this.enterWith(fields.withClause, outerScope) : outerScope;
    const keys = Object.keys(fields);
    for (let i = keys.length - 1; i >= 0; i -= 1) {
      const key = keys[i] as string;
      const child = fields[key];
      if (key === 'withClause') continue; // walked by enterWith, with the right scopes
      if (/^[A-Z]/.test(key)) {
        this.checkNodeType(key, child);
        this.stack.push({ value: child, scope, type: key });
      } else {
        this.stack.push({ value: child, scope, type: key === 'typeName' ? 'TypeName' : null });
      }
    }
  }

  private checkNodeType(type: string, fields: unknown): void {
    const dml = DATA_MODIFYING.get(type);
    if (dml) reject('DATA_MODIFYING_CTE', `a WITH query runs ${dml}; only SELECT is allowed`);
    const rejected = REJECTED_NODES.get(type);
    if (rejected) reject(...rejected);
    if (type === 'ParamRef') {
      const number = isObject(fields) && typeof fields.number === 'number' ? fields.number : '?';
      reject(
        'FORBIDDEN_CONSTRUCT',
        `parameter $${number} is not allowed: segment SQL runs without parameters`,
      );
    }
    if (!ALLOWED_NODES.has(type)) reject('FORBIDDEN_CONSTRUCT', `${type} is not allowed in a segment query`);
    if (!isObject(fields)) reject('FORBIDDEN_CONSTRUCT', `unreadable ${type} in the parse tree`);
  }

  /** The rules that look at one object's own fields. */
  private checkFields(fields: JsonObject, type: string | null, scope: Scope | null): void {
    if (fields.intoClause !== undefined && fields.intoClause !== null) {
      reject('SELECT_INTO', 'SELECT ... INTO creates a table; only plain SELECT is allowed');
    }
    if (Array.isArray(fields.lockingClause) && fields.lockingClause.length > 0) {
      const first: unknown = fields.lockingClause[0];
      const strength = isObject(first) && isObject(first.LockingClause) ? first.LockingClause.strength : '';
      const clause = LOCK_STRENGTHS[String(strength)] ?? 'FOR UPDATE/SHARE';
      reject('LOCKING_CLAUSE', `${clause} takes row locks; segment queries only read`);
    }
    if (typeof fields.relname === 'string') this.checkRelation(fields, scope);
    if (fields.funcname !== undefined) this.checkFunction(fields.funcname);
    if (type === 'TypeName') this.checkType(fields);
    if (type === 'A_Expr' && fields.name !== undefined) this.checkOperator(fields.name);
    if (fields.useOp !== undefined) this.checkOperator(fields.useOp);
    if (fields.operName !== undefined) this.checkOperator(fields.operName);
    if (type === 'RangeTableSample') {
      const method = nameList(fields.method, 'TABLESAMPLE method');
      const name = method.length === 2 && method[0] === 'pg_catalog' ? method[1] : method.join('.');
      if (!TABLESAMPLE_METHODS.has(name ?? '')) {
        reject('FUNCTION_NOT_ALLOWED', `TABLESAMPLE method ${shown(method.join('.'))} is not allowed`);
      }
    }
  }

  private checkRelation(range: JsonObject, scope: Scope | null): void {
    const name = range.relname as string;
    const schema = typeof range.schemaname === 'string' ? range.schemaname : undefined;
    if (typeof range.catalogname === 'string') {
      reject('FORBIDDEN_SCHEMA', `${shown(`${range.catalogname}.${schema}.${name}`)} names a database`);
    }
    const { relations, searchPath } = this.policy;
    if (schema !== undefined) {
      if (isSystemSchema(schema)) {
        reject('SYSTEM_CATALOG', `${shown(`${schema}.${name}`)} is in a system schema`);
      }
      if (!searchPath.includes(schema)) {
        reject(
          'FORBIDDEN_SCHEMA',
          `schema ${shown(schema)} is not allowed (allowed: ${searchPath.join(', ')})`,
        );
      }
      const qualified = `${schema}.${name}`;
      if (!relations.has(qualified))
        reject('UNKNOWN_RELATION', `relation ${shown(qualified)} is not in the catalog`);
      this.findings.relations.add(qualified);
      return;
    }
    // Only the CTEs of enclosing WITH clauses count: a name seen elsewhere is a real relation.
    if (inScope(scope, name)) return;
    // pg_catalog is searched before the search path: pg_roles, pg_stat_activity, ... land there.
    if (name.startsWith('pg_')) reject('SYSTEM_CATALOG', `${shown(name)} is a system catalog`);
    for (const candidate of searchPath) {
      if (relations.has(`${candidate}.${name}`)) {
        this.findings.relations.add(`${candidate}.${name}`);
        return;
      }
    }
    reject('UNKNOWN_RELATION', `relation ${shown(name)} is not in the catalog`);
  }

  private checkFunction(funcname: unknown): void {
    const names = nameList(funcname, 'function name');
    const name =
      names.length === 1 ? names[0] : names.length === 2 && names[0] === 'pg_catalog' ? names[1] : null;
    if (name === null || name === undefined) {
      reject('FUNCTION_NOT_ALLOWED', `function ${shown(names.join('.'))} is outside pg_catalog`);
    }
    // Exact match: a quoted "PG_SLEEP" is another name to PostgreSQL, and not on the list either.
    if (!this.policy.functions.has(name))
      reject('FUNCTION_NOT_ALLOWED', `function ${shown(name)} is not allowed`);
    this.findings.functions.add(name);
  }

  private checkType(typeName: JsonObject): void {
    const names = nameList(typeName.names, 'type name');
    const type = names[names.length - 1] as string;
    if (names.length > 1) {
      const schema = names[0] as string;
      if (names.length > 2) reject('FORBIDDEN_SCHEMA', `type ${shown(names.join('.'))} names a database`);
      if (schema !== 'pg_catalog' && isSystemSchema(schema)) {
        reject('SYSTEM_CATALOG', `type ${shown(names.join('.'))} is in a system schema`);
      }
      if (schema !== 'pg_catalog' && !this.policy.searchPath.includes(schema)) {
        reject('FORBIDDEN_SCHEMA', `type ${shown(names.join('.'))} is in a schema that is not allowed`);
      }
    }
    if (FORBIDDEN_TYPES.has(type)) {
      reject(
        'FORBIDDEN_CONSTRUCT',
        `casts to ${type} are not allowed (they read the system catalog or parse XML)`,
      );
    }
  }

  /** Built-in operators only: `OPERATOR(myschema.+)` could run any function. */
  private checkOperator(name: unknown): void {
    const names = nameList(name, 'operator');
    if (names.length > 1 && names[0] !== 'pg_catalog') {
      reject('FORBIDDEN_CONSTRUCT', `operator ${shown(names.join('.'))} is outside pg_catalog`);
    }
  }

  /**
   * Queues a WITH clause's CTEs, each with the names it may see, and returns the scope of the
   * statement body. Without RECURSIVE a CTE sees only the CTEs before it (its own name inside it is a
   * real table, or an outer CTE); with RECURSIVE it sees all of them, itself included.
   */
  private enterWith(withClause: JsonObject, outer: Scope | null): Scope {
    const ctes = Array.isArray(withClause.ctes) ? withClause.ctes : [];
    const entries = ctes.map((item) => {
      const cte = isObject(item) ? item.CommonTableExpr : undefined;
      if (!isObject(cte) || typeof cte.ctename !== 'string' || !isObject(cte.ctequery)) {
        reject('FORBIDDEN_CONSTRUCT', 'unreadable WITH clause in the parse tree');
      }
      return { cte, name: cte.ctename as string, query: cte.ctequery as JsonObject };
    });
    const names = entries.map((entry) => entry.name);
    entries.forEach(({ cte, name, query }, index) => {
      for (const [type, verb] of DATA_MODIFYING) {
        if (type in query)
          reject('DATA_MODIFYING_CTE', `WITH query ${shown(name)} runs ${verb}; only SELECT is allowed`);
      }
      const visible = withClause.recursive === true ? names : names.slice(0, index);
      this.stack.push({ value: cte, scope: { names: new Set(visible), outer }, type: 'CommonTableExpr' });
    });
    return { names: new Set(names), outer };
  }
}

/** Checks one statement's tree; throws GuardRejection at the first problem. */
export function walkStatement(statement: unknown, policy: GuardPolicy): TreeFindings {
  return new TreeWalker(policy).walk(statement);
}
