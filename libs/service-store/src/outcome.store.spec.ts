import { controlGroupOf } from './control-group';
import { hashRequest } from './request-hash';
import { openTestStore, segmentRequest, type TestStore } from './store.fixture';

describe('OutcomeStore', () => {
  let store: TestStore;
  let apiKeyId: string;
  let otherKeyId: string;

  beforeAll(async () => {
    store = await openTestStore('store_outcome');
    apiKeyId = (await store.apiKeys.create('outcomes')).record.id;
    otherKeyId = (await store.apiKeys.create('another')).record.id;
  });
  afterAll(() => store?.close());

  async function segmentWith(
    ids: string[],
    options: { controlShare?: number; offerId?: string; keyId?: string } = {},
  ): Promise<{ id: string; runId: string }> {
    const request = segmentRequest({
      offer: {
        ...(options.offerId ? { id: options.offerId } : {}),
        product: { type: 'deposit' },
        title: 'Вклад на 12 месяцев',
        channel: 'CALL',
      },
      ...(options.controlShare ? { options: { controlShare: options.controlShare } } : {}),
    });
    const { segment } = await store.segments.createFromRequest({
      apiKeyId: options.keyId ?? apiKeyId,
      requestHash: hashRequest(request),
      request,
    });
    const runId = (await store.members.beginRun(segment.id, segment.currentRevisionId))!;
    await store.members.appendIds(runId, ids);
    expect((await store.members.completeRun(runId)).completed).toBe(true);
    return { id: segment.id, runId };
  }

  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + i));

  it('stores outcomes once per segment and client, and counts who is not a member', async () => {
    const { id } = await segmentWith(['1', '2', '3']);
    const first = await store.outcomes.record(
      id,
      [
        { clientId: '1', convertedAt: new Date('2026-03-02T00:00:00Z') },
        { clientId: '9', convertedAt: null },
      ],
      'csv',
      apiKeyId,
    );
    expect(first).toEqual({ stored: 2, alreadyStored: 0, notMembers: 1 });
    const again = await store.outcomes.record(
      id,
      [
        { clientId: '1', convertedAt: new Date('2026-04-01T00:00:00Z') },
        { clientId: '2', convertedAt: null },
      ],
      'csv',
      apiKeyId,
    );
    expect(again).toEqual({ stored: 1, alreadyStored: 1, notMembers: 0 });
    const kept = await store.pool.query<{ converted_at: Date }>(
      `select converted_at from ${store.schema}.segment_outcome where segment_id = $1 and client_id = '1'`,
      [id],
    );
    expect(kept.rows[0]?.converted_at.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    const summary = await store.outcomes.summary(id);
    expect(summary.recorded).toBe(3);
    expect(summary.imports).toBe(2);
    expect(summary.lastImportAt).toBeInstanceOf(Date);
  });

  it('counts every member in the target group without a control share', async () => {
    const { id, runId } = await segmentWith(['1', '2', '3', '4']);
    await store.outcomes.record(id, [{ clientId: '2', convertedAt: null }], 'warehouse', null);
    expect(await store.outcomes.groups(id, runId, null)).toEqual({
      target: { size: 4, converted: 1 },
      control: { size: 0, converted: 0 },
    });
  });

  it('splits the groups in SQL exactly as controlGroupOf does in TypeScript', async () => {
    const ids = range(1, 2001);
    const { id, runId } = await segmentWith(ids, { controlShare: 0.1 });
    const converted = ids.filter((_, i) => i % 7 === 0);
    await store.outcomes.record(
      id,
      converted.map((clientId) => ({ clientId, convertedAt: null })),
      'csv',
      apiKeyId,
    );
    const control = ids.filter((c) => controlGroupOf(id, c, 0.1) === 'control');
    const convertedControl = converted.filter((c) => controlGroupOf(id, c, 0.1) === 'control');
    expect(await store.outcomes.groups(id, runId, 0.1)).toEqual({
      target: { size: ids.length - control.length, converted: converted.length - convertedControl.length },
      control: { size: control.length, converted: convertedControl.length },
    });
    expect(control.length).toBeGreaterThan(120);
    expect(control.length).toBeLessThan(280);
  });

  it("lists the key's own segments for the same offer that have a result, newest first", async () => {
    const a = await segmentWith(['1'], { offerId: 'OFFER-77' });
    const b = await segmentWith(['2'], { offerId: 'OFFER-77' });
    await segmentWith(['3'], { offerId: 'OFFER-77', keyId: otherKeyId });
    await segmentWith(['4'], { offerId: 'OFFER-78' });
    const own = await store.outcomes.sameOffer('offerId', 'OFFER-77', { apiKeyId });
    expect(own.map((s) => s.id)).toEqual([b.id, a.id]);
    const all = await store.outcomes.sameOffer('offerId', 'OFFER-77', { apiKeyId, admin: true });
    expect(all).toHaveLength(3);
  });
});
