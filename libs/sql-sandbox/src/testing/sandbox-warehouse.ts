// Test support (not exported): a throw-away warehouse schema and an executor role that can read it.
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { createTestSchema, quoteIdent, testDatabaseUrl, type TestSchema } from '@t2s/db';
import { dropExecutorRole, ensureExecutorRole } from '@t2s/warehouse';
import type { GuardVerdict } from '@t2s/sql-guard';

export interface SandboxWarehouse {
  /** Superuser connection, for setting up and for checking that nothing changed. */
  admin: Client;
  schema: string;
  role: string;
  /** Logs in as the executor role. */
  executorUrl: string;
  drop(): Promise<void>;
}

/** Creates the schema, lets `setup` fill it (`s` is the quoted schema name), then the executor role. */
export async function createSandboxWarehouse(
  prefix: string,
  setup: (admin: Client, s: string) => Promise<void>,
): Promise<SandboxWarehouse> {
  const db: TestSchema = await createTestSchema(prefix);
  const role = `t2s_sandbox_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const drop = async () => {
    try {
      // Sessions the pool or a failed test left open would block drop role.
      await db.client.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [
        role,
      ]);
      await dropExecutorRole(db.client, role);
    } finally {
      await db.drop();
    }
  };
  try {
    await setup(db.client, quoteIdent(db.schema));
    await ensureExecutorRole(db.client, {
      role,
      password,
      schemas: [db.schema],
      statementTimeout: '5s',
      tempFileLimit: '64MB',
      // Tests open and close many small pools; a closed session's slot frees a moment after the
      // client disconnects, so a busy machine could briefly see more than the production default.
      connectionLimit: 100,
    });
  } catch (error) {
    await drop();
    throw error;
  }
  const url = new URL(testDatabaseUrl());
  url.username = role;
  url.password = password;
  return { admin: db.client, schema: db.schema, role, executorUrl: url.toString(), drop };
}

/** Stands in for the real guard so that tests see the sandbox alone: rejects only what says REJECT_ME. */
export function fakeGuard(sql: string): GuardVerdict {
  return sql.includes('REJECT_ME')
    ? { ok: false, code: 'NOT_SELECT', reason: 'rejected by the fake guard' }
    : { ok: true, relations: [], functions: [] };
}

/** A guard that lets everything through, to see what the warehouse walls alone do. */
export function acceptAll(): GuardVerdict {
  return { ok: true, relations: [], functions: [] };
}

/** md5 of every row of a table, in a stable order, as seen by the admin. */
export async function tableDigest(admin: Client, table: string): Promise<{ rows: number; md5: string }> {
  const { rows } = await admin.query<{ rows: number; md5: string | null }>(
    `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5
       from ${table} t`,
  );
  return { rows: rows[0]!.rows, md5: rows[0]!.md5 ?? '' };
}
