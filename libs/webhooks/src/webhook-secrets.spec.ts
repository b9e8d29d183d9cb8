import { randomUUID } from 'node:crypto';
import { openTestStore, type TestStore } from '@t2s/service-store/testing';
import {
  DEFAULT_WEBHOOK_SECRET_ROLLOVER_MS,
  generateWebhookSecret,
  WebhookSecretCipher,
  WebhookSecretUnreadable,
  WebhookSecretVault,
} from './webhook-secrets';

const MASTER = 'master-key-of-the-secrets-spec';

describe('generateWebhookSecret', () => {
  it('is whsec_ and the base64 of 32 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});

describe('WebhookSecretCipher', () => {
  const binding = { apiKeyId: randomUUID(), secretId: randomUUID() };

  it('opens what it sealed, and the sealed bytes do not contain the secret', () => {
    const cipher = new WebhookSecretCipher(MASTER);
    const secret = generateWebhookSecret();
    const sealed = cipher.seal(secret, binding);
    expect(sealed.includes(Buffer.from(secret))).toBe(false);
    expect(sealed.includes(Buffer.from(secret.slice(6), 'base64'))).toBe(false);
    expect(cipher.open(sealed, binding)).toBe(secret);
    expect(cipher.seal(secret, binding).equals(sealed)).toBe(false);
  });

  it('does not open under another master key, another binding, or altered bytes', () => {
    const sealed = new WebhookSecretCipher(MASTER).seal(generateWebhookSecret(), binding);
    expect(() => new WebhookSecretCipher(`${MASTER}-rotated`).open(sealed, binding)).toThrow(
      WebhookSecretUnreadable,
    );
    const cipher = new WebhookSecretCipher(MASTER);
    expect(() => cipher.open(sealed, { ...binding, apiKeyId: randomUUID() })).toThrow(/does not open/);
    expect(() => cipher.open(sealed, { ...binding, secretId: randomUUID() })).toThrow(/does not open/);
    const altered = Buffer.from(sealed);
    altered[altered.length - 1]! ^= 1;
    expect(() => cipher.open(altered, binding)).toThrow(/does not open/);
    expect(() => cipher.open(sealed.subarray(0, 20), binding)).toThrow(/does not open/);
  });

  it('refuses a short master key', () => {
    expect(() => new WebhookSecretCipher('short')).toThrow(/at least 16/);
  });
});

describe('WebhookSecretVault', () => {
  let store: TestStore;
  let vault: WebhookSecretVault;
  beforeAll(async () => {
    store = await openTestStore('webhooks_secrets');
    vault = new WebhookSecretVault(store.webhookSecrets, new WebhookSecretCipher(MASTER));
  });
  afterAll(() => store?.close());

  const newKey = async () => (await store.apiKeys.create('co-marketer')).record.id;

  it('issues a first secret, then rotates with the old one valid for the rollover window', async () => {
    const apiKeyId = await newKey();
    expect(await vault.signingSecrets(apiKeyId)).toEqual([]);

    const first = await vault.rotate(apiKeyId);
    expect(first).toEqual({
      apiKeyId,
      secret: expect.stringMatching(/^whsec_/),
      createdAt: expect.any(Date),
      previousExpiresAt: null,
    });
    expect(await vault.signingSecrets(apiKeyId)).toEqual([first!.secret]);

    const before = Date.now();
    const second = await vault.rotate(apiKeyId);
    const window = second!.previousExpiresAt!.getTime() - before;
    expect(window).toBeGreaterThan(DEFAULT_WEBHOOK_SECRET_ROLLOVER_MS - 60_000);
    expect(window).toBeLessThanOrEqual(DEFAULT_WEBHOOK_SECRET_ROLLOVER_MS + 60_000);
    expect(await vault.signingSecrets(apiKeyId)).toEqual([second!.secret, first!.secret]);

    // Stored sealed: the table never holds a secret in clear.
    const { rows } = await store.pool.query<{ sealed: Buffer }>(
      `select sealed from ${store.schema}.webhook_secret where api_key_id = $1`,
      [apiKeyId],
    );
    expect(rows).toHaveLength(2);
    for (const { sealed } of rows) expect(sealed.toString('latin1')).not.toContain('whsec_');
  });

  it('never extends an old secret, and caps the window a caller asks for', async () => {
    const apiKeyId = await newKey();
    const short = new WebhookSecretVault(store.webhookSecrets, new WebhookSecretCipher(MASTER), {
      rolloverMs: 60_000,
    });
    const first = await short.rotate(apiKeyId);
    const second = await short.rotate(apiKeyId, { previousValidMs: 3_600_000 });
    expect(second!.previousExpiresAt!.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    const third = await vault.rotate(apiKeyId);
    // The first secret keeps its 1-minute expiry although the default window is a day.
    const { rows } = await store.pool.query<{ id: string; expires_at: Date | null }>(
      `select id, expires_at from ${store.schema}.webhook_secret where api_key_id = $1 order by created_at`,
      [apiKeyId],
    );
    expect(rows[0]!.expires_at!.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    expect(rows[1]!.expires_at!.getTime() - Date.now()).toBeGreaterThan(3_600_000);
    expect(rows[2]!.expires_at).toBeNull();
    expect(await vault.signingSecrets(apiKeyId)).toEqual([third!.secret, second!.secret, first!.secret]);
    expect(
      (await vault.rotate(apiKeyId, { previousValidMs: 0 }))?.previousExpiresAt?.getTime(),
    ).toBeLessThanOrEqual(Date.now());
    expect(await vault.signingSecrets(apiKeyId)).toHaveLength(1);
  });

  it('keeps one current secret when two rotations race', async () => {
    const apiKeyId = await newKey();
    const [a, b] = await Promise.all([vault.rotate(apiKeyId), vault.rotate(apiKeyId)]);
    const active = await vault.signingSecrets(apiKeyId);
    expect(active.sort()).toEqual([a!.secret, b!.secret].sort());
    const { rows } = await store.pool.query(
      `select 1 from ${store.schema}.webhook_secret where api_key_id = $1 and expires_at is null`,
      [apiKeyId],
    );
    expect(rows).toHaveLength(1);
  });

  it('issues nothing for an unknown or revoked key, and signs nothing for a revoked one', async () => {
    expect(await vault.rotate(randomUUID())).toBeNull();
    expect(await vault.rotate('not-a-uuid')).toBeNull();
    const apiKeyId = await newKey();
    await vault.rotate(apiKeyId);
    await store.apiKeys.revoke(apiKeyId);
    expect(await vault.rotate(apiKeyId)).toBeNull();
    expect(await vault.signingSecrets(apiKeyId)).toEqual([]);
  });

  it('fails loudly when the master key changed', async () => {
    const apiKeyId = await newKey();
    await vault.rotate(apiKeyId);
    const other = new WebhookSecretVault(store.webhookSecrets, new WebhookSecretCipher(`${MASTER}-other`));
    await expect(other.signingSecrets(apiKeyId)).rejects.toThrow(WebhookSecretUnreadable);
  });
});
