import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { Client } from 'pg';
import {
  annotationsForSchemas,
  countTokens,
  introspectCatalog,
  loadAnnotations,
  renderSchemaDdl,
  summarizeCatalog,
  catalogStats,
  type CatalogAnnotations,
} from '@t2s/catalog';
import { openWarehouse, type DatabaseTarget } from '@t2s/db';
import { action, parseSchemas, progress, UsageError } from '../command-runner';

export interface CatalogOptions {
  schema: string;
  out?: string;
  annotations?: string;
  json?: boolean;
  tokens?: boolean;
}

function resolveAnnotations(schemas: string[], file: string | undefined): CatalogAnnotations | undefined {
  if (file !== undefined) {
    try {
      return loadAnnotations(file);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const { annotations, missing } = annotationsForSchemas(schemas);
  if (missing.length > 0) {
    progress(`no annotations for ${missing.join(', ')} in config/warehouses; PII is marked by name only`);
  }
  return annotations;
}

/** Runs `t2s catalog`; with `warehouse` given, uses that open warehouse and leaves it open. */
export async function runCatalog(options: CatalogOptions, warehouse?: DatabaseTarget): Promise<void> {
  const schemas = parseSchemas(options.schema);
  const annotations = resolveAnnotations(schemas, options.annotations);

  const target = warehouse ?? (await openWarehouse({ onProgress: progress }));
  const client = new Client({ connectionString: target.url });
  try {
    await client.connect();
    progress(`reading the catalog of ${schemas.join(', ')} from ${target.label}`);
    const started = Date.now();
    const catalog = await introspectCatalog(client, { schemas, annotations, onWarning: progress });
    const stats = catalogStats(catalog);
    progress(`${stats.tables} tables, ${stats.columns} columns read in ${Date.now() - started} ms`);

    const json = `${JSON.stringify(catalog, null, 2)}\n`;
    if (options.out) {
      mkdirSync(dirname(options.out), { recursive: true });
      writeFileSync(options.out, json);
      progress(`catalog written to ${options.out}`);
    }
    process.stdout.write(options.json ? json : summarizeCatalog(catalog));

    if (options.tokens) {
      const ddl = renderSchemaDdl(catalog);
      const { tokenizer, tokens } = await countTokens(ddl);
      const line = `Full schema as DDL with comments: ${tokens} tokens (${tokenizer}), ${ddl.length} characters`;
      // With --json, stdout must stay one JSON document.
      if (options.json) progress(line);
      else process.stdout.write(`\n${line}\n`);
    }
  } finally {
    await client.end().catch(() => undefined);
    if (!warehouse) await target.close();
  }
}

export function registerCatalogCommand(program: Command): void {
  program
    .command('catalog')
    .description('describe the warehouse: tables, columns, keys, comments, PII marks and value lists')
    .option('--schema <names>', 'comma-separated warehouse schemas to read', 'bank')
    .option('--out <file>', 'also write the catalog as JSON to this file')
    .option(
      '--annotations <file>',
      'PII annotation file (default: config/warehouses/<schema>.annotations.json for each schema, if present)',
    )
    .option('--json', 'print the JSON catalog to stdout instead of the summary')
    .option(
      '--tokens',
      'also print the token count of the full schema as DDL, as an LLM prompt would hold it',
    )
    .addHelpText(
      'after',
      [
        '',
        'Reads the warehouse named by WAREHOUSE_URL (else the embedded PostgreSQL). Progress goes to stderr.',
        'Examples:',
        '  t2s catalog                          summary of schema bank',
        '  t2s catalog --out .t2s/catalog.json  also save the catalog for the other commands',
        '  t2s catalog --json --tokens          JSON on stdout, token count on stderr',
      ].join('\n'),
    )
    .action(action((options: CatalogOptions) => runCatalog(options)));
}
