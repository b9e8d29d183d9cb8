import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { Webhook } from 'standardwebhooks';
import { createTestSchema, type TestSchema } from '@t2s/db';
import { PgApiKeyStore, WebhookSecretRepository } from '@t2s/service-store';
import { signWebhook, WebhookSecretCipher, WebhookSecretVault } from '@t2s/webhooks';
import { runCli, type CliRun } from '../testing/run-cli';

const t2s = (args: string[], env: Record<string, string | undefined>): Promise<CliRun> =>
  runCli(args, { env });

const MASTER_KEY = 'the-master-key-of-the-apikey-spec';

describe('t2s apikey', () => {
  let test: TestSchema;
  let pool: Pool;
  let env: Record<string, string>;

  beforeAll(async () => {
    test = await createTestSchema('apikey_cli');
    pool = new Pool({ connectionString: test.url, max: 2 });
    env = {
      SERVICE_DATABASE_URL: test.url,
      SERVICE_DATABASE_SCHEMA: test.schema,
      WEBHOOK_SECRET: MASTER_KEY,
    };
  });

  afterAll(async () => {
    await pool?.end();
    await test?.drop();
  });

  /** What the webhook worker signs a key's deliveries with, opened with the master key. */
  const signingSecrets = (apiKeyId: string, masterKey = MASTER_KEY) =>
    new WebhookSecretVault(
      new WebhookSecretRepository(pool, test.schema),
      new WebhookSecretCipher(masterKey),
    ).signingSecrets(apiKeyId);

  it('creates a key (migrating first), printing it and its webhook secret; revoke disables it', async () => {
    const created = await t2s(['apikey', 'create', '--name', 'ci'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^t2s_[A-Za-z0-9_-]{40,}\nwhsec_[A-Za-z0-9+/]{43}=\n$/);
    const [key = '', webhookSecret = ''] = created.stdout.trim().split('\n');

    const keys = new PgApiKeyStore(pool, test.schema);
    const record = await keys.verify(key);
    expect(record).toMatchObject({ name: 'ci', admin: false });
    expect(created.stderr).toContain(`with id ${record?.id}`);
    expect(await signingSecrets(record!.id)).toEqual([webhookSecret]);

    const revoked = await t2s(['apikey', 'revoke', '--id', record!.id], env);
    expect({ code: revoked.code, stdout: revoked.stdout }).toEqual({ code: 0, stdout: '' });
    expect(await keys.verify(key)).toBeNull();

    const again = await t2s(['apikey', 'revoke', '--id', record!.id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no active API key');
  });

  it('rotates a webhook secret: printed once, the old one signing through the rollover', async () => {
    const created = await t2s(['apikey', 'create', '--name', 'rotating'], env);
    const [key = '', first = ''] = created.stdout.trim().split('\n');
    const id = (await new PgApiKeyStore(pool, test.schema).verify(key))!.id;

    const rotated = await t2s(['apikey', 'rotate-webhook-secret', '--id', id], env);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/^whsec_[A-Za-z0-9+/]{43}=\n$/);
    expect(rotated.stderr).toMatch(/the previous ones sign until \d{4}-/);
    const second = rotated.stdout.trim();
    const secrets = await signingSecrets(id);
    expect(secrets).toEqual([second, first]);
    const headers = signWebhook({ id: 'evt', sentAt: new Date(), body: '{}', secrets });
    for (const secret of [first, second])
      expect(new Webhook(secret).verify('{}', { ...headers })).toEqual({});

    const retired = await t2s(
      ['apikey', 'rotate-webhook-secret', '--id', id, '--previous-valid-seconds', '0'],
      env,
    );
    expect(await signingSecrets(id)).toEqual([retired.stdout.trim()]);

    const bad = await t2s(
      ['apikey', 'rotate-webhook-secret', '--id', id, '--previous-valid-seconds', '-5'],
      env,
    );
    expect(bad.code).toBe(2);
  });

  it('seals with $T2S_HOME/webhook-secret when WEBHOOK_SECRET is unset, generating it once', async () => {
    const home = mkdtempSync(join(tmpdir(), 't2s-home-'));
    try {
      const withHome = { ...env, WEBHOOK_SECRET: undefined, T2S_HOME: home };
      const created = await t2s(['apikey', 'create', '--name', 'local'], withHome);
      expect(created.code).toBe(0);
      const file = join(home, 'webhook-secret');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const masterKey = readFileSync(file, 'utf8').trim();
      const [key = '', webhookSecret = ''] = created.stdout.trim().split('\n');
      const id = (await new PgApiKeyStore(pool, test.schema).verify(key))!.id;
      expect(await signingSecrets(id, masterKey)).toEqual([webhookSecret]);
      await expect(signingSecrets(id)).rejects.toThrow(/does not open/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('exits 2 on bad input', async () => {
    const badId = await t2s(['apikey', 'revoke', '--id', 'nope'], env);
    expect({ code: badId.code, stdout: badId.stdout }).toEqual({ code: 2, stdout: '' });
    const noName = await t2s(['apikey', 'create'], env);
    expect(noName.code).toBe(2);
    const badSchema = await t2s(['apikey', 'create', '--name', 'x'], {
      ...env,
      SERVICE_DATABASE_SCHEMA: 'Bad-Name',
    });
    expect(badSchema.code).toBe(2);
    expect(badSchema.stderr).toContain('SERVICE_DATABASE_SCHEMA');
  });
});
