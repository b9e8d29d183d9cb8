// The inference pool: serves the llm queue with as many calls at once as the GPUs take, over the
// configured endpoints (see config.ts), and exposes its metrics on /metrics.
import { LlmCallStore, PoolMetrics, startLlmPool } from '@t2s/inference-pool';
import { serveMetrics } from '@t2s/metrics';
import { createRedisConnection, queuePrefix } from '@t2s/queue';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createLogger, startTracing } from '@t2s/telemetry';
import { loadPoolConfig, PoolConfigError, type PoolConfig } from './config';

const logger = createLogger({ service: 'inference-pool' });
const log = (message: string) => logger.info(message);

function configOrExit(): PoolConfig {
  try {
    return loadPoolConfig();
  } catch (error) {
    if (!(error instanceof PoolConfigError)) throw error;
    logger.fatal({ code: 'INVALID_ENVIRONMENT' }, error.message);
    process.exit(78); // EX_CONFIG
  }
}

async function main(): Promise<void> {
  // First: the pool's worker continues each call's trace only when tracing is on before it starts.
  const tracing = startTracing({ serviceName: 'inference-pool' });
  const config = configOrExit();
  const prefix = queuePrefix(config.prefix);
  const connection = createRedisConnection(config.redisUrl, {
    forWorker: true,
    connectionName: 't2s-inference-pool',
  });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const pool = await startLlmPool({
    connection,
    prefix,
    backend: config.backend,
    store: new LlmCallStore(connection, prefix),
    slots: config.slots,
    metrics: new PoolMetrics(registry),
    onError: (error) => logger.error({ err: error }, 'llm pool worker error'),
  });
  const server = await serveMetrics(registry, config.metricsPort);
  log(
    `${config.backend.name} ${config.backend.model}, ${config.slots} slots; metrics on :${server.port}/metrics`,
  );
  const stop = async () => {
    log('stopping');
    await server.close();
    await pool.close();
    await connection.quit();
    await tracing.shutdown();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

void main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
