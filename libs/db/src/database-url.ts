import { Client } from 'pg';
import { loadDbConfig, type DbConfig } from './config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { quoteIdent } from './sql-text';

export interface DatabaseTarget {
  url: string;
  /** Human-readable place, without the password. */
  label: string;
  close(): Promise<void>;
}

/** Returns the URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Creates the database if it does not exist yet (connecting to the server's `postgres` database). */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database ${quoteIdent(database)}`);
  } catch (error) {
    // Two processes may race to create it; the loser sees a duplicate.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

/**
 * The warehouse database: `WAREHOUSE_URL` when set, else the `database` database inside the embedded
 * PostgreSQL (started, or reused if already running).
 */
export async function openWarehouse(options: {
  database?: string;
  config?: DbConfig;
  onProgress?: (message: string) => void;
}): Promise<DatabaseTarget> {
  const config = options.config ?? loadDbConfig();
  if (config.warehouseUrl) {
    return { url: config.warehouseUrl, label: redactUrl(config.warehouseUrl), close: async () => undefined };
  }
  const server = await startEmbeddedPostgres({
    dataDir: config.embeddedDataDir,
    port: config.embeddedPort,
    onProgress: options.onProgress,
  });
  const database = options.database ?? 'warehouse';
  await ensureDatabase(server.adminUrl, database);
  const url = withDatabase(server.adminUrl, database);
  return {
    url,
    label: `embedded ${redactUrl(url)} (data in ${config.embeddedDataDir})`,
    close: () => server.stop(),
  };
}
