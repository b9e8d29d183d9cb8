import { z } from 'zod';
import {
  envVar,
  loadDbConfig,
  openWarehouse,
  parseEnvironment,
  redactUrl,
  type DatabaseTarget,
} from '@t2s/db';

const storeEnvSchema = z.object({
  SERVICE_DATABASE_URL: envVar(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  SERVICE_DATABASE_SCHEMA: envVar(
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be lower-case letters, digits and _')
      .default('t2s'),
  ),
  SERVICE_DATABASE_POOL_MAX: envVar(z.coerce.number().int().min(1).max(200).default(10)),
});

export interface StoreConfig {
  /** The service database; undefined: the `t2s` database of the embedded PostgreSQL. */
  databaseUrl: string | undefined;
  /** Schema holding the service's tables (tests use their own). */
  schema: string;
  poolMax: number;
}

/**
 * The service database settings, parsed once; a bad value names its variable.
 * - `SERVICE_DATABASE_URL`: PostgreSQL URL of the service's own database. Unset: the `t2s` database
 *   of the embedded PostgreSQL that also holds the demo warehouse (a separate database on that server).
 * - `SERVICE_DATABASE_SCHEMA` (default `t2s`): the schema of the service's tables.
 * - `SERVICE_DATABASE_POOL_MAX` (default 10): connections per process.
 */
export function loadStoreConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const parsed = parseEnvironment(storeEnvSchema, env);
  if (!parsed.ok) throw new Error(`invalid environment variable ${parsed.problems[0]}`);
  return {
    databaseUrl: parsed.data.SERVICE_DATABASE_URL,
    schema: parsed.data.SERVICE_DATABASE_SCHEMA,
    poolMax: parsed.data.SERVICE_DATABASE_POOL_MAX,
  };
}

/**
 * Where the service database is. Without SERVICE_DATABASE_URL, `openWarehouse` (generic despite its
 * name) starts or reuses the embedded server and creates its `t2s` database. WAREHOUSE_URL is ignored
 * for this on purpose: when the warehouse is external, service state must still never be written into it.
 */
export async function openServiceDatabase(
  config: StoreConfig,
  options: { env?: NodeJS.ProcessEnv; onProgress?: (message: string) => void } = {},
): Promise<DatabaseTarget> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, label: redactUrl(config.databaseUrl), close: async () => undefined };
  }
  return openWarehouse({
    database: 't2s',
    config: { ...loadDbConfig(options.env), warehouseUrl: undefined },
    onProgress: options.onProgress,
  });
}
