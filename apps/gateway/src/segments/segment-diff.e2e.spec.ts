// What changed between runs, over HTTP through the production entry point: the diff of a re-run, its
// entered and left exports as CSV, the clear 404s before there is anything to compare, another key's
// segment, and the sums in a re-run batch's report. No worker runs: the test executes each run through
// the service store, as the execution stage does (beginRun, appendIds, completeRun, succeed).
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import type { Batch, RunDiff, SegmentAccepted } from '@t2s/contracts';
import { createRedisConnection } from '@t2s/queue';
import { createRepositories } from '@t2s/service-store';
import { MAIN_ENTRY, spawnGateway, stopGateway, type GatewayProcess } from '../testing/spawn-gateway';

const SERVICE_DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const offer = { product: { type: 'credit_card' }, title: 'Молодёжная кредитная карта', channel: 'PUSH' };

describe('segment diff (gateway)', () => {
  const schema = `gw_diff_${randomBytes(4).toString('hex')}`;
  // A prefix no worker serves: the runs wait in Redis and the test executes them itself.
  const prefix = `{t2s-gw-diff-${randomBytes(4).toString('hex')}}`;
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
    // The gateway migrated the schema on start.
    store = createRepositories(pool, schema);
    key = (await store.apiKeys.create('co-marketer')).key;
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
    options: { body?: unknown; as?: string; accept?: string } = {},
  ) =>
    fetch(`${gateway.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.as ?? key}`,
        ...(options.accept ? { accept: options.accept } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });

  async function expectNotFound(response: Response, message: RegExp): Promise<void> {
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND', message } });
  }

  /** Runs the segment's current revision as the execution stage would, with these ids as its result. */
  async function execute(segmentId: string, ids: string[]): Promise<void> {
    const segment = (await store.segments.findById(segmentId))!;
    const revisionId = segment.currentRevisionId;
    if (segment.sql === null) {
      expect(await store.segments.saveCriteria(segmentId, revisionId, { text: 'young', items: [] })).toBe(
        true,
      );
      expect(await store.segments.saveSql(segmentId, revisionId, 'SELECT client_id FROM bank.client')).toBe(
        true,
      );
    }
    const runId = (await store.members.beginRun(segmentId, revisionId))!;
    await store.members.appendIds(runId, ids);
    expect((await store.members.completeRun(runId)).completed).toBe(true);
    expect(await store.segments.succeed(segmentId, revisionId, { sampleIds: ids.slice(0, 2) })).toBe(true);
  }

  async function newSegment(): Promise<string> {
    const response = await call('POST', '/v1/segments', { body: { offer } });
    expect(response.status).toBe(202);
    return ((await response.json()) as SegmentAccepted).id;
  }

  it('says there is nothing to compare before a result and for the first result', async () => {
    const id = await newSegment();
    await expectNotFound(await call('GET', `/v1/segments/${id}/diff`), /no result yet/);
    await execute(id, ['1', '2', '3']);
    await expectNotFound(await call('GET', `/v1/segments/${id}/diff`), /first/);
    // The exports answer the same JSON error, not an empty CSV.
    await expectNotFound(await call('GET', `/v1/segments/${id}/diff/entered`), /first/);
    await expectNotFound(await call('GET', `/v1/segments/${id}/diff/left`), /first/);
  });

  it("serves a re-run's diff, streams who entered and who left as CSV, and hides it from another key", async () => {
    const id = await newSegment();
    await execute(id, ['1', '2', '3']);
    expect((await call('POST', `/v1/segments/${id}/rerun`)).status).toBe(202);
    await expectNotFound(await call('GET', `/v1/segments/${id}/diff`), /newer revision is running/);
    await execute(id, ['2', '3', '4', '5']);

    const response = await call('GET', `/v1/segments/${id}/diff`);
    expect(response.status).toBe(200);
    const diff = (await response.json()) as RunDiff;
    expect(diff).toEqual({
      segmentId: id,
      runId: expect.any(String),
      previousRunId: expect.any(String),
      revision: 2,
      previousRevision: 1,
      attribution: 'data',
      entered: 2,
      left: 1,
      stayed: 2,
      at: expect.any(String),
      links: { entered: `/v1/segments/${id}/diff/entered`, left: `/v1/segments/${id}/diff/left` },
    });

    const entered = await call('GET', diff.links.entered);
    expect(entered.status).toBe(200);
    expect(entered.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(entered.headers.get('content-disposition')).toBe(
      `attachment; filename="segment-${id}-entered.csv"`,
    );
    expect(await entered.text()).toBe('client_id\n4\n5\n');
    const left = await call('GET', diff.links.left);
    expect(await left.text()).toBe('client_id\n1\n');

    for (const path of ['diff', 'diff/entered', 'diff/left']) {
      await expectNotFound(await call('GET', `/v1/segments/${id}/${path}`, { as: otherKey }), /No segment/);
    }
    expect((await call('GET', '/v1/segments/not-a-uuid/diff')).status).toBe(400);
  });

  it("attributes a person's SQL to the definition", async () => {
    const id = await newSegment();
    await execute(id, ['1', '2']);
    const revised = await call('POST', `/v1/segments/${id}/revisions`, {
      body: { sql: 'SELECT client_id FROM bank.client WHERE client_id < 100' },
    });
    expect(revised.status).toBe(202);
    await execute(id, ['1']);
    expect(await (await call('GET', `/v1/segments/${id}/diff`)).json()).toMatchObject({
      attribution: 'definition',
      entered: 0,
      left: 1,
      stayed: 1,
    });
  });

  it("sums a re-run batch's diffs in its report", async () => {
    const [a, b] = [await newSegment(), await newSegment()];
    await execute(a, ['1', '2']);
    await execute(b, ['7']);
    const created = await call('POST', '/v1/batches', { body: { rerun: [a, b] } });
    expect(created.status).toBe(202);
    const batch = (await created.json()) as Batch;
    expect(batch.changes).toEqual({
      compared: 0,
      entered: 0,
      left: 0,
      stayed: 0,
      attribution: { data: 0, definition: 0 },
    });
    await execute(a, ['2', '3', '4']);
    await execute(b, ['7']);
    const report = (await (await call('GET', batch.links.self)).json()) as Batch;
    expect(report.changes).toEqual({
      compared: 2,
      entered: 2,
      left: 1,
      stayed: 2,
      attribution: { data: 2, definition: 0 },
    });
  });
});
