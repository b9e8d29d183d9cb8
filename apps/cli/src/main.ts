#!/usr/bin/env node
import { Command } from 'commander';
import { registerApiKeyCommands } from './commands/apikey.command';
import { registerCatalogCommand } from './commands/catalog.command';
import { registerDemoCommand } from './commands/demo.command';
import { registerEvalCommand } from './commands/eval.command';
import { registerModelCommands } from './commands/model.command';
import { registerOutcomesCommands } from './commands/outcomes.command';
import { registerPrecedentsCommands } from './commands/precedents.command';
import { registerSegmentCommand } from './commands/segment.command';
import { registerSqlCheckCommand } from './commands/sql-check.command';
import { registerUpCommand } from './commands/up.command';
import { registerWarehouseCommands } from './commands/warehouse.command';

/** A usage error is one line on stderr: the hint shares it instead of following on a line of its own. */
function usageErrorLine(text: string): string {
  const reason = text
    .replace(/^error: /, '')
    .replace(/\s+/g, ' ')
    .trim();
  return `t2s: ${reason} (run with --help for usage)\n`;
}

const program = new Command('t2s')
  .description('t2s: marketing audience segments from offers and criteria text, for operators')
  .configureOutput({ outputError: (text, write) => write(usageErrorLine(text)) })
  .exitOverride((error) => {
    // Commander's own usage errors (unknown option, missing argument) exit with 2; help exits 0.
    process.exit(error.exitCode === 0 ? 0 : 2);
  });

// `t2s catalog --json | head`: the reader has gone, so stop quietly as other Unix tools do (no stack trace).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`t2s: error: cannot write to stdout: ${error.message}\n`);
  process.exit(1);
});

registerWarehouseCommands(program);
registerCatalogCommand(program);
registerModelCommands(program);
registerDemoCommand(program);
registerSqlCheckCommand(program);
registerApiKeyCommands(program);
registerUpCommand(program);
registerEvalCommand(program);
registerSegmentCommand(program);
registerOutcomesCommands(program);
registerPrecedentsCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`t2s: error: ${message.replace(/\s+/g, ' ').trim()}\n`);
  process.exit(1);
});
