// `t2s apikey revoke` against two running gateways (main.ts, as deployed) that share Redis and the key
// table: the very next request with the key fails on both. Their key cache is set to keep an accepted
// key for 10 minutes, so a 401 here can only come from the announcement, never from a TTL running out.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '@t2s/db';
import { REPO_ROOT, startTsProcess, stopService, waitForOutput, type ChildService } from '@t2s/process';
import { PgApiKeyStore, runMigrations } from '@t2s/service-store';
import { runCli } from '../testing/run-cli';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const GATEWAY_ENTRY = join(REPO_ROOT, 'apps/gateway/src/main.ts');

jest.setTimeout(120_000);

describe('t2s apikey revoke with two gateways running', () => {
  let schema: TestSchema;
  let pool: Pool;
  let keys: PgApiKeyStore;
  const gateways: { process: ChildService; url: string }[] = [];
  const prefix = `{t2s-revoke-${randomBytes(4).toString('hex')}}`;
  let env: Record<string, string>;

  beforeAll(async () => {
    schema = await createTestSchema('revoke_e2e');
    pool = new Pool({ connectionString: schema.url, max: 2 });
    await runMigrations(pool, { schema: schema.schema });
    keys = new PgApiKeyStore(pool, schema.schema);
    env = {
      SERVICE_DATABASE_URL: testDatabaseUrl(),
      SERVICE_DATABASE_SCHEMA: schema.schema,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
    };
    const started = ['a', 'b'].map((name) =>
      startTsProcess(`gateway-${name}`, GATEWAY_ENTRY, {
        env: {
          ...env,
          PORT: '0',
          HOST: '127.0.0.1',
          WAREHOUSE_URL: '',
          READY_WORKER_QUEUES: 'none',
          API_KEY_CACHE_TTL_MS: '600000',
        },
      }),
    );
    for (const process of started) {
      const listening = await waitForOutput(process, /listening on (http:\/\/[^\s"]+)/, 60_000);
      await waitForOutput(process, /API key revocations: listening on /, 30_000);
      gateways.push({ process, url: listening[1] as string });
    }
  }, 120_000);
  afterAll(async () => {
    for (const gateway of gateways) await stopService(gateway.process).catch(() => undefined);
    await pool?.end();
    await schema?.drop();
  });

  const whoami = (url: string, key: string) =>
    fetch(`${url}/v1/whoami`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

  it('refuses the key on both gateways on the very next request', async () => {
    const { record, key } = await keys.create('co-marketer');
    const other = await keys.create('another-system');
    // Accepted, and now cached by both for ten minutes.
    for (const { url } of gateways) {
      expect(await whoami(url, key)).toBe(200);
      expect(await whoami(url, other.key)).toBe(200);
    }

    const revoked = await runCli(['apikey', 'revoke', '--id', record.id], { env, timeoutMs: 60_000 });
    expect({ code: revoked.code, stdout: revoked.stdout }).toEqual({ code: 0, stdout: '' });
    expect(revoked.stderr).toContain('2 gateway(s) dropped it from their key cache');

    for (const { url } of gateways) {
      expect(await whoami(url, key)).toBe(401);
      expect(await whoami(url, other.key)).toBe(200);
    }
    for (const { process } of gateways) {
      expect(process.output()).toContain(`API key ${record.id} revoked: dropped from the key cache`);
    }
  });

  it('says so when no gateway listens, and the revocation still holds in the database', async () => {
    const { record, key } = await keys.create('nobody-listening');
    const revoked = await runCli(['apikey', 'revoke', '--id', record.id], {
      env: { ...env, QUEUE_PREFIX: `{t2s-nobody-${randomBytes(4).toString('hex')}}` },
      timeoutMs: 60_000,
    });
    expect(revoked.code).toBe(0);
    expect(revoked.stderr).toMatch(/no gateway listens on redis:\/\/127\.0\.0\.1:\d+ \(prefix \{t2s-nobody-/);
    expect(await keys.verify(key)).toBeNull();
  });

  it('warns with the cache bound when Redis cannot be reached', async () => {
    const { record, key } = await keys.create('redis-down');
    const revoked = await runCli(['apikey', 'revoke', '--id', record.id], {
      env: { ...env, REDIS_URL: 'redis://127.0.0.1:1' },
      timeoutMs: 60_000,
    });
    expect(revoked.code).toBe(0);
    expect(revoked.stderr).toMatch(
      /warning: could not announce the revocation on redis:\/\/127\.0\.0\.1:1 .*within their key cache TTL \(API_KEY_CACHE_TTL_MS, 10 s by default\)/,
    );
    expect(await keys.verify(key)).toBeNull();
  });
});
