import { AppError } from '@t2s/contracts';
import { hashRequest } from './request-hash';
import type { SegmentRecord } from './segment.record';
import { openTestStore, segmentRequest, type TestStore } from './store.fixture';

describe('MemberStore', () => {
  let store: TestStore;
  let apiKeyId: string;

  beforeAll(async () => {
    store = await openTestStore('store_members');
    apiKeyId = (await store.apiKeys.create('members')).record.id;
  });
  afterAll(() => store?.close());

  async function newSegment(): Promise<SegmentRecord> {
    const request = segmentRequest();
    return (await store.segments.createFromRequest({ apiKeyId, requestHash: hashRequest(request), request }))
      .segment;
  }

  const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + i));

  it('exposes only the completed run: the first, failed run is discarded and not counted', async () => {
    const segment = await newSegment();
    const first = (await store.members.beginRun(segment.id, segment.currentRevisionId))!;
    await store.members.appendIds(first, ['a1', 'a2', 'shared']);
    expect(await store.members.discardRun(first)).toBe(true);
    expect(await store.members.appendIds(first, ['late'])).toBe(0); // a discarded run takes no more ids

    const second = (await store.members.beginRun(segment.id, segment.currentRevisionId))!;
    expect(await store.members.page(segment.id, { limit: 10 })).toBeNull(); // nothing visible while running
    expect(await store.members.appendIds(second, ['b2', 'shared', 'b1', 'b1'])).toBe(3);
    expect(await store.members.appendIds(second, ['b2'])).toBe(0); // a re-read chunk
    expect(await store.members.completeRun(second)).toEqual({ completed: true, rows: 3 });
    expect(await store.members.completeRun(second)).toEqual({ completed: true, rows: 3 }); // repeated

    expect(await store.members.page(segment.id, { limit: 10 })).toEqual({
      ids: ['b1', 'b2', 'shared'],
      nextCursor: null,
    });
    const after = await store.segments.findById(segment.id);
    expect(after).toMatchObject({ currentRunId: second, resultSize: 3 });
    const { rows } = await store.test.client.query(
      `select count(*)::int as n from ${store.schema}.segment_member where run_id = $1`,
      [first],
    );
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('discards an older run still running when a newer one completes', async () => {
    const segment = await newSegment();
    const slow = (await store.members.beginRun(segment.id, segment.currentRevisionId))!;
    const retry = (await store.members.beginRun(segment.id, segment.currentRevisionId))!;
    await store.members.appendIds(slow, ['x']);
    await store.members.appendIds(retry, ['y', 'z']);
    expect(await store.members.completeRun(retry)).toEqual({ completed: true, rows: 2 });
    expect(await store.members.completeRun(slow)).toEqual({ completed: false, rows: 0 });
    expect(await store.members.page(segment.id, { limit: 10 })).toEqual({
      ids: ['y', 'z'],
      nextCursor: null,
    });
    expect((await store.segments.findById(segment.id))?.resultSize).toBe(2);
  });

  it('does not complete a run of a superseded revision', async () => {
    const segment = await newSegment();
    const run = (await store.members.beginRun(segment.id, segment.currentRevisionId))!;
    await store.members.appendIds(run, ['1']);
    await store.segments.addRevision(segment.id, { sql: 'SELECT 2' }, apiKeyId);
    expect(await store.members.completeRun(run)).toEqual({ completed: false, rows: 0 });
    expect(await store.members.page(segment.id, { limit: 10 })).toBeNull();
  });

  it('pages every id exactly once, in order, and refuses a cursor of an earlier result', async () => {
    const segment = await newSegment();
    const run = (await store.members.beginRun(segment.id, segment.currentRevisionId))!;
    const all = ids(1000, 3500);
    await store.members.appendIds(run, [...all].reverse());
    await store.members.completeRun(run);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = (await store.members.page(segment.id, { cursor, limit: 700 }))!;
      seen.push(...page.ids);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined);
    expect(pages).toBe(4);
    expect(seen).toEqual([...all].sort());

    const firstPage = (await store.members.page(segment.id, { limit: 10 }))!;
    const rerun = (await store.members.beginRun(segment.id, segment.currentRevisionId))!;
    await store.members.appendIds(rerun, ['only']);
    await store.members.completeRun(rerun);
    const stale = await store.members
      .page(segment.id, { cursor: firstPage.nextCursor!, limit: 10 })
      .catch((e) => e);
    expect(AppError.is(stale) && stale.code).toBe('INVALID_REQUEST');
    const garbage = await store.members.page(segment.id, { cursor: 'nonsense', limit: 10 }).catch((e) => e);
    expect(AppError.is(garbage) && garbage.code).toBe('INVALID_REQUEST');
  });

  it('streams 100k ids in order, in bounded batches', async () => {
    const segment = await newSegment();
    const run = (await store.members.beginRun(segment.id, segment.currentRevisionId))!;
    const all = ids(100_000, 200_000);
    await store.members.appendIds(run, all);
    expect(await store.members.completeRun(run)).toEqual({ completed: true, rows: 100_000 });

    let count = 0;
    let batches = 0;
    let previous = '';
    let ordered = true;
    for await (const batch of store.members.stream(segment.id, { batchSize: 8_000 })) {
      expect(batch.length).toBeLessThanOrEqual(8_000);
      batches += 1;
      for (const id of batch) {
        if (id <= previous) ordered = false;
        previous = id;
        count += 1;
      }
    }
    expect({ count, batches, ordered, last: previous }).toEqual({
      count: 100_000,
      batches: 13,
      ordered: true,
      last: '199999',
    });
  });

  it('refuses to stream a segment without a result', async () => {
    const segment = await newSegment();
    const iterate = async () => {
      for await (const _ of store.members.stream(segment.id)) return;
    };
    await expect(iterate()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
