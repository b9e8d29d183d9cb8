// The worker: serves the queues named in STAGES (one process per queue in production, e.g.
// `STAGES=sql node --import tsx apps/worker/src/main.ts`): pipeline stages with the offline baseline strategy over
// one warehouse schema, and webhook delivery.
import { Pool } from 'pg';
import { createBaselineStrategy, findOfferRules, readReferences } from '@t2s/baseline';
import { createCatalogCache, type Catalog } from '@t2s/catalog';
import { AppError, STAGES, type Stage } from '@t2s/contracts';
import { redactUrl } from '@t2s/db';
import { createLlmStrategy, DEFAULT_RUN_BUDGET, llmBackendFromEnv, type ExampleSource } from '@t2s/llm';
import type { StageDeps } from '@t2s/pipeline';
import { startPipelineWorkers } from '@t2s/pipeline-runtime';
import { LlmCallStore, PooledLlmBackend } from '@t2s/inference-pool';
import { PipelineMetrics, serveMetrics, SqlMetrics, WebhookMetrics } from '@t2s/metrics';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createRedisConnection, queuePrefix } from '@t2s/queue';
import { openServiceStore, type ServiceStore } from '@t2s/service-store';
import { catalogGuards, loadSqlGuard } from '@t2s/sql-guard';
import { CriteriaCompiler, PortraitBuilder } from '@t2s/semantic';
import { SandboxExecutor } from '@t2s/sql-sandbox';
import { PrecedentSource } from '@t2s/segment-service';
import {
  createWebhookQueue,
  notifySegmentFinished,
  startWebhookWorker,
  WebhookSecretCipher,
  WebhookSecretVault,
  WebhookTargetPolicy,
} from '@t2s/webhooks';
import type { RedisConnection } from '@t2s/queue';
import { createLogger, startTracing } from '@t2s/telemetry';
import { loadWorkerConfig, WorkerConfigError, type WorkerConfig } from './config';

// If closing hangs (a stuck connection), exit anyway rather than wait for the orchestrator's SIGKILL.
const SHUTDOWN_TIMEOUT_MS = 30_000;

type Closer = () => Promise<unknown>;
/** `worker:criteria`, `worker:webhook`... as the stage dashboards and traces name the process. */
const SERVICE = `worker:${(process.env['STAGES'] ?? 'all').replaceAll(' ', '')}`;
const logger = createLogger({ service: SERVICE });
const log = (message: string) => logger.info(message);

function loadConfigOrExit(): WorkerConfig {
  try {
    return loadWorkerConfig();
  } catch (error) {
    if (!(error instanceof WorkerConfigError)) throw error;
    logger.fatal({ code: 'INVALID_ENVIRONMENT' }, error.message);
    process.exit(78); // EX_CONFIG: a restart will not help until the environment is fixed.
  }
}

/**
 * The LLM strategy, when the environment configures a model (LLM_VIA_POOL=1 for the inference pool,
 * else LLM_BASE_URL, GIGACHAT_CREDENTIALS or LLM_CASSETTES); segments that ask for it without one fail
 * with STRATEGY_UNAVAILABLE. LLM_RUN_BUDGET
 * caps a run's tokens (default 200,000).
 */
function llmStrategies(
  baseline: ReturnType<typeof createBaselineStrategy>,
  pool: LlmCallStore,
  examples: ExampleSource,
) {
  // LLM_VIA_POOL=1: calls go to the inference pool as child jobs (the stage waits without a slot).
  const backend =
    process.env['LLM_VIA_POOL'] === '1'
      ? new PooledLlmBackend(pool, process.env['LLM_MODEL'] ?? 'pool')
      : llmBackendFromEnv(process.env);
  if ('error' in backend) {
    log(`llm strategy off: ${backend.error}`);
    return {};
  }
  log(`llm strategy: ${backend.name} ${backend.model}`);
  const budget = Number(process.env['LLM_RUN_BUDGET'] ?? DEFAULT_RUN_BUDGET);
  if (!Number.isInteger(budget) || budget <= 0) {
    logger.fatal({ code: 'INVALID_ENVIRONMENT' }, 'LLM_RUN_BUDGET must be a positive integer');
    process.exit(78);
  }
  return {
    // Approved segments on the warehouse are the SQL agent's few-shot examples.
    llm: createLlmStrategy({ backend, baseline, budget, examples }),
  };
}

/**
 * The execution stage counts each segment's side of its portrait with the model the baseline compiles
 * with; without one (a catalog with no client entity and no hand file) it counts none.
 */
