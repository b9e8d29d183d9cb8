import type { Command } from 'commander';
import { loadStoreConfig, openServiceStore, type ServiceStore, type StoreConfig } from '@t2s/service-store';
import { action, plainName, progress, UsageError } from '../command-runner';

export interface ApiKeyCreateOptions {
  name: string;
  admin?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A bad variable is the operator's input error (exit 2), named by the message. */
function storeConfig(): StoreConfig {
  try {
    const config = loadStoreConfig();
    plainName('SERVICE_DATABASE_SCHEMA', config.schema);
    return config;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
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

/** Prints the new key alone on stdout, so `KEY=$(t2s apikey create --name x)` captures exactly the key. */
export async function runApiKeyCreate(options: ApiKeyCreateOptions): Promise<void> {
  const name = options.name.trim();
  if (name.length === 0 || name.length > 200) throw new UsageError('--name must be 1-200 characters');
  await withStore(async (store) => {
    const { record, key } = await store.apiKeys.create(name, { admin: options.admin ?? false });
    progress(
      `created ${record.admin ? 'admin ' : ''}API key "${record.name}" with id ${record.id}; it is shown once`,
    );
    process.stdout.write(`${key}\n`);
  });
}

export async function runApiKeyRevoke(options: { id: string }): Promise<void> {
  if (!UUID.test(options.id))
    throw new UsageError(`--id must be an API key id (a UUID), got "${options.id}"`);
  await withStore(async (store) => {
    if (!(await store.apiKeys.revoke(options.id))) {
      throw new Error(`no active API key with id ${options.id} (unknown or already revoked)`);
    }
    progress(`revoked API key ${options.id}`);
  });
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
    .description('revoke an API key by id; requests with it are refused from then on')
    .requiredOption('--id <id>', 'the key id printed by `apikey create` on stderr')
    .action(action((options: { id: string }) => runApiKeyRevoke(options)));
}
