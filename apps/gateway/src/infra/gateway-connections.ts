import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createRedisConnection, type RedisConnection } from '@t2s/queue';
import { Pool } from 'pg';
import type { GatewayConfig } from '../config/gateway.config';
import { postgresCheck, redisCheck, type DependencyCheck } from '../health/dependency-check';
import { redisWorkerPresence, type WorkerPresence } from '../health/worker-presence';

const CONNECT_TIMEOUT_MS = 1_000;

function openPool(name: string, url: string, logger: Logger): Pool {
  const pool = new Pool({
    connectionString: url,
    // Probes only for now; the segment endpoints will size their own pool.
    max: 2,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 10_000,
  });
  // An idle client losing its server emits here; unhandled, it would crash the process.
  pool.on('error', (error) => logger.warn(`${name} idle connection error: ${error.message}`));
  return pool;
}

/**
 * The gateway's connections, opened lazily and closed when Nest shuts down (SIGTERM or `app.close()`).
 * This Redis client serves probes and is tuned to fail fast (no offline queue, one retry per command);
 * BullMQ's connections, which must instead wait (`maxRetriesPerRequest: null`), will be separate.
 */
export class GatewayConnections implements OnApplicationShutdown {
  private readonly logger = new Logger('Connections');
  readonly redis: RedisConnection;
  readonly serviceDb: Pool | undefined;
  readonly warehouse: Pool | undefined;
  private redisErrorLogged = false;

  constructor(
    private readonly config: GatewayConfig,
    private readonly closeExtra: () => Promise<void> = async () => undefined,
  ) {
    this.redis = createRedisConnection(
      config.redisUrl,
      { connectionName: 't2s-gateway-probe' },
      {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: CONNECT_TIMEOUT_MS,
        // Keep reconnecting while Redis is down (it comes back), but never faster than every 2 s.
        retryStrategy: (times: number) => Math.min(times * 200, 2_000),
      },
    );
    // Without a listener ioredis prints every failed reconnect; log the first error of each outage only.
    this.redis.on('error', (error: Error) => {
      if (this.redisErrorLogged) return;
      this.redisErrorLogged = true;
      this.logger.warn(`redis error: ${error.message}`);
    });
    this.redis.on('ready', () => {
      this.redisErrorLogged = false;
    });
    this.serviceDb = config.serviceDatabaseUrl
      ? openPool('postgres', config.serviceDatabaseUrl, this.logger)
      : undefined;
    this.warehouse = config.warehouseUrl
      ? openPool('warehouse', config.warehouseUrl, this.logger)
      : undefined;
  }

  /** What `/readyz` checks: Redis always, the databases when configured. */
  dependencyChecks(): DependencyCheck[] {
    return [
      redisCheck(this.redis),
      ...(this.serviceDb ? [postgresCheck('postgres', this.serviceDb)] : []),
      ...(this.warehouse ? [postgresCheck('warehouse', this.warehouse)] : []),
    ];
  }

  /** What `/readyz` counts: the workers of each queue in READY_WORKER_QUEUES, over the probe client. */
  workerPresence(): WorkerPresence {
    return redisWorkerPresence(this.redis, this.config.queuePrefix, this.config.readyWorkerQueues);
  }

  async onApplicationShutdown(): Promise<void> {
    const results = await Promise.allSettled([
      this.closeRedis(),
      this.serviceDb?.end(),
      this.warehouse?.end(),
      this.closeExtra(),
    ]);
    for (const result of results) {
      if (result.status === 'rejected') this.logger.warn(`close failed: ${String(result.reason)}`);
    }
  }

  private async closeRedis(): Promise<void> {
    // QUIT lets in-flight replies arrive; a client that is not connected (or reconnecting) is just dropped.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}
