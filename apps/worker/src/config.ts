import { STAGES, isStage, type Stage } from '@t2s/contracts';
import { z } from 'zod';
import { commaList, envVar, parseEnvironment, postgresUrl } from '@t2s/db';
import type { ExecutionShares } from '@t2s/pipeline-runtime';
import { MODEL_SOURCES, type ModelSource } from '@t2s/semantic';
import { allowedHostsEnvSchema, type AllowedHost } from '@t2s/webhooks';

/** The queues a worker process can serve: the four pipeline stages and webhook delivery. */
export const WORKER_QUEUES = [...STAGES, 'webhook'] as const;
export type WorkerQueue = (typeof WORKER_QUEUES)[number];

const isWorkerQueue = (name: string): name is WorkerQueue => isStage(name) || name === 'webhook';

const milliseconds = (fallback: number) =>
  envVar(z.coerce.number().int().min(100).max(3_600_000).default(fallback));

const queueList = z
  .string()
  .transform(commaList)
  .pipe(
    z
      .array(z.string())
      .min(1, 'Must name at least one queue')
      .refine(
        (names) => names.every(isWorkerQueue),
        `Must be a comma-separated list of ${WORKER_QUEUES.join(', ')}`,
      ),
  );

const workerEnvSchema = z.object({
  // Zod 4 defaults are output values: the full list, not a string to parse.
  STAGES: envVar(queueList.default([...WORKER_QUEUES])),
  REDIS_URL: envVar(
    z
      .url({ protocol: /^rediss?$/, error: 'Must be a redis:// or rediss:// URL' })
      .default('redis://127.0.0.1:6379'),
  ),
  // Unset: the embedded PostgreSQL's `t2s` database, as @t2s/service-store decides (development only).
  SERVICE_DATABASE_URL: envVar(postgresUrl.optional()),
  // The catalog is introspected through this (owner) connection; SQL runs only as the executor role.
  // Both are needed by the pipeline stages only, not by a webhook-only worker.
  WAREHOUSE_URL: envVar(postgresUrl.optional()),
  WAREHOUSE_EXECUTOR_URL: envVar(postgresUrl.optional()),
  WAREHOUSE_SCHEMA: envVar(
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Must be lower-case letters, digits and _')
      .default('bank'),
  ),
  // The semantic model and offer rules to use (config/warehouses/<name>.annotations.json); default: the schema's name.
  WAREHOUSE_MODEL: envVar(
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Must be lower-case letters, digits and _')
      .optional(),
  ),
  // Which semantic model the baseline reads: the hand file merged over the catalog's bootstrap (default),
  // the hand file alone, or the bootstrap alone.
  T2S_MODEL: envVar(z.enum(MODEL_SOURCES).default('merged')),
  // Braces make BullMQ keys one Redis Cluster hash slot; must match the gateway's QUEUE_PREFIX.
  QUEUE_PREFIX: envVar(z.string().min(1).max(64).default('{t2s}')),
  // Unset: each stage's own default (DEFAULT_STAGE_TIMEOUTS_MS).
  STAGE_TIMEOUT_MS: envVar(z.coerce.number().int().min(100).max(3_600_000).optional()),
  // Generated SQL's statement timeout; a person's SQL (a SQL revision) has its own, shorter one: the
  // guard's cost estimate says little about what a person can write, and a query holds a slot while it runs.
  SQL_TIMEOUT_MS: milliseconds(60_000),
  PERSON_SQL_TIMEOUT_MS: milliseconds(15_000),
  SQL_MAX_COST: envVar(z.coerce.number().positive().default(1e9)),
  WORKER_CONCURRENCY: envVar(z.coerce.number().int().min(1).max(64).default(1)),
  // Execution jobs this process runs at once (its warehouse connections too); overrides WORKER_CONCURRENCY
  // for the execution queue, whose jobs mostly wait on the warehouse.
  EXECUTION_CONCURRENCY: envVar(z.coerce.number().int().min(1).max(64).default(4)),
  // Execution jobs of one API key running at once across every execution worker; 0: no limit. Unset:
  // EXECUTION_CONCURRENCY - 1 (at least 1), so with one execution worker another key always has a slot.
  EXECUTION_SLOTS_PER_KEY: envVar(z.coerce.number().int().min(0).max(1000).optional()),
  // Of those, batch items; unset: one less than EXECUTION_SLOTS_PER_KEY (at least 1), so a key's own
  // single segment is not stuck behind its batch.
  EXECUTION_BATCH_SLOTS_PER_KEY: envVar(z.coerce.number().int().min(1).max(1000).optional()),
  // How long a job's lock lasts without renewal: after a crash (SIGKILL, OOM) its job is handed to another
  // worker within about this long. BullMQ's default; tests shorten it.
  WORKER_LOCK_MS: milliseconds(30_000),
  // The master key that opens each API key's webhook signing secret (sealed in the service database);
  // never shared with receivers. Needed by the webhook queue only; the gateway holds the same value.
  WEBHOOK_SECRET: envVar(z.string().min(16, 'Must be at least 16 characters').optional()),
  // Hosts (host or host:port) the deployment's own receivers run on, exempt from the internal-target
  // checks; everything else that is or resolves to loopback, private, link-local... is refused.
  WEBHOOK_ALLOWED_HOSTS: envVar(allowedHostsEnvSchema),
  WEBHOOK_TIMEOUT_MS: milliseconds(10_000),
  // First retry delay of a failed delivery, doubling per attempt (DEFAULT_WEBHOOK_JOB_OPTIONS' 5 s).
  WEBHOOK_RETRY_DELAY_MS: milliseconds(5_000),
  // Where Prometheus scrapes this process (`GET /metrics`); unset: no metrics server. 0 takes a free port.
  METRICS_PORT: envVar(z.coerce.number().int().min(0).max(65_535).optional()),
});

