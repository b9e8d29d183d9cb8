import type { Command } from 'commander';
import { lastMessage, SupervisorFailedError, type SupervisorFailure } from '@t2s/process';
import { action, plainName, positiveInt, progress } from '../command-runner';
import { startStack } from '../service/service-stack';

interface UpOptions {
  port: string;
  host: string;
  schema: string;
  executorRole: string;
}

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .summary('run the whole service on this machine until interrupted')
    .description(
      'Start the gateway (on PORT, default 3000) and one worker process per queue (criteria, linking, sql, ' +
        'execution, webhook). Uses WAREHOUSE_URL and SERVICE_DATABASE_URL, else the embedded PostgreSQL; ' +
        'REDIS_URL, else a redis-server started here. A worker that dies is restarted (0.5 s, doubling to 30 s); ' +
        'five worker deaths within a minute, or the gateway dying, stop everything with exit code 1. ' +
        'Stops cleanly on Ctrl-C or SIGTERM.',
    )
    .option('--port <n>', 'gateway port', process.env['PORT'] ?? '3000')
    .option('--host <address>', 'gateway address', process.env['HOST'] ?? '127.0.0.1')
    .option('--schema <name>', 'warehouse schema to build segments on', 'bank')
    .option('--executor-role <name>', 'read-only role that runs generated SQL', 't2s_executor')
    .action(action(async (options: UpOptions) => runUp(options)));
}

/** One line: which process, how it ended, and the last thing it said. */
function failureLine(failure: SupervisorFailure): string {
  return `${failure.message}; the service is stopped. ${failure.name}'s last message: ${lastMessage(failure.output)}`;
}

async function runUp(options: UpOptions): Promise<void> {
  const stack = await startStack({
    port: positiveInt('--port', options.port, 3000),
    host: options.host,
    schema: plainName('--schema', options.schema),
    executorRole: plainName('--executor-role', options.executorRole),
    env: process.env,
    onProgress: progress,
    onLine: (name, line) => process.stderr.write(`[${name}] ${line}\n`),
  }).catch((error: unknown) => {
    // Workers that die while the service starts are restarted like any other, until the policy gives up.
    throw error instanceof SupervisorFailedError ? new Error(failureLine(error.failure)) : error;
  });
  progress(`service up at ${stack.url} (docs at ${stack.url}/docs); Ctrl-C stops it`);
  progress('create an API key with: npm run t2s -- apikey create --name <name>');

  const signal = new Promise<string>((resolveSignal) => {
    for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => resolveSignal(name));
  });
  const outcome = await Promise.race([
    signal.then((name) => ({ name })),
    stack.failed.then((failure) => ({ failure })),
  ]);
  if ('failure' in outcome) {
    await stack.close();
    throw new Error(failureLine(outcome.failure));
  }
  progress(`${outcome.name}: stopping`);
  await stack.close();
  progress('stopped');
}
