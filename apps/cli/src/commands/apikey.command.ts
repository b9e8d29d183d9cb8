import type { Command } from 'commander';
import { redactUrl } from '@t2s/db';
import {
  announceApiKeyRevocation,
  createRedisConnection,
  DEFAULT_QUEUE_PREFIX,
  queuePrefix,
  type RedisConnection,
} from '@t2s/queue';
import { loadStoreConfig, openServiceStore, type ServiceStore, type StoreConfig } from '@t2s/service-store';
import { MAX_WEBHOOK_SECRET_ROLLOVER_SECONDS } from '@t2s/contracts';
import { WebhookSecretCipher, WebhookSecretVault } from '@t2s/webhooks';
import { action, asUsageError, plainName, progress, UsageError } from '../command-runner';
import { webhookMasterKey } from '../service/webhook-master-key';
import { serviceRedisUrl } from '../service/redis-target';

export interface ApiKeyCreateOptions {
  name: string;
  admin?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks `--id`: an API key id is a UUID. */
function checkApiKeyId(id: string): void {
  if (!UUID.test(id)) throw new UsageError(`--id must be an API key id (a UUID), got "${id}"`);
}

/** A bad variable is the operator's input error (exit 2), named by the message. */
function storeConfig(): StoreConfig {
  const config = asUsageError(() => loadStoreConfig());
  plainName('SERVICE_DATABASE_SCHEMA', config.schema);
  return config;
}

/** The service database from SERVICE_DATABASE_URL / SERVICE_DATABASE_SCHEMA, migrated first. */
async function withStore<T>(fn: (store: ServiceStore) => Promise<T>): Promise<T> {
  const config = storeConfig();
  const store = await openServiceStore({ config, onProgress: progress });
  try {
    progress(`service database ${store.label}, schema ${store.schema}`);
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Each key's webhook secrets, sealed with the master key the gateway and the webhook workers hold. */
function webhookSecretVault(store: ServiceStore): WebhookSecretVault {
  const masterKey = webhookMasterKey(process.env, progress);
  return asUsageError(
    () => new WebhookSecretVault(store.webhookSecrets, new WebhookSecretCipher(masterKey)),
    'WEBHOOK_SECRET',
  );
}

/**
 * Prints the new key on the first line of stdout and its webhook signing secret (`whsec_...`, Standard
 * Webhooks) on the second, both shown this once: `{ read -r KEY; read -r WHSEC; } < <(t2s apikey create
 * --name x)`. The secret is sealed with WEBHOOK_SECRET (else `$T2S_HOME/webhook-secret`), which must be
 * the gateway's and the webhook workers' too.
 */
export async function runApiKeyCreate(options: ApiKeyCreateOptions): Promise<void> {
  const name = options.name.trim();
  if (name.length === 0 || name.length > 200) throw new UsageError('--name must be 1-200 characters');
  await withStore(async (store) => {
    const vault = webhookSecretVault(store);
    const { record, key } = await store.apiKeys.create(name, { admin: options.admin ?? false });
    const issued = await vault.rotate(record.id);
    if (issued === null)
      throw new Error(`API key ${record.id} vanished before its webhook secret was issued`);
    progress(
      `created ${record.admin ? 'admin ' : ''}API key "${record.name}" with id ${record.id}; ` +
        'it (line 1) and its webhook signing secret (line 2) are shown once',
    );
    process.stdout.write(`${key}\n${issued.secret}\n`);
  });
}

export interface WebhookSecretRotateOptions {
  id: string;
  previousValidSeconds?: string;
}

/**
 * A new webhook secret for the key, printed alone on stdout; the replaced ones keep signing for the
 * rollover window (24 h, or `--previous-valid-seconds`, 0 after a leak). Also how a key created before
 * per-key secrets gets its first.
 */
export async function runWebhookSecretRotate(options: WebhookSecretRotateOptions): Promise<void> {
  checkApiKeyId(options.id);
  const seconds =
    options.previousValidSeconds === undefined ? undefined : Number(options.previousValidSeconds);
  if (
    seconds !== undefined &&
    !(Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_WEBHOOK_SECRET_ROLLOVER_SECONDS)
  ) {
    throw new UsageError(
      `--previous-valid-seconds must be an integer from 0 to ${MAX_WEBHOOK_SECRET_ROLLOVER_SECONDS}`,
    );
  }
  await withStore(async (store) => {
    const issued = await webhookSecretVault(store).rotate(
      options.id,
      seconds === undefined ? {} : { previousValidMs: seconds * 1000 },
    );
    if (issued === null) throw new Error(`no active API key with id ${options.id} (unknown or revoked)`);
    progress(
      issued.previousExpiresAt === null
        ? `issued the first webhook secret of API key ${options.id}; it is shown once`
        : `rotated the webhook secret of API key ${options.id}; the previous ones sign until ` +
            `${issued.previousExpiresAt.toISOString()}; the new one is shown once`,
    );
    process.stdout.write(`${issued.secret}\n`);
  });
}

/** How long a gateway that missed the announcement may still accept the key: its key cache's TTL. */
const GATEWAY_CACHE_BOUND = 'their key cache TTL (API_KEY_CACHE_TTL_MS, 10 s by default)';
const CONFIRM_TIMEOUT_MS = 3_000;

/**
 * Revokes the key in the database, then announces it on Redis (under QUEUE_PREFIX) and waits for every
 * listening gateway to confirm it dropped the key from its cache: when this returns, the key is refused
 * everywhere. A gateway that did not hear it refuses the key once its cached entry expires (10 s).
 */
export async function runApiKeyRevoke(options: { id: string }): Promise<void> {
  checkApiKeyId(options.id);
  const prefix = revocationPrefix();
  await withStore(async (store) => {
    if (!(await store.apiKeys.revoke(options.id))) {
      throw new Error(`no active API key with id ${options.id} (unknown or already revoked)`);
    }
    progress(`revoked API key ${options.id}`);
  });
  await tellGateways(options.id, prefix);
}

function revocationPrefix(): string {
  return asUsageError(() => queuePrefix(process.env['QUEUE_PREFIX'] || DEFAULT_QUEUE_PREFIX), 'QUEUE_PREFIX');
}

async function tellGateways(keyId: string, prefix: string): Promise<void> {
  const url = serviceRedisUrl(process.env);
  // One attempt, quickly: the revocation is already committed, this only shortens its way to the caches.
  const connect = (name: string): RedisConnection =>
    createRedisConnection(
      url,
      { connectionName: name },
      { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 1, retryStrategy: () => null },
    );
  const publisher = connect('t2s-cli');
  const subscriber = connect('t2s-cli-acks');
  for (const connection of [publisher, subscriber]) connection.on('error', () => undefined);
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
    const { listeners, confirmed } = await announceApiKeyRevocation({
      publisher,
      subscriber,
      prefix,
      keyId,
      timeoutMs: CONFIRM_TIMEOUT_MS,
    });
    if (listeners === 0) {
      progress(
        `no gateway listens on ${redactUrl(url)} (prefix ${prefix}); gateways read keys from the database`,
      );
    } else if (confirmed >= listeners) {
      progress(`${confirmed} gateway(s) dropped it from their key cache: it is refused from now on`);
    } else {
      progress(
        `warning: ${confirmed} of ${listeners} gateways confirmed within ${CONFIRM_TIMEOUT_MS / 1000} s; ` +
          `the others refuse the key within ${GATEWAY_CACHE_BOUND}`,
      );
    }
  } catch (error) {
    progress(
      `warning: could not announce the revocation on ${redactUrl(url)} (${error instanceof Error ? error.message : String(error)}); ` +
        `gateways refuse the key within ${GATEWAY_CACHE_BOUND}`,
    );
  } finally {
    // An ended connection (Redis unreachable, no retry) has nothing to close; disconnecting it would
    // arm ioredis's 2 s stream timer and keep the command alive for it.
    for (const connection of [publisher, subscriber])
      if (connection.status !== 'end') connection.disconnect();
  }
}

export function registerApiKeyCommands(program: Command): void {
  const apikey = program
    .command('apikey')
    .description('manage the API keys of the gateway (in the service database: SERVICE_DATABASE_URL)');
  apikey
    .command('create')
    .description('create an API key and print it on stdout (shown only this once)')
    .requiredOption('--name <name>', 'who the key is for, e.g. co-marketer')
    .option('--admin', 'the key may read every segment and use the ops endpoints')
    .action(action((options: ApiKeyCreateOptions) => runApiKeyCreate(options)));
  apikey
    .command('revoke')
    .description(
      'revoke an API key by id; it is announced to the gateways (REDIS_URL, QUEUE_PREFIX), which drop it ' +
        'from their key cache at once, so requests with it are refused from then on',
    )
    .requiredOption('--id <id>', 'the key id printed by `apikey create` on stderr')
    .action(action((options: { id: string }) => runApiKeyRevoke(options)));
  apikey
    .command('rotate-webhook-secret')
    .description(
      "issue a new webhook signing secret for an API key and print it on stdout (shown once); the key's " +
        'previous secrets keep signing deliveries for the rollover window',
    )
    .requiredOption('--id <id>', 'the key id printed by `apikey create` on stderr')
    .option('--previous-valid-seconds <n>', 'how long the replaced secrets keep signing (default 86400)')
    .action(action((options: WebhookSecretRotateOptions) => runWebhookSecretRotate(options)));
}
