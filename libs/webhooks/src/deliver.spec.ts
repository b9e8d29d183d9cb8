import { randomUUID } from 'node:crypto';
import { segmentLinks, type WebhookEvent } from '@t2s/contracts';
import type { WebhookEventRecord } from '@t2s/service-store';
import { Webhook } from 'standardwebhooks';
import { deliverWebhookEvent, type DeliverOptions } from './deliver';
import { startReceiver, type Receiver } from './testing/webhook-fixture';
import { generateWebhookSecret } from './webhook-secrets';
import { parseAllowedHosts, WebhookTargetPolicy, type ResolvedAddress } from './webhook-target';

const SECRET = generateWebhookSecret();

function eventRecord(url: string): WebhookEventRecord {
  const segmentId = randomUUID();
  const revisionId = randomUUID();
  const body: WebhookEvent = {
    id: randomUUID(),
    createdAt: '2026-11-02T10:00:00.000Z',
    type: 'segment.succeeded',
    segment: { id: segmentId, revisionId, links: segmentLinks(segmentId), status: 'succeeded', size: 42 },
  };
  return {
    id: body.id,
    segmentId,
    apiKeyId: randomUUID(),
    revisionId,
    url,
    body,
    createdAt: new Date(),
    deliveredAt: null,
  };
}

describe('deliverWebhookEvent', () => {
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  /** The receiver listens on loopback: it is reached only because the allow-list names it. */
  const options = (overrides: Partial<DeliverOptions> = {}): DeliverOptions => ({
    secrets: [SECRET],
    timeoutMs: 5_000,
    targets: new WebhookTargetPolicy(parseAllowedHosts(new URL(receiver!.url).host)),
    ...overrides,
  });

  it('POSTs the event as JSON with Standard Webhooks headers, signed at send time', async () => {
    receiver = await startReceiver(() => ({ status: 204 }));
    const event = eventRecord(receiver.url);
    const sentAt = new Date();

    const result = await deliverWebhookEvent(event, options({ clock: () => sentAt }));

    expect(result).toEqual({ statusCode: 204, durationMs: expect.any(Number) });
    const [request] = receiver.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/hooks/t2s' });
    expect(JSON.parse(request!.body)).toEqual(event.body);
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 't2s-webhooks/2',
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    });
    expect(request!.headers).not.toHaveProperty('t2s-signature');
    const headers = request!.headers as Record<string, string>;
    expect(new Webhook(SECRET).verify(request!.body, headers)).toEqual(event.body);
  });

  it('is refused without an allow-list entry for the loopback receiver', async () => {
    receiver = await startReceiver(() => ({ status: 204 }));
    const result = await deliverWebhookEvent(eventRecord(receiver.url), options({ targets: undefined }));
    expect(result).toMatchObject({ refused: true, error: 'refused: 127.0.0.1 is a loopback address' });
    expect(receiver.requests).toEqual([]);
  });

  it('resolves the name once and connects to the address it checked, even if DNS answers otherwise later', async () => {
    receiver = await startReceiver(() => ({ status: 200 }));
    const port = new URL(receiver.url).port;
    // The receiver listens on 127.0.0.1 only: a second lookup (127.0.0.2) would be refused by the kernel.
    const answers: ResolvedAddress[][] = [
      [{ address: '127.0.0.1', family: 4 }],
      [{ address: '127.0.0.2', family: 4 }],
    ];
    const resolver = jest.fn(async () => answers.shift() ?? []);
    const result = await deliverWebhookEvent(
      eventRecord(`http://receiver.example.test:${port}/hooks/t2s`),
      options({
        targets: new WebhookTargetPolicy(parseAllowedHosts(`receiver.example.test:${port}`)),
        resolver,
      }),
    );
    expect(result).toMatchObject({ statusCode: 200 });
    expect(resolver).toHaveBeenCalledTimes(1);
    expect(receiver.requests[0]?.headers.host).toBe(`receiver.example.test:${port}`);
  });

  it('signs with every secret of a rotation, so either verifies', async () => {
    receiver = await startReceiver(() => ({ status: 204 }));
    const next = generateWebhookSecret();
    const event = eventRecord(receiver.url);
    await deliverWebhookEvent(event, options({ secrets: [next, SECRET] }));
    const [request] = receiver.requests;
    const headers = request!.headers as Record<string, string>;
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    for (const secret of [SECRET, next])
      expect(new Webhook(secret).verify(request!.body, headers)).toEqual(event.body);
    expect(() => new Webhook(generateWebhookSecret()).verify(request!.body, headers)).toThrow(
      /No matching signature/,
    );
  });

  it('reports a non-2xx status as it is', async () => {
    receiver = await startReceiver(() => ({ status: 503 }));
    expect(await deliverWebhookEvent(eventRecord(receiver.url), options())).toEqual({
      statusCode: 503,
      durationMs: expect.any(Number),
    });
  });

  it('does not follow a redirect', async () => {
    receiver = await startReceiver(() => ({ status: 302, headers: { location: '/elsewhere' } }));
    const result = await deliverWebhookEvent(eventRecord(receiver.url), options());
    expect(result).toMatchObject({ statusCode: 302, error: 'redirect to /elsewhere not followed' });
    expect(receiver.requests.map((r) => r.path)).toEqual(['/hooks/t2s']);
  });

  it('returns a timeout as an error instead of throwing', async () => {
    receiver = await startReceiver(() => 'hang');
    const result = await deliverWebhookEvent(eventRecord(receiver.url), options({ timeoutMs: 200 }));
    expect(result).toEqual({ error: 'timed out after 200 ms', durationMs: expect.any(Number) });
    expect(result.durationMs).toBeGreaterThanOrEqual(150);
  });

  it('returns a resolver that never answers as a timeout', async () => {
    receiver = await startReceiver(() => ({ status: 204 }));
    const result = await deliverWebhookEvent(
      eventRecord('https://slow-dns.co-marketer.example/hook'),
      options({ timeoutMs: 200, resolver: () => new Promise<ResolvedAddress[]>(() => undefined) }),
    );
    expect(result).toEqual({ error: 'timed out after 200 ms', durationMs: expect.any(Number) });
  });

  it('returns a refused connection and an unresolvable name as errors, not refusals', async () => {
    receiver = await startReceiver(() => ({ status: 204 }));
    const allowed = options();
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    const refused = await deliverWebhookEvent(eventRecord(url), allowed);
    expect(refused.statusCode).toBeUndefined();
    expect(refused.refused).toBeUndefined();
    expect(refused.error).toMatch(/ECONNREFUSED/);

    const unknown = await deliverWebhookEvent(eventRecord('https://nowhere.co-marketer.example/hook'), {
      ...allowed,
      resolver: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
      },
    });
    expect(unknown).toEqual({
      error: 'could not resolve nowhere.co-marketer.example: ENOTFOUND',
      durationMs: expect.any(Number),
    });
  });
});
