import { randomUUID } from 'node:crypto';
import { segmentLinks, type WebhookEvent } from '@t2s/contracts';
import type { WebhookEventRecord } from '@t2s/service-store';
import { deliverWebhookEvent } from './deliver';
import { verifyWebhookSignature } from './signature';
import { startReceiver, type Receiver } from './testing/webhook-fixture';

const SECRET = 'whsec_deliver';

function eventRecord(url: string): WebhookEventRecord {
  const segmentId = randomUUID();
  const revisionId = randomUUID();
  const body: WebhookEvent = {
    id: randomUUID(),
    createdAt: '2026-11-02T10:00:00.000Z',
    type: 'segment.succeeded',
    segment: { id: segmentId, revisionId, links: segmentLinks(segmentId), status: 'succeeded', size: 42 },
  };
  return { id: body.id, segmentId, revisionId, url, body, createdAt: new Date(), deliveredAt: null };
}

describe('deliverWebhookEvent', () => {
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('POSTs the event as JSON, signed at send time, with its id in a header', async () => {
    receiver = await startReceiver(() => ({ status: 204 }));
    const event = eventRecord(receiver.url);
    const sentAt = new Date('2026-11-02T10:07:00.000Z');

    const result = await deliverWebhookEvent(event, {
      secret: SECRET,
      timeoutMs: 5_000,
      clock: () => sentAt,
    });

    expect(result).toEqual({ statusCode: 204, durationMs: expect.any(Number) });
    const [request] = receiver.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/hooks/t2s' });
    expect(JSON.parse(request!.body)).toEqual(event.body);
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 't2s-webhooks/1',
      't2s-event-id': event.id,
    });
    const header = request!.headers['t2s-signature'] as string;
    expect(header.startsWith(`t=${sentAt.getTime() / 1000},`)).toBe(true);
    const nowSeconds = sentAt.getTime() / 1000 + 1;
    expect(verifyWebhookSignature({ secret: SECRET, header, rawBody: request!.body, nowSeconds })).toEqual({
      ok: true,
    });
  });

  it('reports a non-2xx status as it is', async () => {
    receiver = await startReceiver(() => ({ status: 503 }));
    expect(
      await deliverWebhookEvent(eventRecord(receiver.url), { secret: SECRET, timeoutMs: 5_000 }),
    ).toEqual({
      statusCode: 503,
      durationMs: expect.any(Number),
    });
  });

  it('does not follow a redirect', async () => {
    receiver = await startReceiver(() => ({ status: 302, headers: { location: '/elsewhere' } }));
    const result = await deliverWebhookEvent(eventRecord(receiver.url), { secret: SECRET, timeoutMs: 5_000 });
    expect(result).toMatchObject({ statusCode: 302, error: 'redirect to /elsewhere not followed' });
    expect(receiver.requests.map((r) => r.path)).toEqual(['/hooks/t2s']);
  });

  it('returns a timeout as an error instead of throwing', async () => {
    receiver = await startReceiver(() => 'hang');
    const result = await deliverWebhookEvent(eventRecord(receiver.url), { secret: SECRET, timeoutMs: 200 });
    expect(result).toEqual({ error: 'timed out after 200 ms', durationMs: expect.any(Number) });
    expect(result.durationMs).toBeGreaterThanOrEqual(150);
  });

  it('returns a refused connection as an error instead of throwing', async () => {
    receiver = await startReceiver(() => ({ status: 204 }));
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    const result = await deliverWebhookEvent(eventRecord(url), { secret: SECRET, timeoutMs: 5_000 });
    expect(result.statusCode).toBeUndefined();
    expect(result.error).toMatch(/ECONNREFUSED/);
  });
});
