import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { Client } from 'pg';
import { findAnnotationsFor, introspectCatalog } from '@t2s/catalog';
import { openWarehouse, type DatabaseTarget } from '@t2s/db';
import { bootstrapSemanticModel, SemanticModel, type SemanticModelFile } from '@t2s/semantic';
import { action, plainName, progress } from '../command-runner';

export interface ModelBootstrapOptions {
  schema: string;
  out?: string;
}

/** What the bootstrap found, in one line for the operator. */
export function bootstrapSummary(model: SemanticModelFile): string {
  const count = (n: number, what: string) => `${n} ${what}`;
  return [
    count(Object.keys(model.labels).length, 'labelled columns'),
    count(model.valueColumns.length, 'value columns'),
    count(model.attributes.length, 'attributes'),
    count(Object.keys(model.orders).length, 'ordered code lists'),
    count(Object.keys(model.columns).length, 'columns with terms'),
    count(Object.keys(model.tables).length, 'tables'),
    count(model.bridges.length, 'link tables'),
    model.now ? `now: ${model.now}` : 'no report date',
  ].join(', ');
}

/**
 * Runs `t2s model bootstrap`: the warehouse's catalog (with its PII and targeting marks), the model
 * derived from it, checked against the catalog, as annotation JSON on stdout or in a file.
 */
export async function runModelBootstrap(
  options: ModelBootstrapOptions,
  warehouse?: DatabaseTarget,
): Promise<void> {
  const schema = plainName('--schema', options.schema);
  const target = warehouse ?? (await openWarehouse({ onProgress: progress }));
  const client = new Client({ connectionString: target.url });
  try {
    await client.connect();
    progress(`reading the catalog of ${schema} from ${target.label}`);
    const catalog = await introspectCatalog(client, {
      schemas: [schema],
      annotations: findAnnotationsFor(schema),
      onWarning: progress,
    });
    if (!catalog.entities.some((e) => e.schema === schema)) {
      throw new Error(
        `schema ${schema} has no client entity: name its table client (or customer), or declare "entity" in config/warehouses/${schema}.annotations.json`,
      );
    }
    const model = bootstrapSemanticModel(catalog, schema);
    new SemanticModel(model, catalog, schema); // every reference checked, as the workers will
    const json = `${JSON.stringify(model, null, 2)}\n`;
    if (options.out) {
      mkdirSync(dirname(options.out), { recursive: true });
      writeFileSync(options.out, json);
      progress(`model written to ${options.out}`);
    } else {
      process.stdout.write(json);
    }
    progress(`bootstrapped ${schema}: ${bootstrapSummary(model)}`);
  } finally {
    await client.end().catch(() => undefined);
    if (!warehouse) await target.close();
  }
}

export function registerModelCommands(program: Command): void {
  const model = program.command('model').description("the warehouse's semantic model");
  model
    .command('bootstrap')
    .description(
      'derive a semantic model from the catalog alone (comments, types, keys, value lists), as annotation JSON',
    )
    .option('--schema <name>', 'warehouse schema to read', 'bank')
    .option('--out <file>', 'write the model to this file instead of stdout')
    .addHelpText(
      'after',
      [
        '',
        'Reads the warehouse named by WAREHOUSE_URL (else the embedded PostgreSQL), with the PII and',
        'targeting marks of config/warehouses/<schema>.annotations.json. The baseline merges this model',
        'under that file on its own: the file need only hold what you add or correct. A summary goes to stderr.',
        'Examples:',
        '  t2s model bootstrap --schema berka                  the model as JSON on stdout',
        '  t2s model bootstrap --schema bank_marketing --out .t2s/bank_marketing.model.json',
      ].join('\n'),
    )
    .action(action((options: ModelBootstrapOptions) => runModelBootstrap(options)));
}
