// Test support (not exported): a throw-away warehouse schema and an executor role that can read it.
import type { Client } from 'pg';
import { createTestSchema, quoteIdent, type TestSchema } from '@t2s/db';
import { createTestExecutorRole, type TestExecutorRole } from '@t2s/warehouse/testing';
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
  let executor: TestExecutorRole | undefined;
  const drop = async () => {
    try {
      await executor?.drop();
    } finally {
      await db.drop();
    }
  };
  try {
    await setup(db.client, quoteIdent(db.schema));
    executor = await createTestExecutorRole(db.client, db.schema, {
      prefix: 't2s_sandbox',
      statementTimeout: '5s',
      tempFileLimit: '64MB',
    });
  } catch (error) {
    await drop();
    throw error;
  }
  return { admin: db.client, schema: db.schema, role: executor.role, executorUrl: executor.url, drop };
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
