// Fair execution, end to end: the gateway and one worker process per queue over real Redis and a seeded
// warehouse. One API key's slow SQL, or one key's batch, must not hold up another segment: the probe
// found a key's trivial segment waiting 63.8 s behind another key's query, and a re-run batch of N such
// segments blocking everyone for about N minutes.
import { randomBytes } from 'node:crypto';
import { isTerminalStatus, type Segment } from '@t2s/contracts';
import { waitUntil } from './testing/run-checks';
import { openServiceFixture, type ServiceFixture } from './testing/service-fixture';

jest.setTimeout(240_000);

// A person's SQL is stopped at this, not at SQL_TIMEOUT_MS.
const PERSON_SQL_TIMEOUT_MS = 6_000;
// What "does not hold up" means here: a segment from POST to succeeded on this shared 2-core machine.
const BOUND_MS = 3_000;

describe('fair execution (gateway, queues, workers)', () => {
  let f: ServiceFixture;
  // Marks this spec's slow SQL in pg_stat_activity (other specs may run queries as other roles meanwhile).
  const marker = `fairness_${randomBytes(4).toString('hex')}`;
  // A four-way cross join of 300 clients: 8.1e9 rows, accepted by the guard's person policy and under
  // the default cost cap (its plan costs about 2e8), hours of work: it runs until the person timeout.
  const slowSql = `select a.client_id from client a, client b, client c, client d -- ${marker}
    where a.client_id + b.client_id + c.client_id + d.client_id < 0`;

  beforeAll(async () => {
    f = await openServiceFixture(300, {
      PERSON_SQL_TIMEOUT_MS: String(PERSON_SQL_TIMEOUT_MS),
      // The defaults, spelled out: 4 execution slots, 3 per key, 2 of them for a key's batch items.
      EXECUTION_CONCURRENCY: '4',
      EXECUTION_SLOTS_PER_KEY: '3',
      EXECUTION_BATCH_SLOTS_PER_KEY: '2',
    });
  }, 240_000);
  afterAll(async () => {
    await f?.close();
  });

  const executorRole = () => decodeURIComponent(new URL(f.settings.warehouseExecutorUrl).username);
  /** This spec's slow queries running on the warehouse right now. */
  const slowQueriesRunning = async (): Promise<number> => {
    const { rows } = await f.pool.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where usename = $1 and state = 'active' and query like $2 and query not like 'explain%'`,
      [executorRole(), `%${marker}%`],
    );
    return rows[0]?.n ?? 0;
  };
  const getSegment = async (id: string, key?: string): Promise<Segment> =>
    (await f.api('GET', `/v1/segments/${id}`, key === undefined ? {} : { key })).json() as Segment;
  const finished = (segment: Segment) => isTerminalStatus(segment.status);

  /** Posts a segment (no webhook) and answers how long it took to succeed, polling its status. */
  async function timeToSucceed(key: string): Promise<{ id: string; ms: number }> {
    const started = performance.now();
    const response = await f.api('POST', '/v1/segments', {
      key,
      body: { offer: f.request().offer, options: { warehouse: f.settings.warehouseSchema } },
    });
    expect(response.status).toBe(202);
    const { id } = response.json() as { id: string };
    let segment: Segment | undefined;
    await waitUntil(async () => finished((segment = await getSegment(id, key))), 60_000);
    expect(segment).toMatchObject({ status: 'succeeded' });
    return { id, ms: performance.now() - started };
  }

  /** Key A's segments whose current SQL is the slow person SQL, each run to its end once. */
  let slowSegments: string[] = [];

  it("runs another key's segment in under 3 s while one key's five slow SQL revisions wait their turn", async () => {
    // Five segments of key A, each then given the slow SQL as a person's revision.
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await timeToSucceed(f.key)).id);
    const revisionStarted = performance.now();
    for (const id of created) {
      const response = await f.api('POST', `/v1/segments/${id}/revisions`, { body: { sql: slowSql } });
      expect(response.status).toBe(202);
    }
    // Key A gets three of the four execution slots; its other two revisions wait, deferred.
    await waitUntil(async () => (await slowQueriesRunning()) === 3, 30_000);

    const b = await timeToSucceed(f.otherKey);
    expect(b.ms).toBeLessThan(BOUND_MS);
    // Still held: B ran beside A's queries, not after them.
    expect(await slowQueriesRunning()).toBe(3);

    // Each of A's revisions ends at the person timeout (not SQL_TIMEOUT_MS, a minute), three at a time.
    const ends = await Promise.all(
      created.map(async (id) => {
        let segment: Segment | undefined;
        await waitUntil(async () => finished((segment = await getSegment(id))), 120_000);
        return segment as Segment;
      }),
    );
    const allDoneMs = performance.now() - revisionStarted;
    for (const segment of ends) {
      expect(segment).toMatchObject({
        status: 'failed',
        error: { code: 'SQL_TIMEOUT', stage: 'execution' },
      });
    }
    // Two rounds of the person timeout (3 + 2 queries), far from five, and far from a minute each.
    expect(allDoneMs).toBeGreaterThan(2 * PERSON_SQL_TIMEOUT_MS);
    expect(allDoneMs).toBeLessThan(4 * PERSON_SQL_TIMEOUT_MS);

    // The audit trail says who wrote each SQL: the revisions' runs are the person's, every earlier
    // entry (each segment's first run, with its funnel count) generated.
    const schema = `"${f.settings.env?.['SERVICE_DATABASE_SCHEMA'] as string}"`;
    const audit = await f.pool.query<{ origin: string | null; code: string | null; n: number }>(
      `select origin, code, count(*)::int as n from ${schema}.sql_audit
        where segment_id = any($1) group by origin, code order by origin, code`,
      [created],
    );
    expect(audit.rows.filter((row) => row.origin !== 'generated')).toEqual([
      { origin: 'person', code: 'SQL_TIMEOUT', n: 5 },
    ]);
    expect(
      audit.rows.find((row) => row.origin === 'generated' && row.code === null)?.n,
    ).toBeGreaterThanOrEqual(5);
    slowSegments = created;
  });

  it("keeps a key's re-run batch of slow segments to two slots: the key's own segment runs in under 3 s", async () => {
    expect(slowSegments).toHaveLength(5);
    const response = await f.api('POST', '/v1/batches', { body: { rerun: slowSegments } });
    expect(response.status).toBe(202);
    // The batch lane of key A has two slots; the key's third is left for its single segments.
    await waitUntil(async () => (await slowQueriesRunning()) === 2, 30_000);
    const single = await timeToSucceed(f.key);
    expect(single.ms).toBeLessThan(BOUND_MS);
    expect(await slowQueriesRunning()).toBe(2);
    // And another key's segment is not held up either.
    expect((await timeToSucceed(f.otherKey)).ms).toBeLessThan(BOUND_MS);
    expect(await slowQueriesRunning()).toBe(2);
    await waitUntil(
      async () => (await Promise.all(slowSegments.map((id) => getSegment(id)))).every(finished),
      120_000,
    );
  });

  it('takes a segment posted after a batch of 100 before the batch items, at every stage', async () => {
    const items = Array.from({ length: 100 }, () => ({
      offer: f.request().offer,
      options: { warehouse: f.settings.warehouseSchema },
    }));
    const response = await f.api('POST', '/v1/batches', { key: f.otherKey, body: { segments: items } });
    expect(response.status).toBe(202);
    const batch = response.json() as { id: string };
    const single = await timeToSucceed(f.otherKey);
    expect(single.ms).toBeLessThan(BOUND_MS);
    const batchNow = async () =>
      (await f.api('GET', `/v1/batches/${batch.id}`, { key: f.otherKey })).json() as {
        status: string;
        progress: { total: number; succeeded: number; failed: number };
      };
    // The single did not wait for the batch: most of its items had not finished when it had.
    const { progress } = await batchNow();
    expect(progress.succeeded + progress.failed).toBeLessThan(50);
    await waitUntil(async () => (await batchNow()).status === 'completed', 180_000);
    expect((await batchNow()).progress).toMatchObject({ total: 100, succeeded: 100 });
  });
});
