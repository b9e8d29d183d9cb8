import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '@t2s/process';
import { delimiter, join } from 'node:path';
import { spawn } from 'node:child_process';
import { redactUrl } from '@t2s/db';
import { UsageError } from '../command-runner';
import { t2sHomePath } from './t2s-home';

export interface RedisTarget {
  url: string;
  label: string;
  close(): Promise<void>;
}

const READY = /Ready to accept connections/;
const START_TIMEOUT_MS = 15_000;

/**
 * The Redis the service uses: REDIS_URL when set, else a `redis-server` started here (data under
 * `$T2S_HOME/redis`, append-only so queued jobs survive a restart), else a one-line reason.
 */
export async function openRedis(
  env: NodeJS.ProcessEnv,
  onProgress: (message: string) => void,
): Promise<RedisTarget> {
  const configured = env['REDIS_URL'];
  if (configured) return { url: configured, label: redactUrl(configured), close: async () => undefined };

  const binary = findOnPath('redis-server', env['PATH'] ?? '');
  if (!binary) {
    throw new UsageError(
      'REDIS_URL is not set and redis-server is not installed: install Redis 7+ or set REDIS_URL',
    );
  }
  const dir = t2sHomePath(env, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}: ${output.trim().split('\n').slice(-3).join(' | ')}`));
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (!READY.test(output)) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolveReady();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => fail(new Error(`redis-server exited with ${code}`)));
  });
  // Drain its log so a full pipe never blocks it.
  child.stdout.resume();
  const url = `redis://127.0.0.1:${port}`;
  onProgress(`started redis-server on ${url} (data in ${dir})`);
  // Other t2s commands of this T2S_HOME (`apikey revoke`) find it here while it runs.
  const urlFile = runningRedisFile(env);
  writeFileSync(urlFile, `${url}\n`);
  return {
    url,
    label: `${url} (started by t2s, data in ${dir})`,
    close: () =>
      new Promise<void>((resolveClosed) => {
        rmSync(urlFile, { force: true });
        if (child.exitCode !== null) return resolveClosed();
        child.once('exit', () => resolveClosed());
        child.kill('SIGTERM');
      }),
  };
}

function runningRedisFile(env: NodeJS.ProcessEnv): string {
  return t2sHomePath(env, 'redis', 'url');
}

/**
 * The Redis the service of this machine uses, for commands that talk to it from outside (`apikey
 * revoke`): REDIS_URL, else the redis-server a running `t2s up` started, else the default local Redis
 * that the gateway and workers also fall back to.
 */
export function serviceRedisUrl(env: NodeJS.ProcessEnv): string {
  const configured = env['REDIS_URL'];
  if (configured) return configured;
  const file = runningRedisFile(env);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  return 'redis://127.0.0.1:6379';
}

function findOnPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
