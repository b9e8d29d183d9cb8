// The pipeline worker: serves the stage queues named in STAGES (one process per stage in production,
// e.g. `STAGES=sql node dist/apps/worker/main.js`), with the minimal strategy over one warehouse schema.
import { Client } from 'pg';
import { introspectCatalog } from '@t2s/catalog';
import { AppError, STAGES, type Stage } from '@t2s/contracts';
import { redactUrl } from '@t2s/db';
import { createMinimalStrategy } from '@t2s/pipeline';
import { startPipelineWorkers } from '@t2s/pipeline-runtime';
import { createRedisConnection } from '@t2s/queue';
import { openServiceStore } from '@t2s/service-store';
import { checkSql, loadSqlGuard, policyFromCatalog } from '@t2s/sql-guard';
import { SandboxExecutor } from '@t2s/sql-sandbox';
import { loadWorkerConfig, WorkerConfigError, type WorkerConfig } from './config';

// If closing hangs (a stuck connection), exit anyway rather than wait for the orchestrator's SIGKILL.
const SHUTDOWN_TIMEOUT_MS = 30_000;

function loadConfigOrExit(): WorkerConfig {
  try {
    return loadWorkerConfig();
  } catch (error) {
    if (!(error instanceof WorkerConfigError)) throw error;
    console.error(`worker: ${error.message}`);
    process.exit(78); // EX_CONFIG: a restart will not help until the environment is fixed.
  }
}

/** Introspected once: a schema change in the warehouse needs a worker restart, as the gateway's catalog does. */
async function loadCatalog(config: WorkerConfig) {
  const client = new Client({ connectionString: config.warehouseUrl });
  await client.connect();
  try {
    return await introspectCatalog(client, { schemas: [config.warehouseSchema] });
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = (message: string) => console.log(`worker: ${message}`);
  // Closed in reverse order on shutdown or on a failed start.
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((e: unknown) => console.error('worker:', e));
  };

  try {
    // The service database is migrated by whichever process starts first; safe with several at once.
    // SERVICE_DATABASE_URL was validated above; the store reads it (and its schema, pool) itself.
    const store = await openServiceStore({ onProgress: log });
    closers.push(() => store.close());
    log(`service store ${store.label} (schema ${store.schema})`);

    const catalog = await loadCatalog(config);
    log(
      `catalog of ${config.warehouseSchema} from ${redactUrl(config.warehouseUrl)}: ${catalog.tables.length} tables`,
    );
    await loadSqlGuard();
    const policy = policyFromCatalog(catalog);
    const sandbox = new SandboxExecutor({
      warehouseUrl: config.warehouseExecutorUrl,
      guard: (sql) => checkSql(sql, policy),
      statementTimeoutMs: config.sqlTimeoutMs,
      maxCost: config.sqlMaxCost,
      audit: store.sqlAudit,
      poolSize: Math.max(2, config.concurrency),
      onWarning: (message) => console.warn(`worker: ${message}`),
    });
    closers.push(() => sandbox.close());

    const connection = createRedisConnection(config.redisUrl, { forWorker: true });
    closers.push(() => connection.quit());

    const timeouts =
      config.stageTimeoutMs === undefined
        ? undefined
        : (Object.fromEntries(STAGES.map((s) => [s, config.stageTimeoutMs])) as Record<Stage, number>);
    const workers = startPipelineWorkers({
      stages: config.stages,
      connection,
      prefix: config.queuePrefix,
      concurrency: config.concurrency,
      timeouts,
      deps: {
        segments: store.segments,
        members: store.members,
        strategy: createMinimalStrategy(),
        catalogs: async (warehouse) => {
          if (warehouse === config.warehouseSchema) return catalog;
          throw new AppError(
            'SCHEMA_LINKING_FAILED',
            `This worker serves warehouse ${config.warehouseSchema} only`,
          );
        },
        sandbox,
        clock: () => new Date(),
      },
      onFinalFailure: (f) => log(`segment ${f.segmentId} failed at ${f.stage}: ${f.error.code}`),
    });
    // Workers first, so no job is running when the store and the sandbox go away.
    closers.push(() => workers.close());
    log(`serving ${config.stages.join(', ')} on ${redactUrl(config.redisUrl)} prefix ${config.queuePrefix}`);
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
  console.error('worker: failed to start', error);
  process.exit(1);
});
