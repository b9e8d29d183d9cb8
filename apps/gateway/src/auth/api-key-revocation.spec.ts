// Two gateways' key caches, each with its revocation listener, over real Redis and the real key table:
// a revocation announced reaches both at once; with Redis gone, the cache TTL is the bound; when Redis is
// back, whatever was revoked meanwhile is refused at once. The clock is frozen unless a test moves it,
// so nothing here passes by a TTL running out on its own.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createTestSchema, type TestSchema } from '@t2s/db';
import { freePort, startProcess, stopService, waitForOutput, type ChildService } from '@t2s/process';
import {
  announceApiKeyRevocation,
  ApiKeyRevocationListener,
  createRedisConnection,
  type RedisConnection,
} from '@t2s/queue';
import { PgApiKeyStore, runMigrations } from '@t2s/service-store';
import { CachedApiKeyStore } from './cached-api-key.store';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const TTL_MS = 10_000;

interface Gateway {
  cache: CachedApiKeyStore;
  listener: ApiKeyRevocationListener;
  connections: RedisConnection[];
}

describe('API key revocation across gateways', () => {
  let schema: TestSchema;
  let pool: Pool;
  let keys: PgApiKeyStore;
  let now: number;
  const opened: RedisConnection[] = [];

  beforeAll(async () => {
    schema = await createTestSchema('revoke');
    pool = new Pool({ connectionString: schema.url, max: 4 });
    await runMigrations(pool, { schema: schema.schema });
    keys = new PgApiKeyStore(pool, schema.schema);
  });
  afterAll(async () => {
    // A connection that ended (its Redis gone, no retry) has nothing left to close.
    for (const c of opened) if (c.status !== 'end') c.disconnect();
    await pool?.end();
    await schema?.drop();
  });
  beforeEach(() => (now = 1_000_000));

  const connect = (url: string, overrides = {}): RedisConnection => {
    const connection = createRedisConnection(url, {}, { retryStrategy: () => 50, ...overrides });
    connection.on('error', () => undefined);
    opened.push(connection);
    return connection;
  };

  /** A gateway's cache and listener as main.ts wires them, subscribed before it returns. */
  const gateway = async (url: string, prefix: string): Promise<Gateway> => {
    const cache = new CachedApiKeyStore(keys, TTL_MS, 1_000, () => now);
    const subscriber = connect(url, { autoResubscribe: false });
    const publisher = connect(url);
    const listener = new ApiKeyRevocationListener({
      subscriber,
      publisher,
      prefix,
      onRevoked: (id) => cache.forget(id),
      onSubscribed: () => cache.clear(),
    });
    const subscribed = once(listener, 'subscribed');
    listener.start();
    await subscribed;
    return { cache, listener, connections: [subscriber, publisher] };
  };

  const close = async (g: Gateway) => {
    g.listener.stop();
    await Promise.all(g.connections.map((c) => c.quit()));
  };

  const announce = async (url: string, prefix: string, keyId: string) => {
    const publisher = connect(url, { retryStrategy: () => null, maxRetriesPerRequest: 1 });
    const subscriber = connect(url, { retryStrategy: () => null, maxRetriesPerRequest: 1 });
    try {
      return await announceApiKeyRevocation({ publisher, subscriber, prefix, keyId, timeoutMs: 2_000 });
    } finally {
      for (const c of [publisher, subscriber]) if (c.status !== 'end') c.disconnect();
    }
  };

  it('refuses the very next request on both gateways once the revocation is announced', async () => {
    const prefix = `{t2s-revoke-${randomBytes(4).toString('hex')}}`;
    const [a, b] = [await gateway(REDIS_URL, prefix), await gateway(REDIS_URL, prefix)];
    const { record, key } = await keys.create('co-marketer');
    const kept = await keys.create('another-system');
    for (const g of [a, b]) {
      expect(await g.cache.verify(key)).toMatchObject({ id: record.id });
      expect(await g.cache.verify(kept.key)).toMatchObject({ id: kept.record.id });
    }
    // Revoked in the database: both caches would still accept it for the TTL without the announcement.
    await keys.revoke(record.id);
    expect(await a.cache.verify(key)).toMatchObject({ id: record.id });

    expect(await announce(REDIS_URL, prefix, record.id)).toEqual({ listeners: 2, confirmed: 2 });
    expect(await a.cache.verify(key)).toBeNull();
    expect(await b.cache.verify(key)).toBeNull();
    // Other keys are untouched.
    expect(await b.cache.verify(kept.key)).toMatchObject({ id: kept.record.id });
    await Promise.all([a, b].map(close));
  });

  describe('while Redis is unreachable', () => {
    let dir: string;
    let port: number;
    let redis: ChildService;
    const startRedis = async () => {
      redis = startProcess(`redis-${port}`, 'redis-server', [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
      ]);
      await waitForOutput(redis, /Ready to accept connections/, 10_000);
    };
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 't2s-revoke-redis-'));
      port = await freePort();
      await startRedis();
    });
    afterAll(async () => {
      if (redis) await stopService(redis).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    });

    it('falls back to the cache TTL, and refuses what was revoked meanwhile as soon as it is back', async () => {
      const url = `redis://127.0.0.1:${port}`;
      const prefix = '{t2s-revoke}';
      const [a, b] = [await gateway(url, prefix), await gateway(url, prefix)];
      const first = await keys.create('first');
      const second = await keys.create('second');
      for (const g of [a, b]) await g.cache.verify(first.key);

      const down = [once(a.listener, 'down'), once(b.listener, 'down')];
      redis.child.kill('SIGKILL');
      await redis.exited;
      await Promise.all(down);
      await keys.revoke(first.record.id);
      await expect(announce(url, prefix, first.record.id)).rejects.toThrow();

      // The bound: accepted until the cached entry is TTL old, refused from then on.
      now += TTL_MS - 1;
      for (const g of [a, b]) expect(await g.cache.verify(first.key)).toMatchObject({ id: first.record.id });
      now += 1;
      for (const g of [a, b]) expect(await g.cache.verify(first.key)).toBeNull();

      // A key cached now and revoked during the outage: subscribing again drops every cached key, so it
      // is refused as soon as Redis is back, with the clock still where it was.
      for (const g of [a, b])
        expect(await g.cache.verify(second.key)).toMatchObject({ id: second.record.id });
      await keys.revoke(second.record.id);
      for (const g of [a, b])
        expect(await g.cache.verify(second.key)).toMatchObject({ id: second.record.id });
      const back = [once(a.listener, 'subscribed'), once(b.listener, 'subscribed')];
      await startRedis();
      await Promise.all(back);
      for (const g of [a, b]) expect(await g.cache.verify(second.key)).toBeNull();
      await Promise.all([a, b].map(close));
    });
  });
});

function once(emitter: ApiKeyRevocationListener, event: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${timeoutMs} ms`)), timeoutMs);
    emitter.once(event, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
