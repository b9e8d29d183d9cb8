import { resolve } from 'node:path';
import { z } from 'zod';
import { parseEnvironment } from './env-config';

/**
 * Where the embedded PostgreSQL keeps its data when no database URL is set. Relative to the current
 * directory, so `npm run t2s` from the repository root uses `<repo>/.t2s/pg`.
 */
const dbEnvSchema = z.object({
  WAREHOUSE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  T2S_HOME: z.string().min(1).default('.t2s'),
  T2S_EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
});

export interface DbConfig {
  warehouseUrl: string | undefined;
  embeddedDataDir: string;
  embeddedPort: number;
}

/** Parses the database settings from the environment once; a bad value names its variable. */
export function loadDbConfig(env: NodeJS.ProcessEnv = process.env): DbConfig {
  const parsed = parseEnvironment(dbEnvSchema, env);
  if (!parsed.ok) throw new Error(`invalid environment variable ${parsed.problems[0]}`);
  return {
    warehouseUrl: parsed.data.WAREHOUSE_URL,
    embeddedDataDir: resolve(parsed.data.T2S_HOME, 'pg'),
    embeddedPort: parsed.data.T2S_EMBEDDED_PG_PORT,
  };
}
