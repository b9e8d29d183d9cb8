import { hashRequest, toApiView } from '@t2s/service-store';
import { openTestStore, segmentRequest, type TestStore } from '@t2s/service-store/testing';
import { matchesIfNoneMatch, SegmentViewCache } from './segment-view-cache';

describe('SegmentViewCache', () => {
  let store: TestStore;
  let key: string;

  beforeAll(async () => {
    store = await openTestStore('gw_view_cache');
    key = (await store.apiKeys.create('a')).record.id;
  });
  afterAll(() => store?.close());

  /** A segment whose run finished: every pass closed, a result stored. */
  async function finished(): Promise<string> {
    const request = segmentRequest({ criteria: 'Возраст 20-25 лет' });
    const { segment } = await store.segments.createFromRequest({
      apiKeyId: key,
      requestHash: hashRequest(request),
      request,
    });
    const revisionId = segment.currentRevisionId;
    for (const stage of ['criteria', 'linking', 'sql', 'execution'] as const) {
      const ref = { segmentId: segment.id, revisionId, stage, pass: 0 };
      await store.segments.startStage(ref);
      if (stage === 'criteria') {
        const items = [{ id: 'c1', text: 'Возраст 20-25 лет', kind: 'include' as const }];
        await store.segments.saveCriteria(segment.id, revisionId, { text: 'Возраст 20-25 лет', items });
      }
      if (stage === 'sql') {
        const own = { id: 'c1', sql: 'SELECT 1', columns: [{ table: 'client', column: 'birth_date' }] };
        await store.segments.saveSql(segment.id, revisionId, 'SELECT 1', [own]);
      }
      if (stage === 'execution') {
        const runId = (await store.members.beginRun(segment.id, revisionId))!;
        await store.members.appendIds(runId, ['1', '2', '3']);
        await store.members.completeRun(runId);
        await store.segments.succeed(segment.id, revisionId, {
          sampleIds: ['1', '2'],
          perCriterionCounts: { c1: 3 },
          funnel: [{ criterion: 'c1', remaining: 3 }],
        });
      }
      await store.segments.finishStage(ref, { outcome: 'succeeded', tokens: 5, prompt: `${stage}.v1` });
    }
    return segment.id;
  }

  const caller = () => ({ id: key, admin: false });
  /** What the route answered before the cache: Fastify's JSON.stringify of the use case's view. */
  const uncached = async (id: string) => JSON.stringify(toApiView((await store.segments.get(id, key))!));

  it('serves the same bytes the route sent before, with every field, and an ETag once finished', async () => {
    const id = await finished();
    const cache = new SegmentViewCache(store.segments);
    const first = await cache.read(caller(), id);
    expect(first?.body.toString()).toBe(await uncached(id));
    expect(Object.keys(JSON.parse(first!.body.toString()))).toEqual(
      Object.keys(toApiView((await store.segments.get(id, key))!)),
    );
    expect(first?.etag).toMatch(/^"[0-9a-f]{32}"$/);

    // Held: only the version is read again.
    const full = jest.spyOn(store.segments, 'getForView');
    const again = await cache.read(caller(), id);
    expect(full).not.toHaveBeenCalled();
    full.mockRestore();
    expect(again).toEqual(first);
  });

  it('reads the view again after an approval or a revision, and keeps no running view', async () => {
    const id = await finished();
    const cache = new SegmentViewCache(store.segments);
    const before = await cache.read(caller(), id);
    await store.approvals.approve(id, { author: 'anna', authorKeyId: key });
    const approved = await cache.read(caller(), id);
    expect(approved?.etag).not.toBe(before?.etag);
    expect(JSON.parse(approved!.body.toString())).toMatchObject({
      approval: { revision: 1, author: 'anna' },
    });
    expect(approved?.body.toString()).toBe(await uncached(id));

    await store.segments.rerun(id, key);
    const running = await cache.read(caller(), id);
    expect(running?.etag).toBeNull();
    expect(JSON.parse(running!.body.toString())).toMatchObject({ status: 'queued', revision: 2 });
  });

  it('holds views up to its byte bound, dropping the least recently used', async () => {
    const [a, b] = [await finished(), await finished()];
    const size = (await new SegmentViewCache(store.segments).read(caller(), a))!.body.length;
    const cache = new SegmentViewCache(store.segments, size + size / 2);
    await cache.read(caller(), a);
    await cache.read(caller(), b);
    const full = jest.spyOn(store.segments, 'getForView');
    await cache.read(caller(), b);
    expect(full).not.toHaveBeenCalled();
    await cache.read(caller(), a);
    expect(full).toHaveBeenCalledTimes(1);
    full.mockRestore();
  });

  it("answers null for another key's segment, even when it is held", async () => {
    const id = await finished();
    const cache = new SegmentViewCache(store.segments);
    await cache.read(caller(), id);
    const other = (await store.apiKeys.create('b')).record.id;
    expect(await cache.read({ id: other, admin: false }, id)).toBeNull();
    expect(await cache.read({ id: other, admin: true }, id)).not.toBeNull();
  });

  it('matches If-None-Match as RFC 9110 says (weak comparison, lists, *)', () => {
    expect(matchesIfNoneMatch(undefined, '"a"')).toBe(false);
    expect(matchesIfNoneMatch('"a"', '"a"')).toBe(true);
    expect(matchesIfNoneMatch('W/"a"', '"a"')).toBe(true);
    expect(matchesIfNoneMatch('"b", "a"', '"a"')).toBe(true);
    expect(matchesIfNoneMatch('*', '"a"')).toBe(true);
    expect(matchesIfNoneMatch('"b"', '"a"')).toBe(false);
  });
});