function portraitCounter(
  config: WorkerConfig,
  baseline: ReturnType<typeof createBaselineStrategy>,
  catalog: Catalog,
): StageDeps['portrait'] {
  let builder: PortraitBuilder;
  try {
    const model = baseline.modelFor(catalog);
    builder = new PortraitBuilder(model, new CriteriaCompiler(model));
  } catch {
    return undefined;
  }
  return (warehouse, sql) => {
    if (warehouse !== config.warehouseSchema)
      throw new Error(`This worker serves ${config.warehouseSchema} only`);
    return builder.counts(sql);
  };
}

/** The pipeline stages: catalog, guard, sandbox, stage workers; a finished run notifies its webhook. */
async function startPipeline(
  config: WorkerConfig,
  store: ServiceStore,
  connection: RedisConnection,
  registry: Registry,
  closers: Closer[],
): Promise<void> {
  const warehouseUrl = config.warehouseUrl as string;
  const catalogPool = new Pool({ connectionString: warehouseUrl, max: 1 });
  catalogPool.on('error', () => undefined);
  closers.push(() => catalogPool.end());
  const catalogs = createCatalogCache({
    pool: catalogPool,
    schemas: [config.warehouseSchema],
    onWarning: (message) => logger.warn(message),
  });
  // Read once at start: a worker that cannot see its warehouse should fail now, not on the first job.
  const catalog = await catalogs(config.warehouseSchema);
  log(
    `catalog of ${config.warehouseSchema} from ${redactUrl(warehouseUrl)}: ${catalog.tables.length} tables`,
  );
  await loadSqlGuard();
  // A person's SQL (a SQL revision) is held to the person policy (recursion with a visible depth limit
  // only) and PERSON_SQL_TIMEOUT_MS; generated SQL to the generated policy and SQL_TIMEOUT_MS; the
  // funnel's count to a policy of any output shape.
  const guards = catalogGuards(catalog);
  // What the offer rules' lookups read (a product's age limits), shown in the criteria as numbers.
  const references = await readReferences(
    (sql) => catalogPool.query(sql),
    catalog,
    findOfferRules(config.warehouseModel),
  );
  const baseline = createBaselineStrategy({
    modelName: config.warehouseModel,
    modelSource: config.modelSource,
    references: () => references,
  });
  const sandbox = new SandboxExecutor({
    warehouseUrl: config.warehouseExecutorUrl as string,
    guard: guards.generated,
    statementTimeoutMs: config.sqlTimeoutMs,
    person: { guard: guards.person, statementTimeoutMs: config.personSqlTimeoutMs },
    counts: guards.counts,
    maxCost: config.sqlMaxCost,
    // Every SQL text the sandbox handles is audited; the metrics read the same entries.
    audit: new SqlMetrics(registry).auditing(store.sqlAudit),
    // One connection per execution job at once (its report date, counted pass and portrait run in turn).
    poolSize: Math.max(2, config.executionConcurrency),
    onWarning: (message) => logger.warn(message),
  });
  closers.push(() => sandbox.close());

  // The producer sets a job's retry schedule, so the webhook backoff is configured here, where events are made.
  const webhookQueue = createWebhookQueue(connection, {
    prefix: config.queuePrefix,
    defaultJobOptions: { backoff: { type: 'exponential', delay: config.webhookRetryDelayMs } },
  });
  closers.push(() => webhookQueue.close());
  const timeouts =
    config.stageTimeoutMs === undefined
      ? undefined
      : (Object.fromEntries(STAGES.map((s) => [s, config.stageTimeoutMs])) as Record<Stage, number>);
  const strategies = llmStrategies(
    baseline,
    new LlmCallStore(connection, queuePrefix(config.queuePrefix)),
    store.approvals,
  );
  await strategies.llm?.prepare(catalog);
  const metrics = new PipelineMetrics(registry);
  const portrait = portraitCounter(config, baseline, catalog);
  const servedCatalog = async (warehouse: string) => {
    if (warehouse === config.warehouseSchema) return catalogs(warehouse);
    throw new AppError(
      'SCHEMA_LINKING_FAILED',
      `This worker serves warehouse ${config.warehouseSchema} only`,
    );
  };
  // The warehouse's past campaigns for the criteria stage, listed at most once a minute; an approval's
  // SQL is read into criteria (with the model the baseline compiles with) by the first worker to list it.
  const precedents = new PrecedentSource({
    store: store.precedents,
    model: async (warehouse) => baseline.modelFor(await servedCatalog(warehouse)),
    onWarning: (message) => logger.warn(message),
  });
  const workers = startPipelineWorkers({
    stages: config.stages,
    connection,
    prefix: config.queuePrefix,
    concurrency: config.concurrency,
    stageConcurrency: { execution: config.executionConcurrency },
    ...(config.executionShares ? { executionShares: config.executionShares } : {}),
    onDeferred: (stage, limit) => metrics.jobDeferred(stage, limit),
    lockDurationMs: config.lockMs,
    timeouts,
    deps: {
      segments: store.segments,
      members: store.members,
      strategy: baseline,
      strategies,
      // Criteria given as structure are read with the model the baseline compiles with.
      semanticModel: (catalog) => baseline.modelFor(catalog),
      catalogs: servedCatalog,
      precedents: precedents.precedents,
      sandbox,
      clock: () => new Date(),
      observer: metrics,
      ...(portrait ? { portrait } : {}),
    },
    onJobStarted: (stage, waitedMs) => metrics.jobStarted(stage, waitedMs / 1000),
    logger,
    onError: (error) => logger.error({ err: error }, 'queue worker error'),
    onFinalFailure: (f) =>
      logger.warn(
        { segmentId: f.segmentId, stage: f.stage, code: f.error.code },
        `segment ${f.segmentId} failed at ${f.stage}: ${f.error.code}`,
      ),
    onRunFinished: (run) =>
      notifySegmentFinished({ segments: store.segments, webhooks: store.webhooks, queue: webhookQueue }, run),
  });
  if (config.stages.includes('execution')) {
    const shares = config.executionShares;
    log(
      `execution: ${config.executionConcurrency} at once, ` +
        (shares
          ? `at most ${shares.slotsPerKey} per API key (${shares.batchSlotsPerKey} for its batch items)`
          : 'no per-key limit') +
        `; SQL timeout ${config.sqlTimeoutMs} ms, a person's ${config.personSqlTimeoutMs} ms`,
    );
  }
  // Workers close before the sandbox and the queue they use (closers run in reverse).
  closers.push(() => workers.close());
}

