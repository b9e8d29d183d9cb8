// Fault scenarios on real processes (`npm run test:faults`; docs/faults.md has the table): Redis
// restarted mid-run from its append-only file, the warehouse gone from the network for 30 s, and
// Co-marketer's webhook receiver failing for a minute. Each ends with every segment in a correct final
// state, none lost, none run twice into the members table, webhooks delivered with one event id.
// Workers SIGKILLed mid-job under the supervisor are in service-supervision.e2e.spec.ts, an LLM endpoint
// that hangs in service.e2e.spec.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabaseUrl } from '@t2s/db';
import { freePort, startProcess, stopService, waitForOutput, type ChildService } from '@t2s/process';
import { expectSucceededOnce, waitUntil } from './testing/run-checks';
import { openServiceFixture, type ServiceFixture } from './testing/service-fixture';
import { startTcpProxy, viaProxy, type TcpProxy } from './testing/tcp-proxy';

jest.setTimeout(300_000);

interface Accepted {
  id: string;
  revision: { id: string };
}

async function createSegments(f: ServiceFixture, n: number): Promise<Accepted[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const response = await f.api('POST', '/v1/segments', { body: f.request() });
      expect(response.status).toBe(202);
      return response.json() as Accepted;
    }),
  );
}

async function stageOf(f: ServiceFixture, id: string): Promise<{ stage: string; status: string }> {
  return (await f.api('GET', `/v1/segments/${id}`)).json() as { stage: string; status: string };
}

describe('Redis restarted mid-run (append-only file)', () => {
  let dir: string;
  let port: number;
  let redis: ChildService;
  let f: ServiceFixture;

  // `appendfsync always`: every write acknowledged is on disk, so a crash loses no job; production's
  // compose file keeps Redis's default `everysec` (at most a second of writes at risk).
  const startRedis = async () => {
    redis = startProcess(`redis-${port}`, 'redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ]);
    await waitForOutput(redis, /Ready to accept connections/, 10_000);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 't2s-redis-aof-'));
    port = await freePort();
    await startRedis();
    f = await openServiceFixture(300, { REDIS_URL: `redis://127.0.0.1:${port}` });
  }, 240_000);
  afterAll(async () => {
    await f?.close();
    if (redis) await stopService(redis).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes every segment once after Redis is killed and started again from its AOF', async () => {
    const created = await createSegments(f, 6);
    // Mid-run: wait until one of them is past its first stage, then crash Redis under the rest.
    await waitUntil(async () => (await stageOf(f, created[0]!.id)).stage !== 'criteria');
    redis.child.kill('SIGKILL');
    await redis.exited;
    // While Redis is down the API refuses to queue work, with a clear error rather than a hang.
    const refused = await f.api('POST', '/v1/segments', { body: f.request() });
    expect(refused.status).toBeGreaterThanOrEqual(500);
    await startRedis();

    for (const run of created) {
      await f.receiver.waitForRun(run.id, run.revision.id, 120_000);
      await expectSucceededOnce(f, run.id, run.revision.id);
    }
  });
});

describe('the warehouse unreachable for 30 s', () => {
  let proxy: TcpProxy;
  let f: ServiceFixture;

  beforeAll(async () => {
    const database = new URL(testDatabaseUrl());
    proxy = await startTcpProxy({ host: database.hostname, port: Number(database.port || 5432) });
    f = await openServiceFixture(300, {}, { warehouseVia: (url) => viaProxy(url, proxy.port) });
  }, 240_000);
  afterAll(async () => {
    await f?.close();
    await proxy?.close();
  });

  it('retries the execution until the warehouse is back, then succeeds once', async () => {
    const [first] = await createSegments(f, 1);
    await waitUntil(async () => (await stageOf(f, first!.id)).stage === 'execution');
    proxy.cut();
    // Segments keep coming during the outage: they get as far as the warehouse and wait there.
    const during = await createSegments(f, 2);
    const outage = new Promise((resolve) => setTimeout(resolve, 30_000));
    await outage;
    proxy.restore();

    for (const run of [first!, ...during]) {
      await f.receiver.waitForRun(run.id, run.revision.id, 180_000);
      await expectSucceededOnce(f, run.id, run.revision.id);
    }
  });
});

describe("Co-marketer's webhook receiver failing for a minute", () => {
  let f: ServiceFixture;

  beforeAll(async () => {
    // Delivery retries at 2, 6, 14, 30 and 62 s (doubling from WEBHOOK_RETRY_DELAY_MS).
    f = await openServiceFixture(300, { WEBHOOK_RETRY_DELAY_MS: '2000' });
  }, 240_000);
  afterAll(() => f?.close());

  it('delivers every event after the receiver recovers, each under one event id', async () => {
    let failingUntil = Number.POSITIVE_INFINITY;
    f.receiver.respond = () => {
      if (failingUntil === Number.POSITIVE_INFINITY) failingUntil = Date.now() + 60_000;
      return Date.now() < failingUntil ? 503 : 200;
    };
    try {
      const created = await createSegments(f, 3);
      for (const run of created) {
        const delivery = await f.receiver.waitForRun(run.id, run.revision.id, 180_000);
        expect(delivery.event.type).toBe('segment.succeeded');
        await expectSucceededOnce(f, run.id, run.revision.id);
        const attempts = f.receiver.deliveries.filter((d) => d.event.segment.revisionId === run.revision.id);
        expect(attempts.filter((d) => d.status === 503).length).toBeGreaterThanOrEqual(4);
      }
    } finally {
      f.receiver.respond = () => 200;
    }
  });
});
