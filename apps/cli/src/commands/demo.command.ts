import type { Command } from 'commander';
import { openWarehouse } from '@t2s/db';
import { action, progress } from '../command-runner';
import { runCatalog } from './catalog.command';
import { DEFAULT_REPORT_DATE, runSeed } from './warehouse.command';

interface DemoOptions {
  clients?: string;
}

/**
 * The README's main job: seed a small demo warehouse and show what data the bank has. Later issues
 * extend it to a full segment run.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'seed a small demo bank warehouse (schema bank) and print the catalog summary; uses WAREHOUSE_URL, ' +
        'else the embedded PostgreSQL',
    )
    .option('--clients <n>', 'number of clients', '5000')
    .action(
      action(async (options: DemoOptions) => {
        const warehouse = await openWarehouse({ onProgress: progress });
        try {
          await runSeed(
            {
              clients: options.clients,
              seed: '1',
              schema: 'bank',
              reportDate: DEFAULT_REPORT_DATE,
              executorRole: 't2s_executor',
            },
            warehouse,
          );
          await runCatalog({ schema: 'bank', tokens: true }, warehouse);
        } finally {
          await warehouse.close();
        }
      }),
    );
}
