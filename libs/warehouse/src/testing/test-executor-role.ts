import { randomBytes } from 'node:crypto';
import type { ClientBase } from 'pg';
import { testDatabaseUrl } from '@t2s/db';
import { dropExecutorRole, ensureExecutorRole } from '../executor-role';

export interface TestExecutorRole {
  role: string;
  /** Logs in to the test database as the role. */
  url: string;
  /** Ends the role's sessions (a pool or a failed test may leave some) and drops it. */
  drop(): Promise<void>;
}

/** A uniquely named executor role that can read `schema` of the test database, for specs. */
export async function createTestExecutorRole(
  admin: ClientBase,
  schema: string,
  options: { prefix: string; statementTimeout: string; tempFileLimit: string },
): Promise<TestExecutorRole> {
  const role = `${options.prefix}_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const drop = async () => {
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [role]);
    await dropExecutorRole(admin, role);
  };
  try {
    await ensureExecutorRole(admin, {
      role,
      password,
      schemas: [schema],
      statementTimeout: options.statementTimeout,
      tempFileLimit: options.tempFileLimit,
      // Tests open and close many small pools; a closed session's slot frees a moment after the
      // client disconnects, so a busy machine could briefly see more than the production default.
      connectionLimit: 100,
    });
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  const url = new URL(testDatabaseUrl());
  url.username = role;
  url.password = password;
  return { role, url: url.toString(), drop };
}
