// How pg's errors become the sandbox's answers, without a database.
import { DatabaseError } from 'pg';
import { mapSqlError, redactValues } from './sql-error-mapping';

function pgError(code: string, message: string, extra: Partial<DatabaseError> = {}): DatabaseError {
  const error = new DatabaseError(message, message.length, 'error');
  return Object.assign(error, { code, severity: 'ERROR', ...extra });
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
}

describe('mapSqlError', () => {
  it.each([
    ['57014', 'canceling statement due to statement timeout', 'SQL_TIMEOUT', false],
    ['42703', 'column "x" does not exist', 'SQL_FAILED', false],
    ['42601', 'syntax error at or near "fro"', 'SQL_FAILED', false],
    ['25006', 'cannot execute DELETE in a read-only transaction', 'SQL_FAILED', false],
    ['42501', 'permission denied for table client', 'SQL_FAILED', false],
    ['53400', 'temporary file size exceeds temp_file_limit (65536kB)', 'SQL_FAILED', false],
    ['53200', 'out of memory', 'SQL_FAILED', false],
    ['40001', 'could not serialize access', 'SQL_FAILED', false],
    ['57P01', 'terminating connection due to administrator command', 'WAREHOUSE_UNAVAILABLE', true],
    ['57P03', 'the database system is starting up', 'WAREHOUSE_UNAVAILABLE', true],
    ['08006', 'connection failure', 'WAREHOUSE_UNAVAILABLE', true],
    ['53300', 'too many connections for role "x"', 'WAREHOUSE_UNAVAILABLE', true],
    ['28P01', 'password authentication failed for user "x"', 'WAREHOUSE_UNAVAILABLE', true],
    ['25P03', 'terminating connection due to idle-in-transaction timeout', 'WAREHOUSE_UNAVAILABLE', true],
  ])('%s → %s', (sqlState, message, code, retryable) => {
    expect(mapSqlError(pgError(sqlState, message))).toMatchObject({ code, retryable, sqlState });
  });

  it('answers a $1 parameter (a non-fatal protocol violation) as the SQL failing, not the warehouse', () => {
    const bind = pgError('08P01', 'bind message supplies 0 parameters, but prepared statement "" requires 1');
    expect(mapSqlError(bind)).toMatchObject({
      code: 'SQL_FAILED',
      retryable: false,
      brokenConnection: false,
      message: expect.stringContaining('must not use $n parameters'),
    });
    const fatal = pgError('08P01', 'invalid frontend message type 0', { severity: 'FATAL' });
    expect(mapSqlError(fatal)).toMatchObject({ code: 'WAREHOUSE_UNAVAILABLE', brokenConnection: true });
  });

  it('flags what means a write or a privilege got past the guard', () => {
    expect(mapSqlError(pgError('25006', 'read-only'))?.pastGuard).toBe(true);
    expect(mapSqlError(pgError('42501', 'permission denied'))?.pastGuard).toBe(true);
    expect(mapSqlError(pgError('42703', 'column'))?.pastGuard).toBe(false);
  });

  it("keeps PostgreSQL's message and hint for the SQL generator", () => {
    const error = pgError('42703', 'column "client_idd" does not exist', {
      hint: 'Perhaps you meant to reference the column "client.client_id".',
    });
    expect(mapSqlError(error)?.message).toBe(
      'column "client_idd" does not exist (hint: Perhaps you meant to reference the column "client.client_id".)',
    );
  });

  it('redacts values quoted in data errors, and drops their detail', () => {
    const error = pgError('22P02', 'invalid input syntax for type integer: "Jana Novakova"', {
      detail: 'Jana Novakova',
    });
    expect(mapSqlError(error)?.message).toBe('invalid input syntax for type integer: "…"');
    expect(redactValues('value "12345678901" is out of range for type integer')).toBe(
      'value "…" is out of range for type integer',
    );
    expect(redactValues('x: "a ""quoted"" value" and "b"')).toBe('x: "…" and "…"');
  });

  it('destroys the session on connection errors and FATAL errors only', () => {
    expect(mapSqlError(pgError('42703', 'column'))?.brokenConnection).toBe(false);
    expect(mapSqlError(pgError('57014', 'timeout'))?.brokenConnection).toBe(false);
    expect(mapSqlError(pgError('57P01', 'terminating'))?.brokenConnection).toBe(true);
    expect(mapSqlError(pgError('XX000', 'boom', { severity: 'FATAL' }))?.brokenConnection).toBe(true);
  });

  it('treats socket errors and lost connections as WAREHOUSE_UNAVAILABLE', () => {
    for (const error of [
      socketError('ECONNREFUSED'),
      socketError('ECONNRESET'),
      socketError('ETIMEDOUT'),
      new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')], ''),
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('timeout exceeded when trying to connect'),
    ]) {
      expect(mapSqlError(error)).toMatchObject({
        code: 'WAREHOUSE_UNAVAILABLE',
        retryable: true,
        brokenConnection: true,
      });
    }
  });

  it('answers null for anything else: a bug, which the caller rethrows', () => {
    expect(mapSqlError(new TypeError('x is not a function'))).toBeNull();
    expect(mapSqlError('a string')).toBeNull();
    expect(mapSqlError(undefined)).toBeNull();
  });
});
