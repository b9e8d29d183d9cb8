// The whole service (gateway, a worker per queue, webhooks) against a 3-primary Redis Cluster on
// loopback, with the hash-tagged queue prefix: BullMQ's multi-key scripts must never cross slots.
import type { Segment } from '@t2s/contracts';
import { execFileSync } from 'node:child_process';
import { announceApiKeyRevocation, createRedisConnection } from '@t2s/queue';
import { waitUntil } from './testing/run-checks';
import { startRedisCluster, type RedisCluster } from './testing/redis-cluster';
import { openServiceFixture, type ServiceFixture } from './testing/service-fixture';

jest.setTimeout(180_000);

describe('the service on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let f: ServiceFixture;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    // Keys stay cached for ten minutes: a refused key below can only be the revocation's doing.
    f = await openServiceFixture(300, { REDIS_URL: cluster.url, API_KEY_CACHE_TTL_MS: '600000' });
  }, 240_000);
  afterAll(async () => {
    await f?.close();
    await cluster?.stop();
  });

  it('runs segments, revisions and webhooks end to end, every queue key in one slot', async () => {
    const created = await Promise.all(
      [0, 1, 2].map(async () => {
        const response = await f.api('POST', '/v1/segments', { body: f.request() });
        expect(response.status).toBe(202);
        return response.json() as { id: string; revision: { id: string } };
      }),
    );
    for (const run of created) await f.receiver.waitForRun(run.id, run.revision.id);
    const first = created[0] as { id: string };
    const revised = await f.api('POST', `/v1/segments/${first.id}/revisions`, {
      body: { criteria: 'Возраст от 20 до 25 лет' },
    });
    const revision = revised.json() as { revision: { id: string } };
    await f.receiver.waitForRun(first.id, revision.revision.id);

    const segments = await Promise.all(
      created.map(async (run) => (await f.api('GET', `/v1/segments/${run.id}`)).json() as Segment),
    );
    expect(segments.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(segments[0]?.revision).toBe(2);

    // Where the keys are: all on the primary that owns the prefix's slot, none anywhere else.
    const perNode = cluster.ports.map((port) =>
      Number(
        execFileSync('redis-cli', ['-p', String(port), '--scan', '--pattern', `${f.prefix}:*`])
          .toString()
          .split('\n')
          .filter(Boolean).length,
      ),
    );
    expect(perNode.filter((n) => n > 0)).toHaveLength(1);
    expect(Math.max(...perNode)).toBeGreaterThan(0);
  });

  it("counts every queue's worker for /readyz and hears a key's revocation, on the cluster", async () => {
    const ready = await f.api('GET', '/readyz', { key: null });
    expect([ready.status, ready.json()]).toEqual([
      200,
      expect.objectContaining({
        status: 'ok',
        workers: { criteria: 1, linking: 1, sql: 1, execution: 1, webhook: 1 },
      }),
    ]);

    const { record, key } = await f.store.apiKeys.create('short-lived');
    expect((await f.api('GET', '/v1/whoami', { key })).status).toBe(200);
    await f.store.apiKeys.revoke(record.id);
    const [publisher, subscriber] = [createRedisConnection(cluster.url), createRedisConnection(cluster.url)];
    try {
      // On a cluster PUBLISH counts only the subscribers on the node that took it, so the count may be 0
      // while the gateway, subscribed on another node, still hears the notice.
      await announceApiKeyRevocation({ publisher, subscriber, prefix: f.prefix, keyId: record.id });
    } finally {
      await Promise.all([publisher.quit(), subscriber.quit()]);
    }
    await waitUntil(async () => (await f.api('GET', '/v1/whoami', { key })).status === 401, 10_000);
  });
});
