import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { Client } from 'pg';
import { annotationsForSchemas, introspectCatalog } from '@t2s/catalog';
import { openWarehouse, redactUrl, type DatabaseTarget } from '@t2s/db';
import {
  checkSql,
  loadSqlGuard,
  policyFromCatalog,
  type GuardPolicy,
  type GuardVerdict,
} from '@t2s/sql-guard';
import { action, parseSchemas, progress, UsageError } from '../command-runner';

export interface SqlCheckOptions {
  warehouse?: string;
  schema: string;
  anyShape?: boolean;
  /** Whose SQL it is: a person's (the default: what ops vet before approval) or generated. */
  origin?: string;
}

/** What the command writes per input line: the guard's verdict, or BAD_INPUT for a line it cannot read. */
type CheckLine = GuardVerdict | { ok: false; code: 'BAD_INPUT'; reason: string };

function warehouseTarget(url: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--warehouse must be a postgres:// URL, got "${url}"`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new UsageError(`--warehouse must be a postgres:// URL, got "${redactUrl(url)}"`);
  }
  return { url, label: redactUrl(url), close: async () => undefined };
}

/** One input line → one output line; a line that is not `{"sql": "..."}` is BAD_INPUT, never fatal. */
export function checkLine(line: string, lineNumber: number, policy: GuardPolicy): CheckLine {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch (error) {
    return {
      ok: false,
      code: 'BAD_INPUT',
      reason: `line ${lineNumber} is not JSON: ${(error as Error).message}`,
    };
  }
  const sql = typeof input === 'object' && input !== null ? (input as { sql?: unknown }).sql : undefined;
  if (typeof sql !== 'string') {
    return {
      ok: false,
      code: 'BAD_INPUT',
      reason: `line ${lineNumber} is not an object with an "sql" string`,
    };
  }
  return checkSql(sql, policy);
}

async function loadPolicy(options: SqlCheckOptions, schemas: string[]): Promise<GuardPolicy> {
  const target = options.warehouse
    ? warehouseTarget(options.warehouse)
    : await openWarehouse({ onProgress: progress });
  const client = new Client({ connectionString: target.url });
  try {
    await client.connect();
    progress(`reading the catalog of ${schemas.join(', ')} from ${target.label}`);
    // The guard needs the tables, columns, keys and PII marks (with the warehouse's annotations, as
    // the workers read them), not the values: keep the value index to a minimum.
    const { annotations, missing } = annotationsForSchemas(schemas);
    if (missing.length > 0) progress(`no annotations for ${missing.join(', ')}; PII is marked by name only`);
    const catalog = await introspectCatalog(client, { schemas, annotations, valueIndex: { maxDistinct: 1 } });
    const policy = policyFromCatalog(catalog, {
      outputColumns: options.anyShape ? null : 1,
      origin: options.origin === 'generated' ? 'generated' : 'person',
    });
    const relations = policy.relations.size === 1 ? '1 relation' : `${policy.relations.size} relations`;
    progress(`${relations} allowed; reading {"sql": "..."} lines from stdin`);
    return policy;
  } finally {
    await client.end().catch(() => undefined);
    await target.close();
  }
}

/** Runs `t2s sql-check`: reads JSON lines from `input`, writes one verdict line per input line. */
export async function runSqlCheck(
  options: SqlCheckOptions,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const schemas = parseSchemas(options.schema);
  if (options.origin !== undefined && options.origin !== 'person' && options.origin !== 'generated') {
    throw new UsageError(`--origin must be person or generated, got "${options.origin}"`);
  }
  if (options.warehouse !== undefined) warehouseTarget(options.warehouse); // bad URL: fail before any work
  const [policy] = await Promise.all([loadPolicy(options, schemas), loadSqlGuard()]);

  const counts = { ok: 0, rejected: 0, bad: 0 };
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber += 1;
    if (line.trim() === '') continue; // a blank line is no input, so it gets no answer
    const verdict = checkLine(line, lineNumber, policy);
    if (verdict.ok) counts.ok += 1;
    else if (verdict.code === 'BAD_INPUT') counts.bad += 1;
    else counts.rejected += 1;
    if (!output.write(`${JSON.stringify(verdict)}\n`)) await once(output, 'drain');
  }
  const total = counts.ok + counts.rejected + counts.bad;
  progress(
    `checked ${total} lines: ${counts.ok} accepted, ${counts.rejected} rejected, ${counts.bad} unreadable`,
  );
}

export function registerSqlCheckCommand(program: Command): void {
  program
    .command('sql-check')
    .description('check SQL texts with the SQL guard: one read-only SELECT over the warehouse catalog')
    .option(
      '--warehouse <url>',
      'PostgreSQL URL of the warehouse (default: WAREHOUSE_URL, else the embedded one)',
    )
    .option('--schema <names>', 'comma-separated warehouse schemas whose tables the SQL may read', 'bank')
    .option('--any-shape', 'allow any result columns (default: exactly one column, the client id)')
    .option(
      '--origin <who>',
      "person (default: a person's SQL, recursion only with a visible depth limit) or generated",
    )
    .addHelpText(
      'after',
      [
        '',
        'Reads one JSON object per line from stdin, {"sql": "..."}; writes one JSON line per input line:',
        '  {"ok":true,"relations":[...],"functions":[...]}  or  {"ok":false,"code":"...","reason":"..."}',
        'An unreadable line gets {"ok":false,"code":"BAD_INPUT",...}; blank lines are skipped.',
        'Example:',
        `  echo '{"sql": "SELECT client_id FROM client"}' | t2s sql-check --schema bank`,
      ].join('\n'),
    )
    .action(action((options: SqlCheckOptions) => runSqlCheck(options)));
}
