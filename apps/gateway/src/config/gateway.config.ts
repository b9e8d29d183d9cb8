import { z } from 'zod';

const MIB = 1024 * 1024;

// Compose files often pass `WAREHOUSE_URL=` for "not set"; an empty value means the default, not an error.
const unsetIfEmpty = (value: unknown): unknown => (value === '' ? undefined : value);
const env = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema);
const postgresUrl = z.url({ protocol: /^postgres(ql)?$/, error: 'Must be a postgres:// URL' });

const gatewayEnvSchema = z.object({
  // 0 asks the OS for a free port (tests, local runs next to other services).
  PORT: env(z.coerce.number().int().min(0).max(65_535).default(3000)),
  HOST: env(z.string().min(1).default('127.0.0.1')),
  REDIS_URL: env(
    z
      .url({ protocol: /^rediss?$/, error: 'Must be a redis:// or rediss:// URL' })
      .default('redis://127.0.0.1:6379'),
  ),
  SERVICE_DATABASE_URL: env(postgresUrl.optional()),
  WAREHOUSE_URL: env(postgresUrl.optional()),
  BODY_LIMIT_BYTES: env(
    z.coerce
      .number()
      .int()
      .min(1_024)
      .max(64 * MIB)
      .default(MIB),
  ),
  // Braces make BullMQ keys one Redis Cluster hash slot; see BullMQ's "Redis Cluster" notes.
  QUEUE_PREFIX: env(z.string().min(1).max(64).default('{t2s}')),
});

export interface GatewayConfig {
  port: number;
  host: string;
  redisUrl: string;
  serviceDatabaseUrl: string | undefined;
  warehouseUrl: string | undefined;
  bodyLimitBytes: number;
  queuePrefix: string;
}

/** A bad environment; the message names every offending variable so the operator can fix them all at once. */
export class GatewayConfigError extends Error {
  override readonly name = 'GatewayConfigError';
}

/** Parses the gateway's environment once, at start. */
export function loadGatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = gatewayEnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new GatewayConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    serviceDatabaseUrl: e.SERVICE_DATABASE_URL,
    warehouseUrl: e.WAREHOUSE_URL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    queuePrefix: e.QUEUE_PREFIX,
  };
}
