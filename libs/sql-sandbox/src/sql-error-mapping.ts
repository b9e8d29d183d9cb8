import { DatabaseError } from 'pg';
import type { SandboxErrorCode } from './sandbox-result';

export interface MappedError {
  code: SandboxErrorCode;
  message: string;
  retryable: boolean;
  sqlState?: string;
  /** The session may be unusable: destroy the connection rather than return it to the pool. */
  brokenConnection: boolean;
  /** The warehouse refused a write or a privilege: the guard let something through it should not have. */
  pastGuard: boolean;
}

// Node's socket errors, and what pg says when the socket went away or never came (no SQLSTATE then).
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|not queryable|Client was closed|timeout expired|timeout exceeded when trying to connect|Connection closed/i;

/**
 * Maps what pg threw to the sandbox's answer, or null when it is not a warehouse or connection error
 * (a bug on our side, which the caller rethrows).
 */
export function mapSqlError(error: unknown): MappedError | null {
  if (error instanceof DatabaseError && error.code) return mapSqlState(error);
  if (isConnectionError(error)) {
    return {
      code: 'WAREHOUSE_UNAVAILABLE',
      message: `the warehouse is unreachable: ${(error as Error).message}`,
      retryable: true,
      brokenConnection: true,
      pastGuard: false,
    };
  }
  return null;
}

function mapSqlState(error: DatabaseError): MappedError {
  const sqlState = error.code!;
  const fatal = error.severity === 'FATAL' || error.severity === 'PANIC';
  const base = { sqlState, brokenConnection: fatal, pastGuard: false };
  const unavailable: MappedError = {
    ...base,
    code: 'WAREHOUSE_UNAVAILABLE',
    message: `the warehouse is unavailable: ${error.message}`,
    retryable: true,
    brokenConnection: true,
  };

  // A `$1` in the SQL: the Bind message carries no values, and PostgreSQL calls that a protocol
  // violation, but only the statement failed (the session is fine) and the same SQL would fail again.
  if (sqlState === '08P01' && !fatal) {
    return {
      ...base,
      code: 'SQL_FAILED',
      message: `${error.message} (the query must not use $n parameters: write the values in the SQL)`,
      retryable: false,
    };
  }
  // Shutdown, crash recovery, lost connection, our own session killed for idling, too many connections,
  // and (retried too: ops may fix it meanwhile) bad credentials or no such database.
  if (
    /^57P0\d$/.test(sqlState) ||
    sqlState.startsWith('08') ||
    sqlState.startsWith('28') ||
    ['25P03', '53300', '3D000'].includes(sqlState)
  ) {
    return unavailable;
  }
  if (sqlState === '57014') {
    return {
      ...base,
      code: 'SQL_TIMEOUT',
      message: `the query was cancelled: it ran past the statement timeout (${error.message})`,
      retryable: false,
    };
  }
  if (sqlState === '25006' || sqlState === '42501') {
    return { ...base, code: 'SQL_FAILED', message: withHint(error), retryable: false, pastGuard: true };
  }
  // Data exceptions quote the offending value ("invalid input syntax for type integer: "Novak""), and
  // this message goes to the SQL generator (an LLM provider): client data must not travel with it.
  if (sqlState.startsWith('22')) {
    return { ...base, code: 'SQL_FAILED', message: redactValues(error.message), retryable: false };
  }
  // Syntax, undefined names, types (42), resources such as temp_file_limit (53), everything else: the
  // SQL's own fault, and PostgreSQL's words are what the generator needs to fix it.
  return { ...base, code: 'SQL_FAILED', message: withHint(error), retryable: false };
}

function withHint(error: DatabaseError): string {
  return error.hint ? `${error.message} (hint: ${error.hint})` : error.message;
}

/** Replaces every double-quoted part of a message with "…". */
export function redactValues(message: string): string {
  return message.replace(/"(?:[^"]|"")*"/g, '"…"');
}

function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && SOCKET_CODES.has(code)) return true;
  // Node tries each address of a host name and reports all failures together.
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  return CONNECTION_MESSAGES.test(error.message);
}
