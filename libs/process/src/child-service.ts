import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository root: entries are started from here, so `config/` and `.t2s/` resolve as in a shell. */
export const REPO_ROOT = resolve(__dirname, '../../..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildService {
  name: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr), for errors and tests. */
  output(): string;
  exited: Promise<Exit>;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** Copy each output line to this sink (prefixed by the caller), e.g. the supervisor's console. */
  onLine?: (line: string) => void;
  cwd?: string;
}

/**
 * Starts a TypeScript entry as production runs it, `node --import tsx <entry>`, with the current Node
 * (under `npm run`, the project's Node 24). stdin is a pipe: a child that watches it notices when its
 * parent dies without a signal (SIGKILL) and need not be orphaned.
 */
export function startTsProcess(name: string, entry: string, options: StartOptions = {}): ChildService {
  return startProcess(name, process.execPath, [...NODE_FLAGS, '--import', 'tsx', entry], options);
}

/**
 * V8 flags every service process runs with (the Dockerfile, compose and k8s commands pass the same).
 * `--liftoff-only`: under Node 24, V8 compiles the SQL parser's WebAssembly (libpg-query, 1.7 MB) again
 * with TurboFan in the background after it loads, and the process's RSS peaks near 640 MB for a second;
 * Liftoff alone keeps the peak near 85 MB and parses as fast (2,000 parses: 71 ms against 64 ms).
 * `--max-semi-space-size=4` (MB): V8 grows the young generation to 3 × 16 MB under load and keeps it;
 * a service's short-lived objects (a job, a request) fit in far less. With it, `bench:load`'s peak RSS
 * per process went from 200–273 MB to 130–182 MB at the same latency.
 */
export const NODE_FLAGS: readonly string[] = ['--liftoff-only', '--max-semi-space-size=4'];

/** Any program as a child service (redis-server in the cluster and fault specs), output captured. */
export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: StartOptions = {},
): ChildService {
  const child = spawn(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let partial = '';
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString();
    output += text;
    if (!options.onLine) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onLine(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<Exit>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  return { name, child, output: () => output, exited };
}

/** Resolves with the process's exit, or rejects after `ms`. */
export function exitWithin(exited: Promise<Exit>, ms: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`process did not exit within ${ms} ms`)), ms);
  });
  return Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Waits until the process prints a line matching `pattern` (resolving with the match), and fails with
 * its output if it exits first or stays silent past `timeoutMs`.
 */
export function waitForOutput(
  service: ChildService,
  pattern: RegExp,
  timeoutMs = 60_000,
): Promise<RegExpExecArray> {
  return new Promise((resolveMatch, reject) => {
    const check = (): boolean => {
      const match = pattern.exec(service.output());
      if (!match) return false;
      cleanup();
      resolveMatch(match);
      return true;
    };
    const onData = (): void => void check();
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(`${service.name} did not print ${pattern} within ${timeoutMs} ms:\n${service.output()}`),
      );
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      service.child.stdout?.off('data', onData);
      service.child.stderr?.off('data', onData);
    };
    if (check()) return;
    service.child.stdout?.on('data', onData);
    service.child.stderr?.on('data', onData);
    void service.exited.then((exit) => {
      if (check()) return;
      cleanup();
      reject(new Error(`${service.name} exited (${JSON.stringify(exit)}) first:\n${service.output()}`));
    });
  });
}

/** SIGTERM, then the exit; SIGKILL if it hangs past `ms` (and the error says so). */
export async function stopService(service: ChildService, ms = 10_000): Promise<Exit> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return service.exited;
  service.child.kill('SIGTERM');
  try {
    return await exitWithin(service.exited, ms);
  } catch (error) {
    service.child.kill('SIGKILL');
    throw error;
  }
}
