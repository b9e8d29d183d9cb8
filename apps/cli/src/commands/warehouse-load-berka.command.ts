import type { Command } from 'commander';
import {
  BerkaDatasetError,
  checkBerkaDataset,
  loadBerka,
  resolveBerkaDir,
  type LoadBerkaResult,
} from '@t2s/warehouse';
import { action } from '../command-runner';
import { runDatasetLoad } from './dataset-load';

interface LoadBerkaCommandOptions {
  schema: string;
  dataset?: string;
  executorRole: string;
}

// One line per paragraph: commander wraps them to the terminal's width.
const DESCRIPTION = [
  `Load the real PKDD'99 "financial" data set (Berka: a Czech bank, 1993-1998) as a second warehouse.`,
  'Creates seven tables - account, client, disp, card, loan, "order", district - with their primary and ' +
    "foreign keys, and the data set's own documentation as table and column comments (including what " +
    'every coded value means). The schema is dropped and recreated in one transaction, so a failed load ' +
    'leaves the previous one in place. The executor role then gets read access to the schema; its access ' +
    'to other schemas is kept.',
  'The warehouse is WAREHOUSE_URL, or the embedded PostgreSQL when that is not set.',
].join('\n\n');

const HELP_AFTER = `
Environment:
  BERKA_DIR                     data set directory when --dataset is not given
  WAREHOUSE_URL                 the warehouse; unset = embedded PostgreSQL under T2S_HOME
  WAREHOUSE_EXECUTOR_PASSWORD   the executor role's password (default t2s_executor)

Example:
  npm run t2s -- warehouse load-berka --dataset ~/data/berka --schema berka`;

export function registerLoadBerkaCommand(warehouse: Command): void {
  warehouse
    .command('load-berka')
    .summary("load the PKDD'99 (Berka) Czech bank data set as a second warehouse schema")
    .description(DESCRIPTION)
    .option('--schema <name>', 'schema to (re)create', 'berka')
    .option(
      '--dataset <dir>',
      'directory with account.csv, client.csv, ... (default: $BERKA_DIR, else ../shared/datasets/berka next to the repository)',
    )
    .option(
      '--executor-role <name>',
      'role that runs generated SQL; gets SELECT on the schema',
      't2s_executor',
    )
    .addHelpText('after', HELP_AFTER)
    .action(action(async (options: LoadBerkaCommandOptions) => runLoadBerka(options)));
}

async function runLoadBerka(options: LoadBerkaCommandOptions): Promise<void> {
  await runDatasetLoad({
    schema: options.schema,
    executorRole: options.executorRole,
    datasetDir: resolveBerkaDir(options.dataset),
    envVar: 'BERKA_DIR',
    check: checkBerkaDataset,
    isDatasetError: (error) => error instanceof BerkaDatasetError,
    load: loadBerka,
    summary,
  });
}

function summary(schema: string, result: LoadBerkaResult): string {
  const total = result.tables.reduce((n, t) => n + t.rows, 0);
  const lines = [
    ...result.tables.map((t) => ({ name: `${schema}.${t.name}`, rows: t.rows })),
    { name: 'total', rows: total },
  ];
  const width = Math.max(...lines.map((l) => l.name.length));
  return lines.map((l) => `${l.name.padEnd(width)}  ${String(l.rows).padStart(7)}\n`).join('');
}
