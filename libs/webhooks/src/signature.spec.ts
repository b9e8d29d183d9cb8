import { Webhook } from 'standardwebhooks';
import { openTestStore, type TestStore } from '@t2s/service-store/testing';
import { signWebhook } from './signature';
import { generateWebhookSecret, WebhookSecretCipher, WebhookSecretVault } from './webhook-secrets';

const BODY = '{"id":"8d3bfb0e-7d5c-4f4e-9f0e-3d0c1f2a4b5c","type":"segment.succeeded"}';

/** What a receiver runs: the `standardwebhooks` package's own verification, nothing of ours. */
const verify = (secret: string, body: string | Buffer, headers: Record<string, string>) =>
  new Webhook(secret).verify(body, headers);

describe('signWebhook (Standard Webhooks)', () => {
  it('matches the Standard Webhooks specification example, also computed with openssl', () => {
    // printf 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' |
    //   openssl dgst -sha256 -mac HMAC -macopt hexkey:$(echo -n MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | base64 -d | xxd -p) -binary | base64
    const headers = signWebhook({
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      sentAt: new Date(1_614_265_330_000),
      body: '{"test": 2432232314}',
      secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    });
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('verifies with Webhook.verify, and not with a tampered body, id, timestamp or another secret', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook({ id: 'evt-1', sentAt: new Date(), body: BODY, secrets: [secret] });
    expect(verify(secret, BODY, { ...headers })).toEqual(JSON.parse(BODY));
    expect(verify(secret, Buffer.from(BODY), { ...headers })).toEqual(JSON.parse(BODY));

    expect(() => verify(secret, `${BODY} `, { ...headers })).toThrow(/No matching signature/);
    expect(() => verify(secret, BODY, { ...headers, 'webhook-id': 'evt-2' })).toThrow(/No matching/);
    const later = String(Number(headers['webhook-timestamp']) + 1);
    expect(() => verify(secret, BODY, { ...headers, 'webhook-timestamp': later })).toThrow(/No matching/);
    expect(() => verify(generateWebhookSecret(), BODY, { ...headers })).toThrow(/No matching/);
    const { 'webhook-signature': _dropped, ...unsigned } = headers;
    expect(() => verify(secret, BODY, unsigned)).toThrow(/Missing required headers/);
  });

  it('is refused by receivers once older than their 5-minute tolerance', () => {
    const secret = generateWebhookSecret();
    const sentAt = new Date(Date.now() - 6 * 60_000);
    const headers = signWebhook({ id: 'evt-old', sentAt, body: BODY, secrets: [secret] });
    expect(() => verify(secret, BODY, { ...headers })).toThrow(/timestamp too old/);
  });

  it('carries one signature per secret during a rotation; a receiver holding either accepts', () => {
    const [oldSecret, newSecret] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signWebhook({
      id: 'evt-3',
      sentAt: new Date(),
      body: BODY,
      secrets: [newSecret, oldSecret],
    });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=$/);
    expect(verify(oldSecret, BODY, { ...headers })).toEqual(JSON.parse(BODY));
    expect(verify(newSecret, BODY, { ...headers })).toEqual(JSON.parse(BODY));
    expect(() => verify(generateWebhookSecret(), BODY, { ...headers })).toThrow(/No matching/);
  });

  it('refuses to sign without a secret, or with one not in whsec_ form', () => {
    const input = { id: 'e', sentAt: new Date(), body: BODY };
    expect(() => signWebhook({ ...input, secrets: [] })).toThrow(/No webhook secret/);
    expect(() => signWebhook({ ...input, secrets: ['a-shared-hex-secret-0123456789'] })).toThrow(/whsec_/);
  });
});

describe('signing with an API key secrets through a rotation', () => {
  let store: TestStore;
  let vault: WebhookSecretVault;
  beforeAll(async () => {
    store = await openTestStore('webhooks_signature');
    vault = new WebhookSecretVault(
      store.webhookSecrets,
      new WebhookSecretCipher('master-key-for-the-signature-spec'),
    );
  });
  afterAll(() => store?.close());

  const deliver = async (apiKeyId: string) => {
    const secrets = await vault.signingSecrets(apiKeyId);
    return { ...signWebhook({ id: 'evt-r', sentAt: new Date(), body: BODY, secrets }) };
  };

  it('is verified with the old secret and the new during the rollover, then with the new only', async () => {
    const apiKeyId = (await store.apiKeys.create('co-marketer')).record.id;
    const first = await vault.rotate(apiKeyId);
    expect(verify(first!.secret, BODY, await deliver(apiKeyId))).toEqual(JSON.parse(BODY));

    const second = await vault.rotate(apiKeyId);
    const during = await deliver(apiKeyId);
    expect(during['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verify(first!.secret, BODY, during)).toEqual(JSON.parse(BODY));
    expect(verify(second!.secret, BODY, during)).toEqual(JSON.parse(BODY));

    // A third rotation that retires everything before it at once (as after a leak).
    const third = await vault.rotate(apiKeyId, { previousValidMs: 0 });
    const after = await deliver(apiKeyId);
    expect(after['webhook-signature'].split(' ')).toHaveLength(1);
    expect(verify(third!.secret, BODY, after)).toEqual(JSON.parse(BODY));
    for (const retired of [first!.secret, second!.secret]) {
      expect(() => verify(retired, BODY, after)).toThrow(/No matching signature/);
    }
  });
});
