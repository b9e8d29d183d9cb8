import { randomUUID } from 'node:crypto';
import { JOB_NAMES } from '@t2s/contracts';
import { openTestStore, type TestStore } from '@t2s/service-store/testing';
import { notifySegmentFinished } from './notify';
import { verifyWebhookSignature } from './signature';
import {
  finishSegment,
  openWebhookQueueBed,
  queuedSegment,
  startReceiver,
  waitFor,
  type Receiver,
  type ReceiverAnswer,
  type WebhookQueueBed,
} from './testing/webhook-fixture';
import { enqueueWebhook } from './webhook-queue';
import {
  startWebhookWorker,
  type WebhookAttemptReport,
  type WebhookGiveUpReport,
  type WebhookJobResult,
  type WebhookWorker,
  type WebhookWorkerOptions,
} from './webhook-worker';

const SECRET = 'whsec_worker';

describe('webhook worker', () => {
  let store: TestStore;
  let apiKeyId: string;
  let bed: WebhookQueueBed;
  let receiver: Receiver | undefined;
  let worker: WebhookWorker | undefined;
  let workerErrors: Error[] = [];

  beforeAll(async () => {
    store = await openTestStore('webhooks_worker');
    apiKeyId = (await store.apiKeys.create('co-marketer')).record.id;
  });
  afterAll(() => store?.close());
  beforeEach(() => {
    bed = openWebhookQueueBed();
    workerErrors = [];
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await receiver?.close();
    receiver = undefined;
    await bed.teardown();
    expect(workerErrors).toEqual([]);
  });

  /** A finished segment whose webhook points at a fresh receiver answering `answers` in turn. */
  async function notifiedSegment(answers: ReceiverAnswer[]) {
    receiver = await startReceiver((i) => answers[Math.min(i, answers.length - 1)]!);
    const segment = await finishSegment(
      store,
      await queuedSegment(store, apiKeyId, receiver.url),
      'succeeded',
    );
    const deps = { segments: store.segments, webhooks: store.webhooks, queue: bed.queue };
    const notified = await notifySegmentFinished(deps, {
      segmentId: segment.id,
      revisionId: segment.currentRevisionId,
    });
    return { segment, eventId: notified!.eventId };
  }

  function start(overrides: Partial<WebhookWorkerOptions> = {}): WebhookWorker {
    worker = startWebhookWorker({
      connection: bed.connection,
      prefix: bed.prefix,
      webhooks: store.webhooks,
      secret: SECRET,
      timeoutMs: 2_000,
      onError: (error) => workerErrors.push(error),
      ...overrides,
    });
    return worker;
  }

  it('retries a 500, then delivers the same signed event on the second attempt', async () => {
    const { segment, eventId } = await notifiedSegment([{ status: 500 }, { status: 200 }]);
    const delivered = waitFor<WebhookAttemptReport>();
    start({ onDelivered: delivered.push });

    expect(await delivered.promise).toMatchObject({ eventId, attempt: 2, statusCode: 200 });
    const rows = await store.webhooks.listBySegment(segment.id);
    expect(rows.map((r) => [r.eventId, r.attempt, r.statusCode, r.url])).toEqual([
      [eventId, 1, 500, receiver!.url],
      [eventId, 2, 200, receiver!.url],
    ]);
    expect((await store.webhooks.getEvent(eventId))?.deliveredAt).toBeInstanceOf(Date);

    const requests = await receiver!.received(2);
    expect(requests.map((r) => r.headers['t2s-event-id'])).toEqual([eventId, eventId]);
    for (const request of requests) {
      const header = request.headers['t2s-signature'] as string;
      expect(verifyWebhookSignature({ secret: SECRET, header, rawBody: request.body })).toEqual({ ok: true });
      expect(JSON.parse(request.body)).toMatchObject({ id: eventId, type: 'segment.succeeded' });
    }
    expect(requests[1]!.body).toBe(requests[0]!.body);
  });

  it('does not send an event that was already delivered', async () => {
    const { segment, eventId } = await notifiedSegment([{ status: 204 }]);
    const delivered = waitFor<WebhookAttemptReport>();
    const w = start({ onDelivered: delivered.push });
    await delivered.promise;

    // A second job for the same event, as a producer would make once the first job aged out of Redis.
    const completed = waitFor<[string | undefined, WebhookJobResult]>(([id]) => id === 'again');
    w.worker.on('completed', (job, result) => completed.push([job.id, result]));
    await bed.queue.add(JOB_NAMES.webhook, { v: 1, eventId, segmentId: segment.id }, { jobId: 'again' });

    expect((await completed.promise)[1]).toEqual({ outcome: 'already-delivered' });
    expect(receiver!.requests).toHaveLength(1);
  });

  it('gives up after one attempt when the receiver answers 410 Gone', async () => {
    const { segment, eventId } = await notifiedSegment([{ status: 410 }, { status: 200 }]);
    const gaveUp = waitFor<WebhookGiveUpReport>();
    start({ onGaveUp: gaveUp.push });

    expect(await gaveUp.promise).toMatchObject({ eventId, segmentId: segment.id, attempts: 1 });
    const rows = await store.webhooks.listBySegment(segment.id);
    expect(rows.map((r) => [r.attempt, r.statusCode])).toEqual([[1, 410]]);
    expect(await bed.queue.getJobState(`webhook.${eventId}`)).toBe('failed');
    expect(receiver!.requests).toHaveLength(1);
    expect((await store.webhooks.getEvent(eventId))?.deliveredAt).toBeNull();
  });

  it('records every attempt until the attempts run out, then gives up', async () => {
    const { segment, eventId } = await notifiedSegment([{ status: 503 }]);
    const gaveUp = waitFor<WebhookGiveUpReport>();
    const attempts: WebhookAttemptReport[] = [];
    start({ onGaveUp: gaveUp.push, onAttempt: (a) => attempts.push(a) });

    expect(await gaveUp.promise).toMatchObject({
      eventId,
      attempts: 3,
      reason: expect.stringMatching(/503/),
    });
    const rows = await store.webhooks.listBySegment(segment.id);
    expect(rows.map((r) => [r.attempt, r.statusCode])).toEqual([
      [1, 503],
      [2, 503],
      [3, 503],
    ]);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
  });

  it('stops at once on an event that does not exist or a payload it cannot read', async () => {
    const gaveUp: WebhookGiveUpReport[] = [];
    const both = waitFor<WebhookGiveUpReport[]>((list) => list.length === 2);
    start({
      onGaveUp: (report) => {
        gaveUp.push(report);
        both.push(gaveUp);
      },
    });
    const missing = { eventId: randomUUID(), segmentId: randomUUID() };
    await enqueueWebhook(bed.queue, missing);
    await bed.queue.add(JOB_NAMES.webhook, { v: 2, eventId: 'x' } as never, { jobId: 'bad' });

    const reports = await both.promise;
    expect(reports.find((r) => r.jobId === `webhook.${missing.eventId}`)).toMatchObject({
      attempts: 1,
      reason: expect.stringMatching(/does not exist/),
    });
    expect(reports.find((r) => r.jobId === 'bad')).toMatchObject({
      attempts: 1,
      reason: expect.stringMatching(/^INVALID_JOB_PAYLOAD/),
    });
  });
});
