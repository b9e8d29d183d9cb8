import { Pool } from 'pg';
import { createLogger, startTracing, type Logger as Pino } from '@t2s/telemetry';
import { createCatalogCache } from '@t2s/catalog';
import { registerQueueMetrics } from '@t2s/metrics';
import {
  ApiKeyRevocationListener,
  apiKeyRevokedChannel,
  createRedisConnection,
  type RedisConnection,
} from '@t2s/queue';
import { WebhookSecretCipher, WebhookSecretVault, WebhookTargetPolicy } from '@t2s/webhooks';
import type { Registry } from 'prom-client';
import {
  BatchService,
  ConversionService,
  InsightWarehouses,
  noInsightWarehouses,
  RunDiffService,
  SegmentInsights,
  SegmentService,
  WarehouseModels,
} from '@t2s/segment-service';
import { findOutcomesSpec } from '@t2s/semantic';
import { openServiceStore, type ServiceStore } from '@t2s/service-store';
import type { ApiKeyVerifier } from './auth/api-key-store';
import { CachedApiKeyStore } from './auth/cached-api-key.store';
import { RejectingApiKeyStore } from './auth/rejecting-api-key.store';
import { createGatewayApp } from './bootstrap';
import { GatewayConfigError, loadGatewayConfig, type GatewayConfig } from './config/gateway.config';
import { GatewayQueues, type GatewayQueuesOptions } from './queues/gateway-queues.module';
import { unconfiguredServices, type GatewayServices } from './segments/gateway-services';
import { SegmentViewCache } from './segments/segment-view-cache';

// If closing hangs (a stuck connection), exit anyway rather than wait for the orchestrator's SIGKILL.
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** What the start-up code logs through: the process's pino logger, with Nest's two method names. */
interface Logger {
  log(message: string): void;
  warn(message: string): void;
}

function loadConfigOrExit(log: Pino): GatewayConfig {
  try {
    return loadGatewayConfig();
  } catch (error) {
    if (!(error instanceof GatewayConfigError)) throw error;
    log.fatal({ code: 'INVALID_ENVIRONMENT' }, error.message);
    process.exit(78); // EX_CONFIG: a restart will not help until the environment is fixed.
  }
}

interface OpenedServices {
  apiKeyStore: ApiKeyVerifier;
  services: GatewayServices;
  /** The queues, made by Nest (GatewayQueuesModule): runs start on them, bull-board shows them. */
  queues?: GatewayQueuesOptions;
  /** Jobs by queue and state, Redis memory: reported by the gateway for the whole service. */
  registerMetrics?: (registry: Registry) => void;
  close: () => Promise<void>;
}

/**
 * The service store (migrated on start; safe with several replicas), the stage queues and the warehouse
 * catalogs. Without SERVICE_DATABASE_URL the gateway does not start an embedded PostgreSQL behind an
 * operator's back: it refuses every key and says so.
 */
