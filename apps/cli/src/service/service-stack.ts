import { Client } from 'pg';
import { openWarehouse, type DatabaseTarget } from '@t2s/db';
import { loadStoreConfig, openServiceDatabase } from '@t2s/service-store';
import { UsageError } from '../command-runner';
import { executorUrl, grantExecutor } from '../executor-grant';
import { openRedis, type RedisTarget } from './redis-target';
import { startServiceProcesses, type RunningService } from './service-processes';
import { webhookMasterKey } from './webhook-master-key';

export interface StackOptions {
  port: number;
  host: string;
  schema: string;
  executorRole: string;
  env: NodeJS.ProcessEnv;
  onProgress: (message: string) => void;
  onLine: (name: string, line: string) => void;
  /** Runs on the open warehouse before the service starts (the demo seeds it). */
  prepareWarehouse?: (warehouse: DatabaseTarget) => Promise<void>;
}

export interface RunningStack extends RunningService {
  serviceDatabaseUrl: string;
  /** Stops the processes, then Redis and the embedded PostgreSQL if this process started them. */
  close(): Promise<void>;
}

/**
 * Everything `t2s up` runs on one machine: the warehouse (WAREHOUSE_URL or embedded), the service
 * database (SERVICE_DATABASE_URL or the embedded server's `t2s` database), Redis (REDIS_URL or a
 * redis-server started here), then the gateway and the workers as their own processes.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  try {
    const warehouse = await openWarehouse({ onProgress: options.onProgress });
    closers.push(() => warehouse.close());
    await options.prepareWarehouse?.(warehouse);
    await checkWarehouse(warehouse, options.schema, options.executorRole);

    const service = await openServiceDatabase(loadStoreConfig(options.env), {
      env: options.env,
      onProgress: options.onProgress,
    });
    closers.push(() => service.close());
    const redis: RedisTarget = await openRedis(options.env, options.onProgress);
    closers.push(() => redis.close());

    options.onProgress(`warehouse ${warehouse.label}, schema ${options.schema}`);
    options.onProgress(`service database ${service.label}; redis ${redis.label}`);
    const running = await startServiceProcesses(
      {
        port: options.port,
        host: options.host,
        redisUrl: redis.url,
        serviceDatabaseUrl: service.url,
        warehouseUrl: warehouse.url,
        warehouseExecutorUrl: executorUrl(options.env, warehouse.url, options.executorRole),
        warehouseSchema: options.schema,
        webhookSecret: webhookMasterKey(options.env, options.onProgress),
      },
      options.onLine,
    );
    closers.push(() => running.stop());
    return {
      url: running.url,
      // A getter: the processes change as workers are restarted.
      get processes() {
        return running.processes;
      },
      failed: running.failed,
      stop: () => running.stop(),
      serviceDatabaseUrl: service.url,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The schema must exist with tables, and the executor role get read access to it (idempotent). */
async function checkWarehouse(warehouse: DatabaseTarget, schema: string, role: string): Promise<void> {
  const client = new Client({ connectionString: warehouse.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from information_schema.tables where table_schema = $1`,
      [schema],
    );
    if ((rows[0]?.n ?? 0) === 0) {
      throw new UsageError(
        `the warehouse ${warehouse.label} has no tables in schema ${schema}: run "npm run t2s -- warehouse seed" (or "npm start") first`,
      );
    }
    await grantExecutor(client, role, schema);
  } finally {
    await client.end();
  }
}
