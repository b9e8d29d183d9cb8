import type { Command } from 'commander';
import {
  BankMarketingDatasetError,
  checkBankMarketingDataset,
  loadBankMarketing,
  resolveBankMarketingDir,
} from '@t2s/warehouse';
import { action } from '../command-runner';
import { runDatasetLoad } from './dataset-load';

interface LoadBankMarketingCommandOptions {
  schema: string;
  dataset?: string;
  executorRole: string;
}

// One line per paragraph: commander wraps them to the terminal's width.
const DESCRIPTION = [
  "Load the UCI Bank Marketing data set (a Portuguese bank's phone campaigns, May 2008 - November 2010) " +
    'as a third warehouse.',
  'Creates one table, client: one row per line of bank-full.csv, client_id being its 1-based row number, ' +
    "with the data set's own attribute descriptions (bank-names.txt) as table and column comments, " +
    'including the values of every categorical attribute. The schema is dropped and recreated in one ' +
    'transaction, so a failed load leaves the previous one in place. The executor role then gets read ' +
    'access to the schema; its access to other schemas is kept.',
  'The warehouse is WAREHOUSE_URL, or the embedded PostgreSQL when that is not set.',
].join('\n\n');

const HELP_AFTER = `
Environment:
  BANK_MARKETING_DIR            data set directory when --dataset is not given
  WAREHOUSE_URL                 the warehouse; unset = embedded PostgreSQL under T2S_HOME
  WAREHOUSE_EXECUTOR_PASSWORD   the executor role's password (default t2s_executor)

Example:
  npm run t2s -- warehouse load-bank-marketing --dataset ~/data/bank-marketing --schema bank_marketing`;

export function registerLoadBankMarketingCommand(warehouse: Command): void {
  warehouse
    .command('load-bank-marketing')
    .summary('load the UCI Bank Marketing (Portuguese bank) data set as a third warehouse schema')
    .description(DESCRIPTION)
    .option('--schema <name>', 'schema to (re)create', 'bank_marketing')
    .option(
      '--dataset <dir>',
      'directory with bank-full.csv (default: $BANK_MARKETING_DIR, else ../shared/datasets/bank-marketing next to the repository)',
    )
    .option(
      '--executor-role <name>',
      'role that runs generated SQL; gets SELECT on the schema',
      't2s_executor',
    )
    .addHelpText('after', HELP_AFTER)
    .action(action(async (options: LoadBankMarketingCommandOptions) => runLoadBankMarketing(options)));
}

async function runLoadBankMarketing(options: LoadBankMarketingCommandOptions): Promise<void> {
  await runDatasetLoad({
    schema: options.schema,
    executorRole: options.executorRole,
    datasetDir: resolveBankMarketingDir(options.dataset),
    envVar: 'BANK_MARKETING_DIR',
    check: checkBankMarketingDataset,
    isDatasetError: (error) => error instanceof BankMarketingDatasetError,
    load: loadBankMarketing,
    summary: (schema, result) =>
      result.tables.map((table) => `${schema}.${table.name}  ${table.rows}\n`).join(''),
  });
}
