import { z } from 'zod';
import { MAX_WEBHOOK_SECRET_ROLLOVER_SECONDS, QUEUE_NAMES } from '@t2s/contracts';
import { commaList, envVar, parseEnvironment, postgresUrl } from '@t2s/db';
import { MODEL_SOURCES, type ModelSource } from '@t2s/semantic';
import { allowedHostsEnvSchema, type AllowedHost } from '@t2s/webhooks';
import { API_KEY_CACHE_TTL_MS } from '../auth/cached-api-key.store';

const MIB = 1024 * 1024;

const gatewayEnvSchema = z.object({
  // 0 asks the OS for a free port (tests, local runs next to other services).
  PORT: envVar(z.coerce.number().int().min(0).max(65_535).default(3000)),
  HOST: envVar(z.string().min(1).default('127.0.0.1')),
  REDIS_URL: envVar(
    z
      .url({ protocol: /^rediss?$/, error: 'Must be a redis:// or rediss:// URL' })
      .default('redis://127.0.0.1:6379'),
  ),
  SERVICE_DATABASE_URL: envVar(postgresUrl.optional()),
  WAREHOUSE_URL: envVar(postgresUrl.optional()),
  // The executor role (SELECT only), for explain and portrait; unset: both answer 503 WAREHOUSE_UNAVAILABLE.
  WAREHOUSE_EXECUTOR_URL: envVar(postgresUrl.optional()),
  // Explain and portrait answer a person waiting on a page.
  INSIGHT_TIMEOUT_MS: envVar(z.coerce.number().int().min(100).max(600_000).default(10_000)),
  SQL_MAX_COST: envVar(z.coerce.number().positive().default(1e9)),
  T2S_MODEL: envVar(z.enum(MODEL_SOURCES).default('merged')),
  // The semantic model explain and portrait read the served warehouses with (config/warehouses/<name>);
  // default: each warehouse's own name. As the workers' WAREHOUSE_MODEL.
  WAREHOUSE_MODEL: envVar(
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Must be lower-case letters, digits and _')
      .optional(),
  ),
  BODY_LIMIT_BYTES: envVar(
    z.coerce
      .number()
      .int()
      .min(1_024)
      .max(64 * MIB)
      .default(MIB),
  ),
  // The warehouses (catalog schemas) segments may be built on; the first is what `options.warehouse` defaults to.
  WAREHOUSE_SCHEMAS: envVar(
    z
      .string()
      .default('bank')
      .transform(commaList)
      .pipe(
        z
          .array(z.string())
          .min(1, 'Must name at least one schema')
          .refine(
            (names) => names.every((name) => /^[a-z_][a-z0-9_]{0,62}$/.test(name)),
            'Must be a comma-separated list of lower-case schema names',
          ),
      ),
  ),
  // Braces make BullMQ keys one Redis Cluster hash slot; see BullMQ's "Redis Cluster" notes.
  QUEUE_PREFIX: envVar(z.string().min(1).max(64).default('{t2s}')),
  // Hosts (host or host:port) of the deployment's own webhook receivers, exempt from the internal-target
  // checks at POST; the webhook workers must be given the same list.
  WEBHOOK_ALLOWED_HOSTS: envVar(allowedHostsEnvSchema),
  // The master key sealing each API key's webhook secret (the webhook workers hold the same value).
  // Unset: POST /v1/webhook-secret/rotate answers 500 and the log says why.
  WEBHOOK_SECRET: envVar(z.string().min(16, 'Must be at least 16 characters').optional()),
  // How long a replaced webhook secret keeps signing after a rotation (the receivers' switch-over time).
  WEBHOOK_SECRET_ROLLOVER_SECONDS: envVar(
    z.coerce
      .number()
      .int()
      .min(0)
      .max(MAX_WEBHOOK_SECRET_ROLLOVER_SECONDS)
      .default(24 * 3600),
  ),
  // How long an accepted key is cached. Revocations are announced and dropped at once; this bounds a
  // revoked key's life only while a gateway cannot hear the announcements (Redis unreachable).
  API_KEY_CACHE_TTL_MS: envVar(z.coerce.number().int().min(0).max(3_600_000).default(API_KEY_CACHE_TTL_MS)),
  // The queues /readyz wants a live worker on (else it answers 200 `degraded`); `none` counts none.
  READY_WORKER_QUEUES: envVar(
    z
      .string()
      .default('criteria,linking,sql,execution,webhook')
      .transform((value) => (value.trim() === 'none' ? [] : commaList(value)))
      .pipe(
        z
          .array(z.string())
          .refine(
            (names) => names.every((name) => (QUEUE_NAMES as readonly string[]).includes(name)),
            `Must be a comma-separated list of queues (${QUEUE_NAMES.join(', ')}), or none`,
          ),
      ),
  ),
});

export interface GatewayConfig {
  port: number;
  host: string;
  redisUrl: string;
  serviceDatabaseUrl: string | undefined;
  warehouseUrl: string | undefined;
  warehouseSchemas: string[];
  warehouseExecutorUrl: string | undefined;
  insightTimeoutMs: number;
  sqlMaxCost: number;
  modelSource: ModelSource;
  warehouseModel: string | undefined;
  bodyLimitBytes: number;
  queuePrefix: string;
  /** Queues whose workers `/readyz` counts. */
  readyWorkerQueues: string[];
  /** How long an accepted API key is cached (the revocation bound while announcements are not heard). */
  apiKeyCacheTtlMs: number;
  webhookAllowedHosts: AllowedHost[];
  /** The master key of the webhook secrets; undefined: no secret can be issued here. */
  webhookSecret: string | undefined;
  webhookSecretRolloverMs: number;
}

/** A bad environment; the message names every offending variable so the operator can fix them all at once. */
export class GatewayConfigError extends Error {
  override readonly name = 'GatewayConfigError';
}

/** Parses the gateway's environment once, at start. */
export function loadGatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = parseEnvironment(gatewayEnvSchema, source);
  if (!parsed.ok) throw new GatewayConfigError(`Invalid environment: ${parsed.problems.join('; ')}`);
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    serviceDatabaseUrl: e.SERVICE_DATABASE_URL,
    warehouseUrl: e.WAREHOUSE_URL,
    warehouseSchemas: e.WAREHOUSE_SCHEMAS,
    warehouseExecutorUrl: e.WAREHOUSE_EXECUTOR_URL,
    insightTimeoutMs: e.INSIGHT_TIMEOUT_MS,
    sqlMaxCost: e.SQL_MAX_COST,
    modelSource: e.T2S_MODEL,
    warehouseModel: e.WAREHOUSE_MODEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    queuePrefix: e.QUEUE_PREFIX,
    readyWorkerQueues: e.READY_WORKER_QUEUES,
    apiKeyCacheTtlMs: e.API_KEY_CACHE_TTL_MS,
    webhookAllowedHosts: e.WEBHOOK_ALLOWED_HOSTS,
    webhookSecret: e.WEBHOOK_SECRET,
    webhookSecretRolloverMs: e.WEBHOOK_SECRET_ROLLOVER_SECONDS * 1000,
  };
}
