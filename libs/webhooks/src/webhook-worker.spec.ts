import { randomUUID } from 'node:crypto';
import { JOB_NAMES } from '@t2s/contracts';
import { openTestStore, type TestStore } from '@t2s/service-store/testing';
import { notifySegmentFinished } from './notify';
import { Webhook } from 'standardwebhooks';
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
import { WebhookSecretCipher, WebhookSecretVault } from './webhook-secrets';
import { parseAllowedHosts, WebhookTargetPolicy, type ResolvedAddress } from './webhook-target';
import {
  startWebhookWorker,
  type WebhookAttemptReport,
  type WebhookGiveUpReport,
  type WebhookJobResult,
  type WebhookWorker,
  type WebhookWorkerOptions,
} from './webhook-worker';

const MASTER_KEY = 'master-key-of-the-worker-spec';

describe('webhook worker', () => {
  let store: TestStore;
  let apiKeyId: string;
  let secret: string;
  let vault: WebhookSecretVault;
  let bed: WebhookQueueBed;
  let receiver: Receiver | undefined;
  let worker: WebhookWorker | undefined;
  let workerErrors: Error[] = [];

  beforeAll(async () => {
    store = await openTestStore('webhooks_worker');
    apiKeyId = (await store.apiKeys.create('co-marketer')).record.id;
    vault = new WebhookSecretVault(store.webhookSecrets, new WebhookSecretCipher(MASTER_KEY));
    secret = (await vault.rotate(apiKeyId))!.secret;
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
  async function notifiedSegment(answers: ReceiverAnswer[], options: { url?: string; keyId?: string } = {}) {
    receiver = await startReceiver((i) => answers[Math.min(i, answers.length - 1)]!);
    const segment = await finishSegment(
      store,
      await queuedSegment(store, options.keyId ?? apiKeyId, options.url ?? receiver.url),
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
      secrets: vault,
      // The receiver listens on loopback: only the allow-list lets deliveries reach it.
      targets: new WebhookTargetPolicy(receiver ? parseAllowedHosts(new URL(receiver.url).host) : []),
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
    expect(requests.map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId]);
    for (const request of requests) {
      const verified = new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
      expect(verified).toMatchObject({ id: eventId, type: 'segment.succeeded' });
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

  it('refuses a target that resolves to an internal address: recorded, never connected, not retried', async () => {
    const { segment, eventId } = await notifiedSegment([{ status: 204 }], {
      url: 'https://hooks.co-marketer.example/t2s',
    });
    const gaveUp = waitFor<WebhookGiveUpReport>();
    const resolver = jest.fn(async (): Promise<ResolvedAddress[]> => [
      { address: '169.254.169.254', family: 4 },
    ]);
    start({ onGaveUp: gaveUp.push, resolver });

    expect(await gaveUp.promise).toMatchObject({
      eventId,
      attempts: 1,
      reason: expect.stringContaining('resolves to 169.254.169.254'),
    });
    const rows = await store.webhooks.listBySegment(segment.id);
    expect(rows.map((r) => [r.attempt, r.statusCode, r.refused, r.error])).toEqual([
      [
        1,
        null,
        true,
        expect.stringMatching(/^refused: hooks\.co-marketer\.example resolves to 169\.254\.169\.254/),
      ],
    ]);
    expect(resolver).toHaveBeenCalledTimes(1);
    expect(await bed.queue.getJobState(`webhook.${eventId}`)).toBe('failed');
    expect(receiver!.requests).toEqual([]);
  });

  it('retries an event whose API key has no secret yet, and signs it once the client issued one', async () => {
    const keyId = (await store.apiKeys.create('no-secret-yet')).record.id;
    const { segment, eventId } = await notifiedSegment([{ status: 204 }], { keyId });
    const delivered = waitFor<WebhookAttemptReport>();
    const firstAttempt = waitFor<WebhookAttemptReport>();
    let issued: string | undefined;
    start({
      onAttempt: (report) => {
        firstAttempt.push(report);
        // The client calls POST /v1/webhook-secret/rotate after the first failure.
        if (report.attempt === 1) void vault.rotate(keyId).then((s) => (issued = s!.secret));
      },
      onDelivered: delivered.push,
    });
    expect(await firstAttempt.promise).toMatchObject({
      attempt: 1,
      error: expect.stringContaining('has no webhook secret'),
    });
    const report = await delivered.promise;
    expect(report).toMatchObject({ eventId, statusCode: 204 });
    const [request] = receiver!.requests;
    expect(
      new Webhook(issued!).verify(request!.body, request!.headers as Record<string, string>),
    ).toMatchObject({
      id: eventId,
    });
    expect((await store.webhooks.listBySegment(segment.id))[0]).toMatchObject({
      refused: false,
      statusCode: null,
    });
  });
});
