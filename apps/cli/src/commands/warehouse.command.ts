import type { Command } from 'commander';
import { Client } from 'pg';
import { openWarehouse, type DatabaseTarget } from '@t2s/db';
import { seedDemoWarehouse, type SeedDemoResult } from '@t2s/warehouse';
import { grantExecutor } from '../executor-grant';
import { action, plainName, positiveInt, progress, UsageError } from '../command-runner';
import { registerLoadBankMarketingCommand } from './warehouse-load-bank-marketing.command';
import { registerLoadBerkaCommand } from './warehouse-load-berka.command';

export interface SeedOptions {
  clients?: string;
  seed?: string;
  schema: string;
  reportDate: string;
  executorRole: string;
}

export const DEFAULT_REPORT_DATE = '2026-10-31';

export function registerWarehouseCommands(program: Command): void {
  const warehouse = program
    .command('warehouse')
    .description('create and load the warehouses that segments are built from');

  warehouse
    .command('seed')
    .summary('generate the demo bank warehouse (deterministic)')
    .description(
      'Generate the demo Russian retail-bank warehouse into --schema (dropped and recreated): about 60 ' +
        'tables in 14 subject areas with Russian comments on every table and column, keys, and a year of ' +
        'card transactions. The same --clients and --seed always give the same data. The executor role ' +
        'then gets read-only access.\n\nThe warehouse is WAREHOUSE_URL, or the embedded PostgreSQL when that is not set.',
    )
    .option('--clients <n>', 'number of clients', '20000')
    .option('--seed <n>', 'random seed', '1')
    .option('--schema <name>', 'schema to (re)create', 'bank')
    .option('--report-date <yyyy-mm-dd>', 'report date the data is current on', DEFAULT_REPORT_DATE)
    .option(
      '--executor-role <name>',
      'role that runs generated SQL; gets SELECT on the schema',
      't2s_executor',
    )
    .action(action(async (options: SeedOptions) => runSeed(options)));

  registerLoadBerkaCommand(warehouse);
  registerLoadBankMarketingCommand(warehouse);
}

/** Runs `t2s warehouse seed`; with `warehouse` given, uses that open warehouse and leaves it open. */
export async function runSeed(options: SeedOptions, warehouse?: DatabaseTarget): Promise<SeedDemoResult> {
  const clients = positiveInt('--clients', options.clients, 20000);
  const seed = positiveInt('--seed', options.seed, 1);
  if (clients > 5_000_000) throw new UsageError('--clients must be at most 5000000');
  const schema = plainName('--schema', options.schema);
  const role = plainName('--executor-role', options.executorRole);
  if (!isCalendarDate(options.reportDate)) {
    throw new UsageError(`--report-date must be a date as YYYY-MM-DD, got "${options.reportDate}"`);
  }
  const target = warehouse ?? (await openWarehouse({ onProgress: progress }));
  try {
    progress(`seeding ${clients} clients (seed ${seed}) into schema ${schema} of ${target.label}`);
    const result = await seedDemoWarehouse({
      url: target.url,
      schema,
      clients,
      seed,
      reportDate: options.reportDate,
      onProgress: progress,
    });
    const client = new Client({ connectionString: target.url });
    await client.connect();
    try {
      await grantExecutor(client, role, schema);
    } finally {
      await client.end();
    }
    const rows = result.tables.reduce((sum, table) => sum + table.rows, 0);
    process.stdout.write(
      `seeded ${schema}: ${result.tables.length} tables, ${rows} rows, ${(result.bytes / 1024 / 1024).toFixed(0)} MB ` +
        `in ${result.seconds.total.toFixed(1)} s (generate+load ${result.seconds.generate.toFixed(1)} s, ` +
        `keys+indexes ${result.seconds.constraints.toFixed(1)} s); role ${role} can read it\n`,
    );
    return result;
  } finally {
    if (!warehouse) await target.close();
  }
}

/** A real calendar day as YYYY-MM-DD: Date.parse alone accepts 2026-02-30 (and rolls it to March 2). */
function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}
