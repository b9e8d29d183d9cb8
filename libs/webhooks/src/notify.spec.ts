import { JOB_NAMES, segmentLinks, webhookEventSchema } from '@t2s/contracts';
import { openTestStore, type TestStore } from '@t2s/service-store/testing';
import { notifySegmentFinished } from './notify';
import {
  finishSegment,
  openWebhookQueueBed,
  PARTIAL_UNDERSTANDING,
  queuedSegment,
  SEGMENT_ERROR,
  type WebhookQueueBed,
} from './testing/webhook-fixture';

describe('notifySegmentFinished', () => {
  let store: TestStore;
  let apiKeyId: string;
  let bed: WebhookQueueBed;
  const clock = () => new Date('2026-11-02T10:00:00.000Z');

  beforeAll(async () => {
    store = await openTestStore('webhooks_notify');
    apiKeyId = (await store.apiKeys.create('co-marketer')).record.id;
  });
  afterAll(() => store?.close());
  beforeEach(() => {
    bed = openWebhookQueueBed();
  });
  afterEach(() => bed.teardown());

  const deps = () => ({ segments: store.segments, webhooks: store.webhooks, queue: bed.queue, clock });
  const refOf = (segment: { id: string; currentRevisionId: string }) => ({
    segmentId: segment.id,
    revisionId: segment.currentRevisionId,
  });

  it('stores one succeeded event and enqueues it once, however often it is called', async () => {
    const segment = await finishSegment(store, await queuedSegment(store, apiKeyId), 'succeeded');

    const first = await notifySegmentFinished(deps(), refOf(segment));
    const again = await notifySegmentFinished(deps(), refOf(segment));
    expect(first).toEqual({ eventId: expect.any(String), created: true });
    expect(again).toEqual({ eventId: first!.eventId, created: false });

    const jobs = await bed.queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
    expect(jobs.map((job) => [job.id, job.name, job.data])).toEqual([
      [
        `webhook.${first!.eventId}`,
        JOB_NAMES.webhook,
        { v: 1, eventId: first!.eventId, segmentId: segment.id },
      ],
    ]);

    const stored = await store.webhooks.getEvent(first!.eventId);
    expect(stored).toMatchObject({
      segmentId: segment.id,
      revisionId: segment.currentRevisionId,
      url: 'https://co-marketer.example/hook',
      deliveredAt: null,
    });
    expect(webhookEventSchema.parse(stored!.body)).toEqual({
      id: first!.eventId,
      createdAt: '2026-11-02T10:00:00.000Z',
      type: 'segment.succeeded',
      segment: {
        id: segment.id,
        revisionId: segment.currentRevisionId,
        links: segmentLinks(segment.id),
        status: 'succeeded',
        size: 3,
      },
    });
  });

  it('describes a failed run with its error', async () => {
    const segment = await finishSegment(store, await queuedSegment(store, apiKeyId), 'failed');
    const notified = await notifySegmentFinished(deps(), refOf(segment));
    const stored = await store.webhooks.getEvent(notified!.eventId);
    expect(stored?.body).toMatchObject({
      type: 'segment.failed',
      segment: { id: segment.id, status: 'failed', error: SEGMENT_ERROR },
    });
    expect(await bed.queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('describes a needs_review run as segment.needs_review, with its size and what was not understood', async () => {
    const segment = await finishSegment(store, await queuedSegment(store, apiKeyId), 'needs_review');
    expect(segment.status).toBe('needs_review');
    const notified = await notifySegmentFinished(deps(), refOf(segment));
    const stored = await store.webhooks.getEvent(notified!.eventId);
    expect(webhookEventSchema.parse(stored!.body)).toEqual({
      id: notified!.eventId,
      createdAt: '2026-11-02T10:00:00.000Z',
      type: 'segment.needs_review',
      segment: {
        id: segment.id,
        revisionId: segment.currentRevisionId,
        links: segmentLinks(segment.id),
        status: 'needs_review',
        size: 3,
        understanding: PARTIAL_UNDERSTANDING,
      },
    });
    expect(await notifySegmentFinished(deps(), refOf(segment))).toEqual({
      eventId: notified!.eventId,
      created: false,
    });
    expect(await bed.queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('sends nothing for a run still going, a superseded revision, no webhook URL or no segment', async () => {
    const queued = await queuedSegment(store, apiKeyId);
    expect(await notifySegmentFinished(deps(), refOf(queued))).toBeNull();

    const superseded = await finishSegment(store, await queuedSegment(store, apiKeyId), 'failed');
    await store.segments.rerun(superseded.id, apiKeyId);
    // The newer revision finished too, so only the revision check stands between the old ref and an event.
    await finishSegment(store, (await store.segments.findById(superseded.id))!, 'failed');
    expect(await notifySegmentFinished(deps(), refOf(superseded))).toBeNull();

    const silent = await finishSegment(store, await queuedSegment(store, apiKeyId, null), 'succeeded');
    expect(silent.webhookUrl).toBeNull();
    expect(await notifySegmentFinished(deps(), refOf(silent))).toBeNull();

    const missing = { segmentId: '00000000-0000-4000-8000-000000000000', revisionId: superseded.id };
    expect(await notifySegmentFinished(deps(), missing)).toBeNull();

    expect(await store.webhooks.listBySegment(superseded.id)).toEqual([]);
    expect(await bed.queue.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 0, delayed: 0 });
  });

  it('gives a new revision its own event', async () => {
    const first = await finishSegment(store, await queuedSegment(store, apiKeyId), 'failed');
    const before = await notifySegmentFinished(deps(), refOf(first));
    await store.segments.rerun(first.id, apiKeyId);
    const rerun = await finishSegment(store, (await store.segments.findById(first.id))!, 'failed');
    const after = await notifySegmentFinished(deps(), refOf(rerun));
    expect(after?.eventId).toBeDefined();
    expect(after?.eventId).not.toBe(before?.eventId);
    expect(await bed.queue.getJobCounts('waiting')).toEqual({ waiting: 2 });
  });
});
