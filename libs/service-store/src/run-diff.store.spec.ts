import type { Criterion } from '@t2s/contracts';
import { hashRequest } from './request-hash';
import { openTestStore, segmentRequest, type TestStore } from './store.fixture';

const AGE: Criterion = { id: 'c1', text: 'age 18-25', kind: 'include' };
const CITY: Criterion = { id: 'c2', text: 'lives in Moscow', kind: 'include' };

describe('RunDiffStore (diffs recorded by MemberStore.completeRun)', () => {
  let store: TestStore;
  let apiKeyId: string;

  beforeAll(async () => {
    store = await openTestStore('store_diff');
    apiKeyId = (await store.apiKeys.create('diffs')).record.id;
  });
  afterAll(() => store?.close());

  /** A segment whose criteria and SQL stages ran; `ready` the current revision's definition. */
  async function newSegment(): Promise<string> {
    const request = segmentRequest();
    const { segment } = await store.segments.createFromRequest({
      apiKeyId,
      requestHash: hashRequest(request),
      request,
    });
    await define(segment.id, [AGE], 'SELECT client_id FROM client WHERE age < 26');
    return segment.id;
  }

  async function revisionOf(segmentId: string): Promise<string> {
    return (await store.segments.findById(segmentId))!.currentRevisionId;
  }

  async function define(segmentId: string, items: Criterion[], sql: string): Promise<void> {
    const revisionId = await revisionOf(segmentId);
    expect(await store.segments.saveCriteria(segmentId, revisionId, { text: 't', items })).toBe(true);
    expect(await store.segments.saveSql(segmentId, revisionId, sql)).toBe(true);
  }

  /** One execution of the current revision that completes and succeeds with these ids; its run id. */
  async function execute(segmentId: string, ids: string[]): Promise<string> {
    const revisionId = await revisionOf(segmentId);
    const runId = (await store.members.beginRun(segmentId, revisionId))!;
    await store.members.appendIds(runId, ids);
    expect((await store.members.completeRun(runId)).completed).toBe(true);
    expect(await store.segments.succeed(segmentId, revisionId, { sampleIds: ids.slice(0, 3) })).toBe(true);
    return runId;
  }

  async function exported(runId: string, change: 'entered' | 'left'): Promise<string[]> {
    const all: string[] = [];
    for await (const batch of store.diffs.stream(runId, change, { batchSize: 2 })) all.push(...batch);
    return all;
  }

  const rowsOf = async (table: string, runId: string) =>
    Number(
      (
        await store.pool.query<{ n: string }>(
          `select count(*) as n from ${store.schema}.${table} where run_id = $1`,
          [runId],
        )
      ).rows[0]?.n,
    );

  it('has no diff before a result, and none (null, not zeros) for the first result', async () => {
    const id = await newSegment();
    expect(await store.diffs.current(id)).toEqual({ result: false, diff: null });
    await execute(id, ['1', '2']);
    expect(await store.diffs.current(id)).toEqual({ result: true, diff: null });
  });

  it('counts entered, left and stayed for a re-run of the same definition, attributed to data', async () => {
    const id = await newSegment();
    const first = await execute(id, ['1', '2', '3', '4']);
    await store.segments.rerun(id, apiKeyId);
    expect(await store.diffs.current(id)).toEqual({ result: false, diff: null }); // the re-run is running
    const second = await execute(id, ['3', '4', '5', '6', '7']);

    const { diff } = await store.diffs.current(id);
    expect(diff).toEqual({
      segmentId: id,
      runId: second,
      previousRunId: first,
      revisionNumber: 2,
      previousRevisionNumber: 1,
      attribution: 'data',
      entered: 3,
      left: 2,
      stayed: 2,
      at: expect.any(Date),
    });
    expect(await exported(second, 'entered')).toEqual(['5', '6', '7']);
    expect(await exported(second, 'left')).toEqual(['1', '2']);
    // The previous result's ids are gone once the diff is taken.
    expect(await rowsOf('segment_member', first)).toBe(0);
  });

  it('attributes a new SQL, or new criteria with the same SQL, to the definition', async () => {
    const id = await newSegment();
    await execute(id, ['1', '2']);
    await store.segments.addRevision(id, { sql: 'SELECT client_id FROM client WHERE age < 30' }, apiKeyId);
    await execute(id, ['1', '2', '3']);
    expect((await store.diffs.current(id)).diff).toMatchObject({
      attribution: 'definition',
      entered: 1,
      left: 0,
      stayed: 2,
    });

    // A re-run of the person's SQL: the same definition again.
    await store.segments.rerun(id, apiKeyId);
    await execute(id, ['1', '2', '3']);
    expect((await store.diffs.current(id)).diff).toMatchObject({
      attribution: 'data',
      revisionNumber: 3,
      previousRevisionNumber: 2,
      entered: 0,
      left: 0,
      stayed: 3,
    });

    // New criteria that happen to give the same SQL are still a new definition.
    await store.segments.addRevision(id, { criteria: 'age 18-25 in Moscow' }, apiKeyId);
    await define(id, [AGE, CITY], 'SELECT client_id FROM client WHERE age < 30');
    await execute(id, ['1', '2', '3']);
    expect((await store.diffs.current(id)).diff).toMatchObject({ attribution: 'definition', stayed: 3 });
  });

  it('takes no diff from a failed run, and compares the next result with the last one, kept meanwhile', async () => {
    const id = await newSegment();
    const first = await execute(id, ['1', '2', '3']);
    await store.segments.rerun(id, apiKeyId);
    const failed = (await store.members.beginRun(id, await revisionOf(id)))!;
    await store.members.appendIds(failed, ['9']);
    expect(await store.members.discardRun(failed)).toBe(true);
    // The failed run's ids are purged, the last result's are kept for the next diff.
    expect(await rowsOf('segment_member', failed)).toBe(0);
    expect(await rowsOf('segment_member', first)).toBe(3);
    expect(await rowsOf('segment_run_diff', failed)).toBe(0);

    const next = await execute(id, ['2', '3', '4']);
    expect((await store.diffs.current(id)).diff).toMatchObject({
      runId: next,
      previousRunId: first,
      attribution: 'data',
      entered: 1,
      left: 1,
      stayed: 2,
    });
  });

  it('takes no diff from a superseded run, and keeps only the latest diff of a segment', async () => {
    const id = await newSegment();
    const first = await execute(id, ['1', '2']);
    await store.segments.rerun(id, apiKeyId);
    const second = await execute(id, ['2', '3']);
    expect(await rowsOf('segment_run_change', second)).toBe(2);

    // A run of a revision superseded before it completed is discarded: no diff, no baseline.
    await store.segments.rerun(id, apiKeyId);
    const stale = (await store.members.beginRun(id, await revisionOf(id)))!;
    await store.members.appendIds(stale, ['x', 'y']);
    await store.segments.rerun(id, apiKeyId);
    expect(await store.members.completeRun(stale)).toEqual({ completed: false, rows: 0 });
    expect(await rowsOf('segment_run_diff', stale)).toBe(0);

    const fourth = await execute(id, ['3', '4']);
    expect((await store.diffs.current(id)).diff).toMatchObject({
      runId: fourth,
      previousRunId: second,
      revisionNumber: 4,
      previousRevisionNumber: 2,
      entered: 1,
      left: 1,
      stayed: 1,
    });
    // The earlier diff and its ids were pruned with its run.
    expect(await rowsOf('segment_run_diff', second)).toBe(0);
    expect(await rowsOf('segment_run_change', second)).toBe(0);
    expect(first).not.toBe(second);
  });

  it('judges a result completed before hashes were recorded by the revisions in between', async () => {
    const id = await newSegment();
    const clearHashes = (runId: string) =>
      store.pool.query(
        `update ${store.schema}.segment_run set sql_hash = null, criteria_hash = null where id = $1`,
        [runId],
      );
    await clearHashes(await execute(id, ['1']));
    await store.segments.rerun(id, apiKeyId);
    await clearHashes(await execute(id, ['1', '2']));
    expect((await store.diffs.current(id)).diff).toMatchObject({ attribution: 'data', entered: 1 });
    await store.segments.addRevision(id, { sql: 'SELECT client_id FROM client' }, apiKeyId);
    await store.segments.rerun(id, apiKeyId);
    await execute(id, ['2']);
    expect((await store.diffs.current(id)).diff).toMatchObject({ attribution: 'definition', left: 1 });
  });

  it('records the diff once when completion is repeated', async () => {
    const id = await newSegment();
    await execute(id, ['1']);
    await store.segments.rerun(id, apiKeyId);
    const run = await execute(id, ['1', '2']);
    expect(await store.members.completeRun(run)).toEqual({ completed: true, rows: 2 });
    expect((await store.diffs.current(id)).diff).toMatchObject({ entered: 1, left: 0, stayed: 1 });
    expect(await rowsOf('segment_run_change', run)).toBe(1);
  });

  it("sums a re-run batch's diffs over the items whose run from the batch is the visible result", async () => {
    const [a, b, c, d] = await Promise.all([newSegment(), newSegment(), newSegment(), newSegment()]);
    await execute(a, ['1', '2']);
    await execute(b, ['1', '2', '3']);
    await execute(c, ['1']);
    // d never had a result: its re-run is its first.
    const items = [];
    for (const id of [a, b, c, d]) {
      items.push({ segmentId: id, revisionId: (await store.segments.rerun(id, apiKeyId))!.id });
    }
    const batchId = await store.batches.create({ apiKeyId, kind: 'rerun', items });
    const empty = { compared: 0, entered: 0, left: 0, stayed: 0, attribution: { data: 0, definition: 0 } };
    expect((await store.batches.get(batchId, apiKeyId))?.changes).toEqual(empty);

    await execute(a, ['2', '3', '4']); // entered 2, left 1, stayed 1
    await execute(b, ['1', '2', '3']); // stayed 3
    await store.segments.addRevision(c, { sql: 'SELECT 1' }, apiKeyId); // superseded: not the batch's run
    await execute(c, ['5']);
    await execute(d, ['1']);
    expect((await store.batches.get(batchId, apiKeyId))?.changes).toEqual({
      compared: 2,
      entered: 2,
      left: 1,
      stayed: 4,
      attribution: { data: 2, definition: 0 },
    });

    const created = await store.batches.create({ apiKeyId, kind: 'segments', items: [{ segmentId: a }] });
    expect((await store.batches.get(created, apiKeyId))?.changes).toBeNull();
  });

  it('refuses to export a diff that does not exist', async () => {
    const iterate = async () => {
      for await (const _ of store.diffs.stream('00000000-0000-0000-0000-000000000000', 'left')) return;
    };
    await expect(iterate()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
