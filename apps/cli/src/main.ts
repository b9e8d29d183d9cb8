#!/usr/bin/env node
import { Command } from 'commander';
import { registerCatalogCommand } from './commands/catalog.command';
import { registerDemoCommand } from './commands/demo.command';
import { registerWarehouseCommands } from './commands/warehouse.command';

const program = new Command('t2s')
  .description('t2s: marketing audience segments from offers and criteria text, for operators')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ outputError: (text, write) => write(`t2s: ${text.replace(/^error: /, '')}`) })
  .exitOverride((error) => {
    // Commander's own usage errors (unknown option, missing argument) exit with 2; help exits 0.
    process.exit(error.exitCode === 0 ? 0 : 2);
  });

registerWarehouseCommands(program);
registerCatalogCommand(program);
registerDemoCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`t2s: error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
