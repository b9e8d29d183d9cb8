import type { Command } from 'commander';
import { Client, Pool } from 'pg';
import { PgApiKeyStore, loadStoreConfig } from '@t2s/service-store';
import { action, positiveInt, progress } from '../command-runner';
import { formatOutcome, loadSampleOffers, runOffers } from '../service/offer-client';
import { startStack } from '../service/service-stack';
import { DEFAULT_REPORT_DATE, runSeed } from './warehouse.command';

interface DemoOptions {
  clients: string;
  offers: string;
  port: string;
  reseed?: boolean;
}

const SCHEMA = 'bank';
const EXECUTOR_ROLE = 't2s_executor';
const RUN_TIMEOUT_MS = 300_000;

/**
 * The README's main job: a demo warehouse (seeded on first use), the whole service as `t2s up` runs it,
 * and the sample offers sent through the HTTP API as Co-marketer would; prints each segment, then stops.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .summary('run the sample offers through the whole service and print the segments')
    .description(
      'Seed the demo bank warehouse (schema bank) if it is empty, start the service as `t2s up` does, ' +
        'send the sample offers through the HTTP API and print for each: criteria, SQL, segment size, a few ' +
        'ids and the time taken. Uses WAREHOUSE_URL, SERVICE_DATABASE_URL and REDIS_URL when set.',
    )
    .option('--clients <n>', 'clients to seed when the warehouse is empty', '5000')
    .option(
      '--offers <file>',
      'sample offers (JSON array of {name, request})',
      'eval/offers/sample-offers.json',
    )
    .option('--port <n>', 'gateway port (0: any free port)', '0')
    .option('--reseed', 'seed the warehouse again even if it has data')
    .action(action(async (options: DemoOptions) => runDemo(options)));
}

async function runDemo(options: DemoOptions): Promise<void> {
  const offers = loadSampleOffers(options.offers);
  const clients = positiveInt('--clients', options.clients, 5000);
  const stack = await startStack({
    port: Number(options.port),
    host: '127.0.0.1',
    schema: SCHEMA,
    executorRole: EXECUTOR_ROLE,
    env: process.env,
    onProgress: progress,
    // The demo shows results, not the services' logs; errors still surface through the API.
    onLine: () => undefined,
    prepareWarehouse: async (warehouse) => {
      if (!options.reseed && (await hasTables(warehouse.url, SCHEMA))) {
        progress(`warehouse schema ${SCHEMA} already seeded (--reseed to seed again)`);
        return;
      }
      await runSeed(
        {
          clients: String(clients),
          seed: '1',
          schema: SCHEMA,
          reportDate: DEFAULT_REPORT_DATE,
          executorRole: EXECUTOR_ROLE,
        },
        warehouse,
      );
    },
  });
  const pool = new Pool({ connectionString: stack.serviceDatabaseUrl, max: 1 });
  const keys = new PgApiKeyStore(pool, loadStoreConfig().schema);
  try {
    progress(`service up at ${stack.url}; sending ${offers.length} offers`);
    const { record, key } = await keys.create(`demo-${new Date().toISOString()}`);
    try {
      const outcomes = await runOffers(stack.url, key, offers, RUN_TIMEOUT_MS);
      process.stdout.write(`${outcomes.map(formatOutcome).join('\n\n')}\n`);
    } finally {
      await keys.revoke(record.id);
    }
  } finally {
    await pool.end();
    await stack.close();
  }
}

async function hasTables(url: string, schema: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      'select count(*)::int as n from information_schema.tables where table_schema = $1',
      [schema],
    );
    return (rows[0]?.n ?? 0) > 0;
  } finally {
    await client.end();
  }
}
