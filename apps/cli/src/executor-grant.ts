import type { ClientBase } from 'pg';
import { findAnnotationsFor, hiddenPiiColumns, introspectCatalog } from '@t2s/catalog';
import { ensureExecutorRole } from '@t2s/warehouse';
import { UsageError } from './command-runner';

/** The executor's password on the local embedded server (it listens on 127.0.0.1 only). */
export const EXECUTOR_PASSWORD_DEFAULT = 't2s_executor';

/**
 * Gives the executor role read access to a freshly loaded warehouse schema, with the session limits
 * every command applies, and no access at all to its personal data (the catalog's PII marks with the
 * schema's annotations, less what they approve for filtering). The password comes from
 * WAREHOUSE_EXECUTOR_PASSWORD; the default is for the local embedded server only (it listens on
 * 127.0.0.1). The temp-file cap per session is WAREHOUSE_EXECUTOR_TEMP_FILE_LIMIT (default 1GB): a
 * warehouse of millions of clients spills more than that in one hash join.
 */
export async function grantExecutor(client: ClientBase, role: string, schema: string): Promise<void> {
  const catalog = await introspectCatalog(client, {
    schemas: [schema],
    annotations: findAnnotationsFor(schema),
    valueIndex: { maxDistinct: 1 },
  });
  await ensureExecutorRole(client, {
    role,
    password: process.env.WAREHOUSE_EXECUTOR_PASSWORD ?? EXECUTOR_PASSWORD_DEFAULT,
    schemas: [schema],
    statementTimeout: '60s',
    tempFileLimit: tempFileLimit(process.env['WAREHOUSE_EXECUTOR_TEMP_FILE_LIMIT']),
    hiddenColumns: hiddenPiiColumns(catalog),
  });
}

/** A PostgreSQL size (`512MB`, `8GB`); 1GB when unset. */
export function tempFileLimit(value: string | undefined): string {
  if (value === undefined || value === '') return '1GB';
  if (!/^[1-9]\d{0,9}(kB|MB|GB|TB)$/.test(value)) {
    throw new UsageError(
      `WAREHOUSE_EXECUTOR_TEMP_FILE_LIMIT must be a size such as 512MB or 8GB, got ${value}`,
    );
  }
  return value;
}

/** WAREHOUSE_EXECUTOR_URL, else the warehouse URL as the executor role (the local default password). */
export function executorUrl(env: NodeJS.ProcessEnv, warehouseUrl: string, role: string): string {
  const configured = env['WAREHOUSE_EXECUTOR_URL'];
  if (configured) return configured;
  const url = new URL(warehouseUrl);
  url.username = role;
  url.password = env['WAREHOUSE_EXECUTOR_PASSWORD'] ?? EXECUTOR_PASSWORD_DEFAULT;
  return url.toString();
}