function startWebhooks(
  config: WorkerConfig,
  store: ServiceStore,
  connection: RedisConnection,
  registry: Registry,
  closers: Closer[],
): void {
  const metrics = new WebhookMetrics(registry);
  const worker = startWebhookWorker({
    connection,
    prefix: config.queuePrefix,
    webhooks: store.webhooks,
    // Each event is signed with its API key's secrets, opened with the deployment's master key.
    secrets: new WebhookSecretVault(
      store.webhookSecrets,
      new WebhookSecretCipher(config.webhookSecret as string),
    ),
    targets: new WebhookTargetPolicy(config.webhookAllowedHosts),
    timeoutMs: config.webhookTimeoutMs,
    lockDurationMs: config.lockMs,
    onAttempt: (report) => metrics.attempted(report),
    onError: (error) => logger.error({ err: error }, 'webhook worker error'),
    onGaveUp: (report) => {
      metrics.givenUp();
      logger.warn(
        { eventId: report.eventId, attempts: report.attempts },
        `webhook event ${report.eventId} given up after ${report.attempts}: ${report.reason}`,
      );
    },
  });
  closers.push(() => worker.close());
}

async function main(): Promise<void> {
  // First: the queues and workers created below carry trace context only when tracing is on before them.
  const tracing = startTracing({ serviceName: SERVICE });
  const config = loadConfigOrExit();
  // Closed in reverse order on shutdown or on a failed start; the traces' exporter last of all.
  const closers: Closer[] = [() => tracing.shutdown()];
  const closeAll = async () => {
    for (const close of closers.reverse())
      await close().catch((error: unknown) => logger.error({ err: error }, 'closing'));
  };

  try {
    // The service database is migrated by whichever process starts first; safe with several at once.
    const store = await openServiceStore({ onProgress: log });
    closers.push(() => store.close());
    log(`service store ${store.label} (schema ${store.schema})`);
    const connection = createRedisConnection(config.redisUrl, {
      forWorker: true,
      connectionName: 't2s-worker',
    });
    closers.push(() => connection.quit());

    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    if (config.stages.length > 0) await startPipeline(config, store, connection, registry, closers);
    if (config.webhooks) startWebhooks(config, store, connection, registry, closers);
    if (config.metricsPort !== undefined) {
      const server = await serveMetrics(registry, config.metricsPort);
      closers.push(() => server.close());
      log(`metrics on :${server.port}/metrics`);
    }
    const queues = [...config.stages, ...(config.webhooks ? ['webhook'] : [])];
    log(`serving ${queues.join(', ')} on ${redactUrl(config.redisUrl)} prefix ${config.queuePrefix}`);
  } catch (error) {
    await closeAll();
    throw error;
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log(`${signal}: closing`);
      setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref();
      void closeAll().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
