import type { GuardPolicy, GuardVerdict } from './guard.types';
import { GuardRejection, oneLine, reject } from './guard-rejection';
import { MAX_NESTING_ESTIMATE, nestingEstimate } from './nesting-budget';
import { checkDataRules } from './data-rules';
import { loadParser, ParserCrash, parserLoaded, parseSql, scanSql, type ScanToken } from './pg-parser';
import { checkRecursionBounded } from './recursion-bound';
import { isObject, walkStatement, type TreeFindings } from './tree-walker';

/**
 * The SQL guard: the second wall after the executor role and the READ ONLY transaction. It parses
 * with PostgreSQL's own parser and lets through one SELECT that reads only catalog relations, calls
 * only allow-listed functions, reads no personal data and, for a segment, returns the client key.
 * It never throws on any input: every failure is a verdict.
 */

/** Loads the PostgreSQL parser (WebAssembly). Call once at start-up; later calls return at once. */
export async function loadSqlGuard(): Promise<void> {
  await loadParser();
}

// A lone UTF-16 surrogate has no UTF-8 form: the WebAssembly and the pg driver would each encode it
// differently, so the text checked would not be the text run.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const COMMENTS = new Set(['SQL_COMMENT', 'C_COMMENT']);

// `WITH x AS (...) DELETE ...` starts with WITH: name the statement by what it does.
const VERBS: Record<string, string> = {
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
};

/** The first word of the statement starting at `offset`, for reasons: `DELETE`, `COMMIT`, ... */
function leadingWord(tokens: readonly ScanToken[], offset: number): string {
  const token = tokens.find((t) => t.start >= offset && !COMMENTS.has(t.tokenName) && t.text !== ';');
  return token ? token.text.toUpperCase().slice(0, 40) : '?';
}

function statementsOf(tree: unknown): { stmt: Record<string, unknown>; location: number }[] {
  const stmts = isObject(tree) && Array.isArray(tree.stmts) ? tree.stmts : [];
  return stmts.map((raw) => {
    if (!isObject(raw) || !isObject(raw.stmt))
      reject('PARSE_ERROR', 'the parser produced an unreadable tree');
    return { stmt: raw.stmt, location: typeof raw.stmt_location === 'number' ? raw.stmt_location : 0 };
  });
}

function check(sql: string, policy: GuardPolicy): TreeFindings {
  if (typeof sql !== 'string') reject('PARSE_ERROR', `the SQL must be a string, got ${typeof sql}`);
  if (sql.length > policy.maxLength) {
    reject('TOO_LONG', `the SQL is ${sql.length} characters long; at most ${policy.maxLength} are allowed`);
  }
  if (sql.trim() === '') reject('EMPTY', 'the SQL is empty');
  // The parser reads a C string: whatever follows a NUL would be checked by nobody.
  if (sql.includes('\0')) reject('PARSE_ERROR', 'the SQL contains a NUL character');
  if (LONE_SURROGATE.test(sql))
    reject('PARSE_ERROR', 'the SQL is not valid Unicode (a lone UTF-16 surrogate)');

  const scanned = scanSql(sql);
  if (!scanned.ok) reject('PARSE_ERROR', `syntax error: ${scanned.message}`);
  const estimate = nestingEstimate(scanned.tokens);
  if (estimate > MAX_NESTING_ESTIMATE) {
    reject(
      'PARSE_ERROR',
      `the SQL is nested too deeply (about ${estimate} levels; at most ${MAX_NESTING_ESTIMATE})`,
    );
  }

  const parsed = parseSql(sql);
  if (!parsed.ok) {
    const where = parsed.position === undefined ? '' : ` (at character ${parsed.position + 1})`;
    reject('PARSE_ERROR', `${parsed.message}${where}`);
  }
  const statements = statementsOf(parsed.tree);
  if (statements.length === 0) reject('EMPTY', 'the SQL holds no statement, only comments or semicolons');
  if (statements.length > 1) {
    const words = statements.map(({ location }) => leadingWord(scanned.tokens, location));
    reject(
      'MULTIPLE_STATEMENTS',
      `the SQL holds ${statements.length} statements (${words.join('; ')}); only one is allowed`,
    );
  }

  const [{ stmt, location }] = statements as [{ stmt: Record<string, unknown>; location: number }];
  const type = Object.keys(stmt)[0] ?? '?';
  const select = stmt.SelectStmt;
  if (type !== 'SelectStmt' || !isObject(select)) {
    const verb = VERBS[type] ?? leadingWord(scanned.tokens, location);
    reject('NOT_SELECT', `only SELECT is allowed; this is ${verb} (${type})`);
  }
  const findings = walkStatement(stmt, policy);
  // Personal data first: `SELECT s.* FROM (SELECT email ...) s` is a leak before it is a wrong shape.
  checkDataRules(select, policy, findings.relations);
  if (policy.recursion === 'bounded') checkRecursionBounded(select);
  return findings;
}

/**
 * Checks one SQL text against a policy. Synchronous once loadSqlGuard() has resolved; throws only
 * when it has not (a programming error), never because of the SQL.
 */
export function checkSql(sql: string, policy: GuardPolicy): GuardVerdict {
  if (!parserLoaded()) throw new Error('the SQL guard is not loaded: await loadSqlGuard() before checkSql()');
  try {
    const { relations, functions } = check(sql, policy);
    return { ok: true, relations: [...relations].sort(), functions: [...functions].sort() };
  } catch (error) {
    if (error instanceof GuardRejection)
      return { ok: false, code: error.code, reason: oneLine(error.reason) };
    if (error instanceof ParserCrash)
      return { ok: false, code: 'PARSE_ERROR', reason: oneLine(error.message) };
    // A bug in the guard itself must not let the SQL through, nor crash the caller.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, code: 'PARSE_ERROR', reason: oneLine(`the SQL could not be checked: ${message}`) };
  }
}
