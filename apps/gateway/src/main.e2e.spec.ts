// The production entry point as operators run it: starts, serves, and exits 0 on SIGTERM.
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { PgApiKeyStore } from '@t2s/service-store';
import { exitWithin, MAIN_ENTRY, spawnGateway, startProcess, stopGateway } from './testing/spawn-gateway';

const SERVICE_DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('main.ts', () => {
  it('serves /healthz and exits 0 on SIGTERM', async () => {
    const gateway = await spawnGateway(MAIN_ENTRY, {
      PORT: '0',
      HOST: '127.0.0.1',
      SERVICE_DATABASE_URL: '',
    });
    try {
      const response = await fetch(`${gateway.url}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
      // No service database: keys fail closed.
      expect(
        (await fetch(`${gateway.url}/v1/whoami`, { headers: { authorization: 'Bearer t2s_x' } })).status,
      ).toBe(401);
    } finally {
      expect(await stopGateway(gateway, 5_000)).toEqual({ code: 0, signal: null });
    }
  });

  it('authenticates with keys from the service database', async () => {
    const schema = `gw_${randomBytes(4).toString('hex')}`;
    const pool = new Pool({ connectionString: SERVICE_DB, max: 1 });
    try {
      const gateway = await spawnGateway(MAIN_ENTRY, {
        PORT: '0',
        SERVICE_DATABASE_URL: SERVICE_DB,
        SERVICE_DATABASE_SCHEMA: schema,
      });
      try {
        // The gateway migrated the schema on start; issue a key the way the CLI does.
        const { record, key } = await new PgApiKeyStore(pool, schema).create('co-marketer');
        const response = await fetch(`${gateway.url}/v1/whoami`, {
          headers: { authorization: `Bearer ${key}` },
        });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ id: record.id, name: 'co-marketer' });
        const readiness = await fetch(`${gateway.url}/readyz`);
        expect(await readiness.json()).toMatchObject({ checks: { postgres: 'ok', redis: 'ok' } });
      } finally {
        expect(await stopGateway(gateway, 5_000)).toEqual({ code: 0, signal: null });
      }
    } finally {
      await pool.query(`drop schema if exists ${schema} cascade`);
      await pool.end();
    }
  });

  it('refuses to start on a bad variable, naming it', async () => {
    const started = startProcess(MAIN_ENTRY, { PORT: 'eighty' });
    expect(await exitWithin(started.exited, 20_000)).toEqual({ code: 78, signal: null });
    expect(started.output()).toMatch(/Invalid environment: PORT: /);
  });
});
