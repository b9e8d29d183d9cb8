import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../../../..');
export const MAIN_ENTRY = resolve(__dirname, '../main.ts');
export const HARNESS_ENTRY = resolve(__dirname, 'gateway-harness.ts');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  exited: Promise<Exit>;
}

/** Resolves with the process's exit, or rejects after `ms`. */
export function exitWithin(exited: Promise<Exit>, ms: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`process did not exit within ${ms} ms`)), ms);
  });
  return Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
}

/** Starts `node --import tsx <entry>` (as production runs) and waits for its "listening on <url>" line. */
export function startProcess(
  entry: string,
  env: Record<string, string>,
): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<Exit>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<Exit>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  return { child, output: () => output, exited };
}

export async function spawnGateway(
  entry: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<GatewayProcess> {
  const started = startProcess(entry, env);
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      started.child.kill('SIGKILL');
      reject(new Error(`gateway did not start within ${timeoutMs} ms:\n${started.output()}`));
    }, timeoutMs);
    const onData = (): void => {
      const match = /listening on (http:\/\/\S+)/.exec(started.output());
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolveUrl(match[1]);
    };
    started.child.stdout?.on('data', onData);
    started.child.stderr?.on('data', onData);
    void started.exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited (${JSON.stringify(exit)}) before listening:\n${started.output()}`));
    });
  });
  return { url, ...started };
}

/** SIGTERM, then the exit (SIGKILL if it hangs, so a broken shutdown fails one test, not the run). */
export async function stopGateway(gateway: GatewayProcess, ms = 10_000): Promise<Exit> {
  gateway.child.kill('SIGTERM');
  try {
    return await exitWithin(gateway.exited, ms);
  } catch (error) {
    gateway.child.kill('SIGKILL');
    throw error;
  }
}
