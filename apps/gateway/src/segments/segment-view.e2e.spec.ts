// GET /v1/segments/{id} over HTTP through the production entry point: the body as the contract's view
// of the stored segment, the ETag of a finished one and 304 on If-None-Match, a fresh body after an
// approval or a revision made through the API, and none of it for another key. No worker runs: the test
// executes the run through the service store, as the execution stage does.
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import type { SegmentAccepted } from '@t2s/contracts';
import { createRedisConnection } from '@t2s/queue';
import { createRepositories, toApiView } from '@t2s/service-store';
import { MAIN_ENTRY, spawnGateway, stopGateway, type GatewayProcess } from '../testing/spawn-gateway';

const SERVICE_DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const offer = { product: { type: 'credit_card' }, title: 'Молодёжная кредитная карта', channel: 'PUSH' };

describe('segment view (gateway)', () => {
  const schema = `gw_view_${randomBytes(4).toString('hex')}`;
  // A prefix no worker serves: the runs wait in Redis and the test executes them itself.
  const prefix = `{t2s-gw-view-${randomBytes(4).toString('hex')}}`;
  let pool: Pool;
  let store: ReturnType<typeof createRepositories>;
  let gateway: GatewayProcess;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    pool = new Pool({ connectionString: SERVICE_DB, max: 2 });
    gateway = await spawnGateway(MAIN_ENTRY, {
      PORT: '0',
      SERVICE_DATABASE_URL: SERVICE_DB,
      SERVICE_DATABASE_SCHEMA: schema,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      WAREHOUSE_URL: '',
    });
    store = createRepositories(pool, schema);
    const created = await store.apiKeys.create('co-marketer');
    key = created.key;
    otherKey = (await store.apiKeys.create('another-system')).key;
  });

  afterAll(async () => {
    if (gateway) expect(await stopGateway(gateway, 5_000)).toEqual({ code: 0, signal: null });
    await pool?.query(`drop schema if exists ${schema} cascade`);
    await pool?.end();
    const redis = createRedisConnection(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const call = (
    method: string,
    path: string,
    options: { body?: unknown; as?: string; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${gateway.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.as ?? key}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });

  /** Runs the segment's current revision to the end as the stages would, every pass closed. */
  async function execute(segmentId: string): Promise<void> {
    const segment = (await store.segments.findById(segmentId))!;
    const revisionId = segment.currentRevisionId;
    for (const stage of ['criteria', 'linking', 'sql', 'execution'] as const) {
      const ref = { segmentId, revisionId, stage, pass: 0 };
      expect(await store.segments.startStage(ref)).toBe(true);
      if (stage === 'criteria') {
        const items = [{ id: 'c1', text: 'young', kind: 'include' as const }];
        await store.segments.saveCriteria(segmentId, revisionId, { text: 'young', items });
      }
      if (stage === 'sql') await store.segments.saveSql(segmentId, revisionId, 'SELECT client_id FROM c');
      if (stage === 'execution') {
        const runId = (await store.members.beginRun(segmentId, revisionId))!;
        await store.members.appendIds(runId, ['1', '2', '3']);
        await store.members.completeRun(runId);
        expect(await store.segments.succeed(segmentId, revisionId, { sampleIds: ['1', '2'] })).toBe(true);
      }
      await store.segments.finishStage(ref, { outcome: 'succeeded', tokens: 3 });
    }
  }

  /** The view of the stored segment as the contract's JSON: what the route answered before the cache. */
  const stored = async (id: string) =>
    JSON.parse(JSON.stringify(toApiView((await store.segments.findById(id))!))) as unknown;

  it('answers a running segment whole each time, without an ETag', async () => {
    const response = await call('POST', '/v1/segments', { body: { offer } });
    const { id } = (await response.json()) as SegmentAccepted;
    const view = await call('GET', `/v1/segments/${id}`);
    expect(view.status).toBe(200);
    expect(view.headers.get('etag')).toBeNull();
    expect(view.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await view.json()).toEqual(await stored(id));
  });

  it('serves a finished segment with an ETag, 304 to If-None-Match, and a new one after an approval or revision', async () => {
    // Idempotency still holds: the same key and body is the same segment.
    const headers = { 'idempotency-key': `view-${randomBytes(4).toString('hex')}` };
    const first = (await (
      await call('POST', '/v1/segments', { body: { offer }, headers })
    ).json()) as SegmentAccepted;
    const again = await call('POST', '/v1/segments', { body: { offer }, headers });
    expect(again.status).toBe(202);
    expect(((await again.json()) as SegmentAccepted).id).toBe(first.id);
    const path = `/v1/segments/${first.id}`;
    await execute(first.id);

    const view = await call('GET', path);
    expect(view.status).toBe(200);
    const etag = view.headers.get('etag') as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await view.json()).toEqual(await stored(first.id));
    // Twice: the second answer comes from the cache, byte for byte the same.
    const cached = await call('GET', path);
    expect(cached.headers.get('etag')).toBe(etag);
    expect(await cached.json()).toEqual(await stored(first.id));

    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const notModified = await call('GET', path, { headers: { 'if-none-match': ifNoneMatch } });
      expect(notModified.status).toBe(304);
      expect(notModified.headers.get('etag')).toBe(etag);
      expect(await notModified.text()).toBe('');
    }
    const otherTag = await call('GET', path, { headers: { 'if-none-match': '"other"' } });
    expect(otherTag.status).toBe(200);

    // Another key's segment does not exist for it, cached or not, conditional or not.
    for (const headers of [{}, { 'if-none-match': etag }] as Record<string, string>[]) {
      const foreign = await call('GET', path, { as: otherKey, headers });
      expect(foreign.status).toBe(404);
      expect(await foreign.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }

    const approval = await call('POST', `${path}/approval`, { body: { author: 'anna' } });
    expect(approval.status).toBe(200);
    const approved = await call('GET', path, { headers: { 'if-none-match': etag } });
    expect(approved.status).toBe(200);
    expect(approved.headers.get('etag')).not.toBe(etag);
    expect(await approved.json()).toMatchObject({ approval: { revision: 1, author: 'anna' } });

    const revision = await call('POST', `${path}/revisions`, { body: { sql: 'SELECT client_id FROM d' } });
    expect(revision.status).toBe(202);
    const queued = await call('GET', path, { headers: { 'if-none-match': etag } });
    expect(queued.status).toBe(200);
    expect(queued.headers.get('etag')).toBeNull();
    expect(await queued.json()).toMatchObject({ status: 'queued', revision: 2 });
  });
});
