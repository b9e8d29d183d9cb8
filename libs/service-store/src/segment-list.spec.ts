import { AppError } from '@t2s/contracts';
import { hashRequest } from './request-hash';
import { openTestStore, segmentRequest, type TestStore } from './store.fixture';

describe('SegmentListRepository', () => {
  let store: TestStore;
  let mine: string;
  let theirs: string;
  const created: string[] = [];

  beforeAll(async () => {
    store = await openTestStore('store_segment_list');
    mine = (await store.apiKeys.create('console')).record.id;
    theirs = (await store.apiKeys.create('other')).record.id;
    for (let i = 0; i < 5; i++) {
      const request = segmentRequest({
        offer: { product: { type: 'deposit' }, title: `Offer ${i}`, channel: 'SMS' },
      });
      const { segment } = await store.segments.createFromRequest({
        apiKeyId: mine,
        requestHash: hashRequest(request),
        request,
      });
      created.push(segment.id);
    }
    const request = segmentRequest();
    await store.segments.createFromRequest({ apiKeyId: theirs, requestHash: hashRequest(request), request });
  });
  afterAll(() => store?.close());

  it("pages a key's segments newest first, without repeats, and only its own", async () => {
    const first = await store.segmentList.page(mine, { limit: 2 });
    expect(first.items.map((s) => s.title)).toEqual(['Offer 4', 'Offer 3']);
    expect(first.items[0]).toMatchObject({
      status: 'queued',
      revision: 1,
      size: null,
      approvedRevision: null,
    });
    const second = await store.segmentList.page(mine, { limit: 2, cursor: first.nextCursor as string });
    const third = await store.segmentList.page(mine, { limit: 2, cursor: second.nextCursor as string });
    expect([...first.items, ...second.items, ...third.items].map((s) => s.id)).toEqual(
      [...created].reverse(),
    );
    expect(third.nextCursor).toBeNull();
  });

  it('lets an admin see every key, filters by status, and refuses a malformed cursor', async () => {
    expect((await store.segmentList.page(mine, { limit: 100 }, { admin: true })).items).toHaveLength(6);
    expect((await store.segmentList.page(mine, { limit: 100, status: 'succeeded' })).items).toEqual([]);
    const error = await store.segmentList
      .page(mine, { limit: 2, cursor: 'nonsense' })
      .catch((e: unknown) => e);
    expect(AppError.is(error) && error.code).toBe('INVALID_REQUEST');
  });
});
