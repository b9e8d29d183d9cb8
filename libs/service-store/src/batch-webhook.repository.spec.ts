import { randomUUID } from 'node:crypto';
import { batchSchema, segmentLinks, webhookEventSchema, type WebhookEvent } from '@t2s/contracts';
import { hashRequest } from './request-hash';
import { openTestStore, segmentRequest, type TestStore } from './store.fixture';

describe('BatchRepository and WebhookDeliveryRepository', () => {
  let store: TestStore;
  let apiKeyId: string;
  let otherKeyId: string;

  beforeAll(async () => {
    store = await openTestStore('store_batch');
    apiKeyId = (await store.apiKeys.create('batch')).record.id;
    otherKeyId = (await store.apiKeys.create('other')).record.id;
  });
  afterAll(() => store?.close());

  const newSegment = async () => {
    const request = segmentRequest({ webhook: { url: 'https://co-marketer.example/hook' } });
    return (await store.segments.createFromRequest({ apiKeyId, requestHash: hashRequest(request), request }))
      .segment;
  };

  it('reports a batch in request order with progress read from its segments', async () => {
    const [a, b, c] = [await newSegment(), await newSegment(), await newSegment()];
    const error = { code: 'NOT_FOUND' as const, message: 'No such segment' };
    const id = await store.batches.create({
      apiKeyId,
      kind: 'rerun',
      items: [{ segmentId: a.id }, { segmentId: b.id }, { segmentId: c.id, error }],
    });
    await store.segments.fail(a.id, a.currentRevisionId, { code: 'SQL_FAILED', message: 'x' });

    const batch = batchSchema.parse(await store.batches.get(id, apiKeyId));
    expect(batch).toMatchObject({
      kind: 'rerun',
      status: 'running',
      progress: { total: 3, queued: 1, running: 0, succeeded: 0, failed: 2 },
      links: { self: `/v1/batches/${id}` },
    });
    expect(batch.items.map((item) => [item.index, item.segmentId, item.status])).toEqual([
      [0, a.id, 'failed'],
      [1, b.id, 'queued'],
      [2, c.id, 'failed'],
    ]);
    expect(batch.items[2]?.error).toEqual(error);
    expect(await store.batches.get(id, otherKeyId)).toBeNull();
    expect(await store.batches.get(id, otherKeyId, { admin: true })).not.toBeNull();
  });

  it('stores one event per revision and outcome, and records delivery attempts', async () => {
    const segment = await newSegment();
    const event: WebhookEvent = webhookEventSchema.parse({
      id: randomUUID(),
      createdAt: new Date().toISOString(),
      type: 'segment.failed',
      segment: {
        id: segment.id,
        revisionId: segment.currentRevisionId,
        links: segmentLinks(segment.id),
        status: 'failed',
        error: { code: 'EMPTY_SEGMENT', stage: 'execution', message: 'No clients' },
      },
    });
    const input = { segmentId: segment.id, revisionId: segment.currentRevisionId, url: segment.webhookUrl! };
    const first = await store.webhooks.createEvent({ ...input, event });
    const again = await store.webhooks.createEvent({ ...input, event: { ...event, id: randomUUID() } });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, event: { id: event.id } });
    expect((await store.webhooks.getEvent(event.id))?.body).toEqual(event);

    const attempt = { eventId: event.id, segmentId: segment.id, url: input.url };
    await store.webhooks.recordAttempt({ ...attempt, attempt: 1, error: 'ECONNREFUSED', durationMs: 12 });
    await store.webhooks.recordAttempt({ ...attempt, attempt: 2, statusCode: 204, durationMs: 30.4 });
    await store.webhooks.recordAttempt({ ...attempt, attempt: 2, statusCode: 204, durationMs: 30 }); // redelivered
    const deliveries = await store.webhooks.listBySegment(segment.id);
    expect(deliveries.map((d) => [d.attempt, d.statusCode, d.error, d.durationMs])).toEqual([
      [1, null, 'ECONNREFUSED', 12],
      [2, 204, null, 30],
    ]);
    expect((await store.webhooks.getEvent(event.id))?.deliveredAt).toBeInstanceOf(Date);
  });
});
