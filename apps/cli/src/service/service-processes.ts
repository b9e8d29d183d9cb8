import { join } from 'node:path';
import {
  DEFAULT_RESTART_POLICY,
  describeExit,
  ProcessSupervisor,
  REPO_ROOT,
  RestartPolicy,
  startTsProcess,
  stopService,
  waitForOutput,
  type ChildService,
  type RestartPolicyOptions,
  type SupervisedProcess,
  type SupervisorFailure,
} from '@t2s/process';

/** One worker process per queue, as production deploys them. */
const WORKER_QUEUES = ['criteria', 'linking', 'sql', 'execution', 'webhook'] as const;

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
  /** When a dead worker is restarted and when the service gives up (`DEFAULT_RESTART_POLICY` otherwise). */
  supervision?: Partial<RestartPolicyOptions>;
}

export interface RunningService {
  url: string;
  /** The processes running now: a restarted worker replaces the one that died. */
  readonly processes: readonly ChildService[];
  /**
   * Resolves when the service cannot go on: the gateway died, a worker exited 78 (bad environment), or
   * workers died too often (see `RestartPolicy`). Nothing is restarted after it; call `stop()`.
   */
  failed: Promise<SupervisorFailure>;
  /** SIGTERM to every process, gateway first (no new work), then the workers. */
  stop(): Promise<void>;
}

const GATEWAY_ENTRY = join(REPO_ROOT, 'apps/gateway/src/main.ts');
const WORKER_ENTRY = join(REPO_ROOT, 'apps/worker/src/main.ts');
const READY_TIMEOUT_MS = 90_000;
const LISTENING = /listening on (http:\/\/[^\s"]+)/;
/** A worker's last start-up line (`serving <queues> on <redis> prefix <prefix>`), as JSON or pretty. */
const WORKER_SERVING = /serving [a-z, ]+ on \S+ prefix /;

export type WorkerQueue = (typeof WORKER_QUEUES)[number];

export function workerName(queue: WorkerQueue): string {
  return `worker:${queue}`;
}

/**
 * Starts the gateway and one worker per queue as child processes and waits until each says it is ready.
 * Output lines go to `onLine` prefixed with the process name, so one terminal shows the whole service.
 * A worker that dies (a crash, the OOM killer, `kill -9`) is started again with backoff while the gateway
 * keeps serving; its queue's jobs wait in Redis, and its unfinished job runs again once its lock expires.
 * The supervisor's own lines go to `onLine('supervisor', ...)`.
 */
export async function startServiceProcesses(
  settings: ServiceSettings,
  onLine: (name: string, line: string) => void,
): Promise<RunningService> {
  const gateway: SupervisedProcess = {
    name: 'gateway',
    // Not restarted: a new gateway on port 0 would listen elsewhere, and clients hold the old URL.
    restart: false,
    start: () =>
      startTsProcess('gateway', GATEWAY_ENTRY, {
        env: {
          ...commonEnv(settings),
          PORT: String(settings.port),
          HOST: settings.host,
          WAREHOUSE_SCHEMAS: settings.warehouseSchema,
          // Explain and portrait read the warehouse as the executor role, as the execution worker does.
          WAREHOUSE_EXECUTOR_URL: settings.warehouseExecutorUrl,
        },
        onLine: (line) => onLine('gateway', line),
      }),
    ready: (child) => waitForOutput(child, LISTENING, READY_TIMEOUT_MS),
  };
  const workers = WORKER_QUEUES.map((queue): SupervisedProcess => {
    const name = workerName(queue);
    return {
      name,
      start: () =>
        startTsProcess(name, WORKER_ENTRY, {
          env: {
            ...commonEnv(settings),
            STAGES: queue,
            WAREHOUSE_EXECUTOR_URL: settings.warehouseExecutorUrl,
            WAREHOUSE_SCHEMA: settings.warehouseSchema,
          },
          onLine: (line) => onLine(name, line),
        }),
      ready: (child) => waitForOutput(child, WORKER_SERVING, READY_TIMEOUT_MS),
    };
  });
  const policy = { ...DEFAULT_RESTART_POLICY, ...settings.supervision };
  const window = `${policy.windowMs / 1000} s`;
  const supervisor = new ProcessSupervisor([gateway, ...workers], new RestartPolicy(policy), {
    onRestartScheduled: (name, exit, delayMs, deaths) =>
      onLine(
        'supervisor',
        `${name} died (${describeExit(exit)}); restarting it in ${delayMs / 1000} s ` +
          `(death ${deaths} in ${window}; ${policy.maxDeaths} stop the service)`,
      ),
    onRestarted: (name, restarts) => onLine('supervisor', `${name} is serving again (restart ${restarts})`),
  });
  const stop = async (): Promise<void> => {
    supervisor.halt();
    const gatewayProcess = supervisor.current('gateway');
    if (gatewayProcess) await stopService(gatewayProcess).catch(() => undefined);
    await Promise.all(
      workers.map((worker) => {
        const current = supervisor.current(worker.name);
        return current ? stopService(current, 35_000).catch(() => undefined) : undefined;
      }),
    );
  };

  try {
    await supervisor.start();
  } catch (error) {
    await stop();
    throw error;
  }
  const listening = LISTENING.exec(supervisor.current('gateway')?.output() ?? '');
  return {
    url: listening?.[1] as string,
    get processes() {
      return supervisor.running;
    },
    failed: supervisor.failed,
    stop,
  };
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