export interface WorkerConfig {
  /** The pipeline stages this process serves (may be empty: a webhook-only worker). */
  stages: Stage[];
  webhooks: boolean;
  redisUrl: string;
  serviceDatabaseUrl: string | undefined;
  warehouseUrl: string | undefined;
  warehouseExecutorUrl: string | undefined;
  warehouseSchema: string;
  warehouseModel: string;
  modelSource: ModelSource;
  queuePrefix: string;
  stageTimeoutMs: number | undefined;
  sqlTimeoutMs: number;
  personSqlTimeoutMs: number;
  sqlMaxCost: number;
  concurrency: number;
  executionConcurrency: number;
  /** Per-API-key limits on running execution jobs; null: none (EXECUTION_SLOTS_PER_KEY=0). */
  executionShares: ExecutionShares | null;
  lockMs: number;
  webhookSecret: string | undefined;
  webhookAllowedHosts: AllowedHost[];
  webhookTimeoutMs: number;
  webhookRetryDelayMs: number;
  metricsPort: number | undefined;
}

/** A bad environment; the message names every offending variable so the operator can fix them all at once. */
export class WorkerConfigError extends Error {
  override readonly name = 'WorkerConfigError';
}

/** Parses the worker's environment once, at start. */
export function loadWorkerConfig(source: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = parseEnvironment(workerEnvSchema, source);
  const problems = parsed.ok ? [] : [...parsed.problems];
  const shares = parsed.ok ? executionShares(parsed.data) : null;
  if (parsed.ok) {
    const e = parsed.data;
    const pipeline = e.STAGES.some(isStage);
    if (pipeline && !e.WAREHOUSE_URL) problems.push('WAREHOUSE_URL: Required by the pipeline stages');
    if (pipeline && !e.WAREHOUSE_EXECUTOR_URL) {
      problems.push('WAREHOUSE_EXECUTOR_URL: Required by the pipeline stages');
    }
    if (e.STAGES.includes('webhook') && !e.WEBHOOK_SECRET) {
      problems.push('WEBHOOK_SECRET: Required when STAGES includes webhook');
    }
    if (shares && shares.batchSlotsPerKey > shares.slotsPerKey) {
      problems.push(
        `EXECUTION_BATCH_SLOTS_PER_KEY: Must not exceed EXECUTION_SLOTS_PER_KEY (${shares.slotsPerKey})`,
      );
    }
  }
  if (!parsed.ok || problems.length > 0) {
    throw new WorkerConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    stages: e.STAGES.filter(isStage),
    webhooks: e.STAGES.includes('webhook'),
    redisUrl: e.REDIS_URL,
    serviceDatabaseUrl: e.SERVICE_DATABASE_URL,
    warehouseUrl: e.WAREHOUSE_URL,
    warehouseExecutorUrl: e.WAREHOUSE_EXECUTOR_URL,
    warehouseSchema: e.WAREHOUSE_SCHEMA,
    warehouseModel: e.WAREHOUSE_MODEL ?? e.WAREHOUSE_SCHEMA,
    modelSource: e.T2S_MODEL,
    queuePrefix: e.QUEUE_PREFIX,
    stageTimeoutMs: e.STAGE_TIMEOUT_MS,
    sqlTimeoutMs: e.SQL_TIMEOUT_MS,
    personSqlTimeoutMs: e.PERSON_SQL_TIMEOUT_MS,
    sqlMaxCost: e.SQL_MAX_COST,
    concurrency: e.WORKER_CONCURRENCY,
    executionConcurrency: e.EXECUTION_CONCURRENCY,
    executionShares: shares,
    lockMs: e.WORKER_LOCK_MS,
    webhookSecret: e.WEBHOOK_SECRET,
    webhookAllowedHosts: e.WEBHOOK_ALLOWED_HOSTS,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    webhookRetryDelayMs: e.WEBHOOK_RETRY_DELAY_MS,
    metricsPort: e.METRICS_PORT,
  };
}

/** The per-key execution limits with their defaults (see the variables above); null when switched off. */
function executionShares(e: {
  EXECUTION_CONCURRENCY: number;
  EXECUTION_SLOTS_PER_KEY?: number | undefined;
  EXECUTION_BATCH_SLOTS_PER_KEY?: number | undefined;
}): WorkerConfig['executionShares'] {
  const slotsPerKey = e.EXECUTION_SLOTS_PER_KEY ?? Math.max(1, e.EXECUTION_CONCURRENCY - 1);
  if (slotsPerKey === 0) return null;
  return { slotsPerKey, batchSlotsPerKey: e.EXECUTION_BATCH_SLOTS_PER_KEY ?? Math.max(1, slotsPerKey - 1) };
}
