/**
 * Writes the review console's contract module (apps/gateway/console/contract.js) from @t2s/contracts:
 * run after a value list the console reads changes (a channel, a status, a stage ...).
 *
 *   npx tsx apps/gateway/src/console/write-console-contract.ts           # writes it
 *   npx tsx apps/gateway/src/console/write-console-contract.ts --check   # exits 1 if it is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { CONSOLE_CONTRACT_COMMAND, CONSOLE_CONTRACT_FILE, renderConsoleContract } from './console-contract';

const file = relative(process.cwd(), CONSOLE_CONTRACT_FILE);
const text = renderConsoleContract();
let current: string | null = null;
try {
  current = readFileSync(CONSOLE_CONTRACT_FILE, 'utf8');
} catch {
  current = null;
}
if (process.argv.includes('--check')) {
  if (current !== text) {
    process.stderr.write(`${file} is out of date with the contract: run ${CONSOLE_CONTRACT_COMMAND}\n`);
    process.exit(1);
  }
  process.stdout.write(`${file} is up to date\n`);
} else if (current === text) {
  process.stdout.write(`${file} is up to date\n`);
} else {
  writeFileSync(CONSOLE_CONTRACT_FILE, text);
  process.stdout.write(`wrote ${file}\n`);
}