async function openServices(config: GatewayConfig, logger: Logger): Promise<OpenedServices> {
  if (!config.serviceDatabaseUrl) {
    logger.warn('SERVICE_DATABASE_URL is not set: no API key store, every /v1 request is answered 401');
    return {
      apiKeyStore: new RejectingApiKeyStore(),
      services: unconfiguredServices(),
      close: async () => undefined,
    };
  }
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch((e: unknown) => logger.warn(String(e)));
  };
  try {
    const store = await openServiceStore({ onProgress: (message) => logger.log(message) });
    closers.push(() => store.close());
    logger.log(`service store ${store.label} (schema ${store.schema})`);

    const redis = createRedisConnection(config.redisUrl, { connectionName: 't2s-gateway' });
    // Without a listener ioredis prints every failed reconnect; /readyz reports the outage instead.
    redis.on('error', () => undefined);
    closers.push(() => redis.quit().catch(() => redis.disconnect()));
    // Made and closed by Nest (GatewayQueuesModule, @nestjs/bullmq) over this connection.
    const queues = new GatewayQueues();

    const catalogs = openCatalogs(config, closers, logger);
    // Without a warehouse the gateway cannot know which exist: the workers then refuse unknown ones.
    const servedWarehouses = config.warehouseUrl ? config.warehouseSchemas : [];
    const webhookTargets = new WebhookTargetPolicy(config.webhookAllowedHosts);
    const models = new WarehouseModels({
      catalogs,
      modelSource: config.modelSource,
      ...(config.warehouseModel ? { modelName: config.warehouseModel } : {}),
    });
    const segments = new SegmentService({
      segments: store.segments,
      members: store.members,
      idempotency: store.idempotency,
      approvals: store.approvals,
      list: store.segmentList,
      startRun: (run) => queues.startRun(run),
      warehouses: servedWarehouses,
      // Internal targets are refused before anything is stored (the webhook worker checks again).
      webhookRefusal: (url) => webhookTargets.refusalOfUrl(url),
      // Criteria as structure are checked against the semantic model before anything is stored.
      models,
    });
    const batches = new BatchService({ segments, batches: store.batches, idempotency: store.idempotency });
    const diffs = new RunDiffService({ segments, diffs: store.diffs });
    const { insights, warehouses: insightWarehouses } = openInsights(
      config,
      catalogs,
      store,
      segments,
      closers,
      logger,
    );
    const conversion = new ConversionService({
      segments,
      records: store.segments,
      members: store.members,
      outcomes: store.outcomes,
      warehouse: (name) => insightWarehouses.warehouse(name),
      outcomesSpec: (name) => findOutcomesSpec(config.warehouseModel ?? name),
    });
    const apiKeys = new CachedApiKeyStore(store.apiKeys, config.apiKeyCacheTtlMs);
    listenForRevocations(config, redis, apiKeys, closers, logger);
    return {
      apiKeyStore: apiKeys,
      services: {
        segments,
        segmentViews: new SegmentViewCache(store.segments),
        batches,
        diffs,
        insights,
        conversion,
        catalogs,
        models,
        warehouses: servedWarehouses,
        webhookSecrets: webhookSecretVault(config, store, logger),
      },
      queues: { connection: redis, prefix: config.queuePrefix, queues },
      registerMetrics: (registry) => registerQueueMetrics(registry, queues.all, redis),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Explain and portrait: a sandbox per warehouse as the executor role, audited like the workers' SQL. */
function openInsights(
  config: GatewayConfig,
  catalogs: GatewayServices['catalogs'],
  store: ServiceStore,
  segments: SegmentService,
  closers: (() => Promise<unknown>)[],
  logger: Logger,
): { insights: SegmentInsights; warehouses: Pick<InsightWarehouses, 'warehouse'> } {
  let warehouses: Pick<InsightWarehouses, 'warehouse' | 'close'>;
  if (config.warehouseUrl && config.warehouseExecutorUrl) {
    warehouses = new InsightWarehouses({
      catalogs,
      executorUrl: config.warehouseExecutorUrl,
      audit: store.sqlAudit,
      statementTimeoutMs: config.insightTimeoutMs,
      maxCost: config.sqlMaxCost,
      modelSource: config.modelSource,
      ...(config.warehouseModel ? { modelName: config.warehouseModel } : {}),
      onWarning: (message) => logger.warn(message),
    });
  } else {
    const reason =
      'The gateway has no warehouse executor (WAREHOUSE_URL and WAREHOUSE_EXECUTOR_URL must be set)';
    logger.warn(`${reason}: explain and portrait answer 503`);
    warehouses = noInsightWarehouses(reason);
  }
  closers.push(() => warehouses.close());
  const insights = new SegmentInsights({
    segment: (caller, id) => segments.require(caller, id),
    warehouse: (name) => warehouses.warehouse(name),
  });
  // The whole base's side of each portrait, counted now so that no marketer waits for it.
  if (config.warehouseUrl && config.warehouseExecutorUrl) {
    for (const warehouse of config.warehouseSchemas) {
      insights.warm(warehouse).then(
        () => logger.log(`portrait of the whole base of ${warehouse} counted`),
        (error: unknown) => logger.warn(`portrait of the whole base of ${warehouse}: ${String(error)}`),
      );
    }
  }
  return { insights, warehouses };
}

/** Issues and rotates API keys' webhook secrets, sealed with WEBHOOK_SECRET (which the webhook workers share). */
function webhookSecretVault(
  config: GatewayConfig,
  store: ServiceStore,
  logger: Logger,
): GatewayServices['webhookSecrets'] {
  if (!config.webhookSecret) {
    logger.warn('WEBHOOK_SECRET is not set: POST /v1/webhook-secret/rotate answers 500');
    return unconfiguredServices().webhookSecrets;
  }
  return new WebhookSecretVault(store.webhookSecrets, new WebhookSecretCipher(config.webhookSecret), {
    rolloverMs: config.webhookSecretRolloverMs,
  });
}

/**
 * Accepted keys are cached; `t2s apikey revoke` announces a revoked key on Redis and every gateway drops
 * it at once. While this subscription is down (Redis unreachable), a revoked key keeps working until its
 * cache entry expires, API_KEY_CACHE_TTL_MS (10 s) at most; when it is back, the whole cache is dropped.
 */
function listenForRevocations(
  config: GatewayConfig,
  publisher: RedisConnection,
  apiKeys: CachedApiKeyStore,
  closers: (() => Promise<unknown>)[],
  logger: Logger,
): void {
  const subscriber = createRedisConnection(
    config.redisUrl,
    { connectionName: 't2s-gateway-revocations' },
    { autoResubscribe: false },
  );
  subscriber.on('error', () => undefined);
  const listener = new ApiKeyRevocationListener({
    subscriber,
    publisher,
    prefix: config.queuePrefix,
    onRevoked: (keyId) => apiKeys.forget(keyId),
    onSubscribed: () => apiKeys.clear(),
  });
  const channel = apiKeyRevokedChannel(config.queuePrefix);
  listener.on('subscribed', () => logger.log(`API key revocations: listening on ${channel}`));
  listener.on('revoked', (keyId: string) =>
    logger.log(`API key ${keyId} revoked: dropped from the key cache`),
  );
  listener.on('down', () =>
    logger.warn(
      `API key revocations: not listening (Redis unreachable); a revoked key works for up to ` +
        `${config.apiKeyCacheTtlMs / 1000} s more until it is back`,
    ),
  );
  listener.start();
  closers.push(async () => {
    listener.stop();
    await subscriber.quit().catch(() => subscriber.disconnect());
  });
}

/** Catalogs introspected on first use through their own pool (introspection outlasts the probes' 1 s). */
function openCatalogs(config: GatewayConfig, closers: (() => Promise<unknown>)[], logger: Logger) {
  if (!config.warehouseUrl) {
    logger.warn('WAREHOUSE_URL is not set: GET /v1/catalog answers 500');
    return unconfiguredServices().catalogs;
  }
  const pool = new Pool({ connectionString: config.warehouseUrl, max: 2, idleTimeoutMillis: 10_000 });
  pool.on('error', (error) => logger.warn(`warehouse idle connection error: ${error.message}`));
  closers.push(() => pool.end());
  return createCatalogCache({
    pool,
    schemas: config.warehouseSchemas,
    onWarning: (message) => logger.warn(message),
  });
}

const pino = createLogger({ service: 'gateway' });

async function main(): Promise<void> {
  // First: the queues created below carry the trace context only when tracing is on before them.
  const tracing = startTracing({ serviceName: 'gateway' });
  const config = loadConfigOrExit(pino);
  const logger: Logger = { log: (message) => pino.info(message), warn: (message) => pino.warn(message) };
  const opened = await openServices(config, logger);
  const closeServices = async () => {
    await opened.close();
    await tracing.shutdown();
  };
  const app = await createGatewayApp({
    config,
    pino,
    apiKeyStore: opened.apiKeyStore,
    services: opened.services,
    ...(opened.registerMetrics ? { registerMetrics: opened.registerMetrics } : {}),
    ...(opened.queues ? { queues: opened.queues } : {}),
    onShutdown: closeServices,
  }).catch(async (error: unknown) => {
    await closeServices();
    throw error;
  });
  // useProcessExit: exit 0 after a clean close, instead of re-raising the signal (exit 143).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref());
  }
  await app.listen(config.port, config.host);
  logger.log(`listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  pino.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
