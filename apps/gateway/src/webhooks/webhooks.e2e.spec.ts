// Webhook targets and secrets through the production entry point: internal webhook URLs refused at POST
// before anything is stored, the deployment's allow-list letting its own receiver through, and the
// calling key's secret rotated over HTTP, sealed in the service database for the workers.
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { createRedisConnection } from '@t2s/queue';
import { createRepositories } from '@t2s/service-store';
import { WebhookSecretCipher, WebhookSecretVault } from '@t2s/webhooks';
import { MAIN_ENTRY, spawnGateway, stopGateway, type GatewayProcess } from '../testing/spawn-gateway';

const SERVICE_DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const MASTER_KEY = randomBytes(32).toString('hex');
const RECEIVER = '127.0.0.1:47001';

const offer = { product: { type: 'credit_card' }, title: 'Молодёжная кредитная карта', channel: 'PUSH' };

describe('webhook targets and secrets (gateway)', () => {
  const schema = `gw_wh_${randomBytes(4).toString('hex')}`;
  const prefix = `{t2s-gw-wh-${randomBytes(4).toString('hex')}}`;
  let pool: Pool;
  let gateway: GatewayProcess;
  let key: string;
  let keyId: string;

  beforeAll(async () => {
    pool = new Pool({ connectionString: SERVICE_DB, max: 2 });
    gateway = await spawnGateway(MAIN_ENTRY, {
      PORT: '0',
      SERVICE_DATABASE_URL: SERVICE_DB,
      SERVICE_DATABASE_SCHEMA: schema,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      WEBHOOK_SECRET: MASTER_KEY,
      WEBHOOK_ALLOWED_HOSTS: RECEIVER,
      WEBHOOK_SECRET_ROLLOVER_SECONDS: '3600',
    });
    // The gateway migrated the schema on start.
    const created = await createRepositories(pool, schema).apiKeys.create('co-marketer');
    key = created.key;
    keyId = created.record.id;
  });

  afterAll(async () => {
    if (gateway) expect(await stopGateway(gateway, 5_000)).toEqual({ code: 0, signal: null });
    await pool?.query(`drop schema if exists ${schema} cascade`);
    await pool?.end();
    const redis = createRedisConnection(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const post = async (path: string, body?: unknown) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test checks the shape it expects
    const json: any = await response.json();
    return { status: response.status, headers: response.headers, json };
  };
  const segmentCount = async () =>
    Number((await pool.query(`select count(*) as n from ${schema}.segment`)).rows[0].n);

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://10.0.0.8:8080/hook',
    'http://192.168.0.1/hook',
    'http://[fd00::1]/hook',
    'http://[::ffff:169.254.169.254]/hook',
    'http://0x7f.1:5432/',
    'http://2130706433:6379/',
    'http://127.1/hook',
    'http://localhost./hook',
    `http://127.0.0.1:47002/hook`,
  ])('refuses %s at POST with 400 at webhook.url, storing nothing', async (url) => {
    const before = await segmentCount();
    const response = await post('/v1/segments', { offer, webhook: { url } });
    expect(response.status).toBe(400);
    expect(response.json.error).toMatchObject({
      code: 'INVALID_REQUEST',
      details: [{ path: 'webhook.url', reason: expect.any(String) }],
    });
    expect(await segmentCount()).toBe(before);
  });

  it('refuses a batch whole when one item names an internal target', async () => {
    const before = await segmentCount();
    const response = await post('/v1/batches', {
      segments: [
        { offer, webhook: { url: 'https://co-marketer.bank.example/hooks/t2s' } },
        { offer, webhook: { url: 'http://[fe80::1]/hook' } },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.json.error.details).toEqual([
      { path: 'segments.1.webhook.url', reason: expect.stringContaining('link-local') },
    ]);
    expect(await segmentCount()).toBe(before);
  });

  it("accepts the deployment's allow-listed receiver and a public target", async () => {
    for (const url of [`http://${RECEIVER}/hooks/t2s`, 'https://co-marketer.bank.example/hooks/t2s']) {
      const response = await post('/v1/segments', { offer, webhook: { url } });
      expect(response.status).toBe(202);
    }
  });

  it("rotates the calling key's secret: shown once, sealed, the old one rolling over", async () => {
    const vault = new WebhookSecretVault(
      createRepositories(pool, schema).webhookSecrets,
      new WebhookSecretCipher(MASTER_KEY),
    );
    const first = await post('/v1/webhook-secret/rotate');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.json).toEqual({
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      createdAt: expect.any(String),
      previousSecretsExpireAt: null,
    });
    expect(await vault.signingSecrets(keyId)).toEqual([first.json.secret]);

    const second = await post('/v1/webhook-secret/rotate', {});
    const rollover = Date.parse(second.json.previousSecretsExpireAt) - Date.now();
    expect(rollover).toBeGreaterThan(3_500_000);
    expect(rollover).toBeLessThanOrEqual(3_600_000);
    expect(await vault.signingSecrets(keyId)).toEqual([second.json.secret, first.json.secret]);

    const third = await post('/v1/webhook-secret/rotate', { previousSecretValidSeconds: 0 });
    expect(third.status).toBe(200);
    expect(await vault.signingSecrets(keyId)).toEqual([third.json.secret]);

    const { rows } = await pool.query<{ sealed: Buffer }>(`select sealed from ${schema}.webhook_secret`);
    for (const { sealed } of rows)
      expect(sealed.toString('latin1')).not.toContain(third.json.secret.slice(6));

    const bad = await post('/v1/webhook-secret/rotate', { previousSecretValidSeconds: -1 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toEqual([
      { path: 'previousSecretValidSeconds', reason: expect.any(String) },
    ]);
  });
});
