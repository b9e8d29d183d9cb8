import { join } from 'node:path';
import { REPO_ROOT, startTsProcess, stopService, waitForOutput, type ChildService } from '@t2s/process';

/** One worker process per queue, as production deploys them. */
export const WORKER_QUEUES = ['criteria', 'linking', 'sql', 'execution', 'webhook'] as const;

export interface ServiceSettings {
  port: number;
  host: string;
  redisUrl: string;
  serviceDatabaseUrl: string;
  warehouseUrl: string;
  warehouseExecutorUrl: string;
  warehouseSchema: string;
  webhookSecret: string;
  /** Anything else for every process (QUEUE_PREFIX, SERVICE_DATABASE_SCHEMA, timeouts in tests). */
  env?: Record<string, string>;
}

export interface RunningService {
  url: string;
  processes: readonly ChildService[];
  /** Resolves with the first process that exits on its own: the service is then broken. */
  crashed: Promise<ChildService>;
  /** SIGTERM to every process, gateway first (no new work), then the workers. */
  stop(): Promise<void>;
}

const GATEWAY_ENTRY = join(REPO_ROOT, 'apps/gateway/src/main.ts');
const WORKER_ENTRY = join(REPO_ROOT, 'apps/worker/src/main.ts');
const READY_TIMEOUT_MS = 90_000;

/**
 * Starts the gateway and one worker per queue as child processes and waits until each says it is ready.
 * Output lines go to `onLine` prefixed with the process name, so one terminal shows the whole service.
 */
export async function startServiceProcesses(
  settings: ServiceSettings,
  onLine: (name: string, line: string) => void,
): Promise<RunningService> {
  const gateway = startTsProcess('gateway', GATEWAY_ENTRY, {
    env: {
      ...commonEnv(settings),
      PORT: String(settings.port),
      HOST: settings.host,
      WAREHOUSE_SCHEMAS: settings.warehouseSchema,
    },
    onLine: (line) => onLine('gateway', line),
  });
  const workers = WORKER_QUEUES.map((queue) => startWorkerProcess(settings, queue, onLine));
  const processes = [gateway, ...workers];
  let stopping = false;
  const stop = async (): Promise<void> => {
    stopping = true;
    await stopService(gateway).catch(() => undefined);
    await Promise.all(workers.map((worker) => stopService(worker, 35_000).catch(() => undefined)));
  };
  const crashed = new Promise<ChildService>((resolveCrash) => {
    for (const child of processes) void child.exited.then(() => !stopping && resolveCrash(child));
  });

  try {
    const [listening] = await Promise.all([
      waitForOutput(gateway, /listening on (http:\/\/\S+)/, READY_TIMEOUT_MS),
      ...workers.map((worker) => workerReady(worker)),
    ]);
    return { url: listening[1] as string, processes, crashed, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One worker process serving `queue`; resolve `workerReady(it)` before relying on it. */
export function startWorkerProcess(
  settings: ServiceSettings,
  queue: (typeof WORKER_QUEUES)[number],
  onLine: (name: string, line: string) => void,
): ChildService {
  const name = `worker:${queue}`;
  return startTsProcess(name, WORKER_ENTRY, {
    env: {
      ...commonEnv(settings),
      STAGES: queue,
      WAREHOUSE_EXECUTOR_URL: settings.warehouseExecutorUrl,
      WAREHOUSE_SCHEMA: settings.warehouseSchema,
    },
    onLine: (line) => onLine(name, line),
  });
}

export function workerReady(worker: ChildService): Promise<unknown> {
  return waitForOutput(worker, /worker: serving /, READY_TIMEOUT_MS);
}

function commonEnv(settings: ServiceSettings): Record<string, string> {
  return {
    REDIS_URL: settings.redisUrl,
    SERVICE_DATABASE_URL: settings.serviceDatabaseUrl,
    WAREHOUSE_URL: settings.warehouseUrl,
    WEBHOOK_SECRET: settings.webhookSecret,
    ...settings.env,
  };
}
