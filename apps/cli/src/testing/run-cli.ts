import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository root: the CLI runs from there, as an operator runs `npm run t2s`. */
export const repoRoot = resolve(__dirname, '../../../..');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Added to this process's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Written to the CLI's stdin, which is then closed; without it stdin is ignored. */
  stdin?: string;
  timeoutMs?: number;
  /** Called with each chunk of stdout and a function that closes the pipe (the reader goes away). */
  onStdout?: (chunk: string, closeStdout: () => void) => void;
}

/** Runs `t2s ...` as a child process (`node --import tsx apps/cli/src/main.ts`) and waits for it to exit. */
export function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    FORCE_COLOR: undefined,
    ...options.env,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const timeoutMs = options.timeoutMs ?? 30_000;

  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', ...args], {
      cwd: repoRoot,
      env,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // Both pipes exist: stdio says 'pipe' for them.
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(chunk, () => child.stdout!.destroy());
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`t2s ${args.join(' ')} did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
    if (options.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // the process may exit before reading everything
      child.stdin.end(options.stdin);
    }
  });
}
