// Test support: the whole service as `t2s up` runs it (gateway and one worker process per queue) over a
// seeded demo warehouse, a migrated service schema and a queue prefix of its own, plus a webhook receiver.
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '@t2s/db';
import { createRedisConnection } from '@t2s/queue';
import { Cluster } from 'ioredis';
import { createRepositories, runMigrations } from '@t2s/service-store';
import { seedDemoWarehouse } from '@t2s/warehouse';
import { createTestExecutorRole } from '@t2s/warehouse/testing';
import { WebhookSecretCipher, WebhookSecretVault } from '@t2s/webhooks';
import { startServiceProcesses, type RunningService, type ServiceSettings } from '../service-processes';
import { WebhookReceiver } from './webhook-receiver';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const BODY_LIMIT_BYTES = 65_536;

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any -- each spec checks the shape it expects
}

/**
 * `env` adds to the processes' environment (an LLM backend for the llm strategy; a `REDIS_URL` of
 * another Redis, such as a cluster's `redis://host:port?cluster=true`).
 */
export async function openServiceFixture(
  clients = 300,
  env: Record<string, string> = {},
  options: {
    /** Rewrites the warehouse URLs the processes get (a fault spec puts a proxy it can cut in between). */
    warehouseVia?: (url: string) => string;
    /** The restart policy of `t2s up`'s supervisor (a spec that kills workers on purpose widens it). */
    supervision?: ServiceSettings['supervision'];
  } = {},
) {
  const via = options.warehouseVia ?? ((url: string) => url);
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  const log: string[] = [];
  try {
    const warehouse: TestSchema = await createTestSchema('svc_wh');
    cleanups.push(() => warehouse.drop());
    await seedDemoWarehouse({
      url: warehouse.url,
      schema: warehouse.schema,
      clients,
      seed: 11,
      reportDate: '2026-10-31',
    });
    const executor = await createTestExecutorRole(warehouse.client, warehouse.schema, {
      prefix: 't2s_svc',
      statementTimeout: '30s',
      tempFileLimit: '256MB',
    });
    cleanups.push(() => executor.drop());

    const storeSchema: TestSchema = await createTestSchema('svc_store');
    cleanups.push(() => storeSchema.drop());
    const pool = new Pool({ connectionString: storeSchema.url, max: 4 });
    cleanups.push(() => pool.end());
    await runMigrations(pool, { schema: storeSchema.schema });
    const store = createRepositories(pool, storeSchema.schema);
    const created = await store.apiKeys.create('co-marketer');
    const key = created.key;
    const otherKey = (await store.apiKeys.create('another-system')).key;
    // Each key signs its webhooks with its own secret, sealed with the deployment's master key, as
    // `t2s apikey create` issues them.
    const masterKey = randomBytes(32).toString('hex');
    const webhookSecrets = new WebhookSecretVault(store.webhookSecrets, new WebhookSecretCipher(masterKey));
    const webhookSecret = (await webhookSecrets.rotate(created.record.id))!.secret;

    const receiver = new WebhookReceiver();
    await receiver.start();
    cleanups.push(() => receiver.close());

    const prefix = `{t2s-e2e-${randomBytes(4).toString('hex')}}`;
    const redisUrl = env['REDIS_URL'] ?? REDIS_URL;
    cleanups.push(() => deleteRedisKeys(redisUrl, prefix));
    const settings: ServiceSettings = {
      port: 0,
      host: '127.0.0.1',
      redisUrl,
      serviceDatabaseUrl: testDatabaseUrl(),
      warehouseUrl: via(warehouse.url),
      warehouseExecutorUrl: via(executor.url),
      warehouseSchema: warehouse.schema,
      webhookSecret: masterKey,
      env: {
        SERVICE_DATABASE_SCHEMA: storeSchema.schema,
        QUEUE_PREFIX: prefix,
        // The throw-away schema holds the demo bank: use its semantic model and offer rules.
        WAREHOUSE_MODEL: 'bank',
        BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
        // A killed worker's job is picked up again within a few seconds instead of BullMQ's 30 s.
        WORKER_LOCK_MS: '1500',
        WEBHOOK_RETRY_DELAY_MS: '200',
        // The receivers of these specs listen on loopback, refused unless the deployment allows it.
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        ...env,
      },
      ...(options.supervision ? { supervision: options.supervision } : {}),
    };
    const service: RunningService = await startServiceProcesses(settings, (name, line) =>
      log.push(`[${name}] ${line}`),
    );
    cleanups.push(() => service.stop());

    const api = async (
      method: string,
      path: string,
      options: { key?: string | null; body?: unknown; headers?: Record<string, string> } = {},
    ): Promise<ApiResponse> => {
      const bearer = options.key === undefined ? key : options.key;
      const response = await fetch(`${service.url}${path}`, {
        method,
        headers: {
          ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        body:
          options.body === undefined
            ? undefined
            : typeof options.body === 'string'
              ? options.body
              : JSON.stringify(options.body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
    };

    /** A segment request on the test warehouse, reporting to the receiver. */
    const request = (extra: Record<string, unknown> = {}) => ({
      offer: { product: { type: 'credit_card' }, title: 'Молодёжная кредитная карта', channel: 'PUSH' },
      webhook: { url: receiver.url },
      options: { warehouse: warehouse.schema },
      ...extra,
    });

    /** Client ids of `sql` run by the admin over the warehouse: the reference result. */
    const adminIds = async (sql: string): Promise<string[]> => {
      await warehouse.client.query(`set search_path = "${warehouse.schema}"`);
      const { rows } = await warehouse.client.query<{ client_id: string }>(sql);
      return rows.map((row) => String(row.client_id)).sort();
    };

    return {
      settings,
      service,
      store,
      pool,
      key,
      otherKey,
      prefix,
      receiver,
      /** The `co-marketer` key's id, its webhook secret (whsec_), and the vault that rotates it. */
      keyId: created.record.id,
      webhookSecret,
      webhookSecrets,
      api,
      request,
      adminIds,
      log,
      close,
    };
  } catch (error) {
    await close();
    throw new Error(`service fixture failed: ${String(error)}\n${log.slice(-30).join('\n')}`, {
      cause: error,
    });
  }
}

export type ServiceFixture = Awaited<ReturnType<typeof openServiceFixture>>;

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = createRedisConnection(url);
  try {
    // The prefix is one hash slot: on a cluster its keys are on one primary, SCAN each to find them.
    const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        if (keys.length > 0) await node.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    await redis.quit();
  }
}
