import { STAGES, isStage, type Stage } from '@t2s/contracts';
import { z } from 'zod';
import { envVar, parseEnvironment, postgresUrl } from '@t2s/db';

const milliseconds = (fallback: number) =>
  envVar(z.coerce.number().int().min(100).max(3_600_000).default(fallback));

const stageList = z
  .string()
  .transform((value) => [
    ...new Set(
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(
    z
      .array(z.string())
      .min(1, 'Must name at least one stage')
      .refine((names) => names.every(isStage), `Must be a comma-separated list of ${STAGES.join(', ')}`),
  );

const workerEnvSchema = z.object({
  // Zod 4 defaults are output values: the full list, not a string to parse.
  STAGES: envVar(stageList.default([...STAGES])),
  REDIS_URL: envVar(
    z
      .url({ protocol: /^rediss?$/, error: 'Must be a redis:// or rediss:// URL' })
      .default('redis://127.0.0.1:6379'),
  ),
  // Unset: the embedded PostgreSQL's `t2s` database, as @t2s/service-store decides (development only).
  SERVICE_DATABASE_URL: envVar(postgresUrl.optional()),
  // The catalog is introspected through this (owner) connection; SQL runs only as the executor role.
  WAREHOUSE_URL: envVar(postgresUrl),
  WAREHOUSE_EXECUTOR_URL: envVar(postgresUrl),
  WAREHOUSE_SCHEMA: envVar(
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Must be lower-case letters, digits and _')
      .default('bank'),
  ),
  // Braces make BullMQ keys one Redis Cluster hash slot; must match the gateway's QUEUE_PREFIX.
  QUEUE_PREFIX: envVar(z.string().min(1).max(64).default('{t2s}')),
  // Unset: each stage's own default (DEFAULT_STAGE_TIMEOUTS_MS).
  STAGE_TIMEOUT_MS: envVar(z.coerce.number().int().min(100).max(3_600_000).optional()),
  SQL_TIMEOUT_MS: milliseconds(60_000),
  SQL_MAX_COST: envVar(z.coerce.number().positive().default(1e9)),
  WORKER_CONCURRENCY: envVar(z.coerce.number().int().min(1).max(64).default(1)),
});

export interface WorkerConfig {
  stages: Stage[];
  redisUrl: string;
  serviceDatabaseUrl: string | undefined;
  warehouseUrl: string;
  warehouseExecutorUrl: string;
  warehouseSchema: string;
  queuePrefix: string;
  stageTimeoutMs: number | undefined;
  sqlTimeoutMs: number;
  sqlMaxCost: number;
  concurrency: number;
}

/** A bad environment; the message names every offending variable so the operator can fix them all at once. */
export class WorkerConfigError extends Error {
  override readonly name = 'WorkerConfigError';
}

/** Parses the worker's environment once, at start. */
export function loadWorkerConfig(source: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = parseEnvironment(workerEnvSchema, source);
  if (!parsed.ok) throw new WorkerConfigError(`Invalid environment: ${parsed.problems.join('; ')}`);
  const e = parsed.data;
  return {
    // The refine above checked every name; the cast only tells the compiler.
    stages: e.STAGES as Stage[],
    redisUrl: e.REDIS_URL,
    serviceDatabaseUrl: e.SERVICE_DATABASE_URL,
    warehouseUrl: e.WAREHOUSE_URL,
    warehouseExecutorUrl: e.WAREHOUSE_EXECUTOR_URL,
    warehouseSchema: e.WAREHOUSE_SCHEMA,
    queuePrefix: e.QUEUE_PREFIX,
    stageTimeoutMs: e.STAGE_TIMEOUT_MS,
    sqlTimeoutMs: e.SQL_TIMEOUT_MS,
    sqlMaxCost: e.SQL_MAX_COST,
    concurrency: e.WORKER_CONCURRENCY,
  };
}
