/**
 * Seeding benchmark: seeds the demo warehouse at each size in one run (so the sizes compare on the
 * same machine state) and prints time, rows and size, then the catalog's size in LLM tokens.
 *
 *   npm run bench:seed -- 20000 200000
 *
 * Uses WAREHOUSE_URL, else the embedded PostgreSQL. Each size goes to schema bench_<n>, dropped after.
 */
import { Client } from 'pg';
import {
  catalogStats,
  countTokens,
  findAnnotationsFor,
  introspectCatalog,
  renderSchemaDdl,
} from '@t2s/catalog';
import { openWarehouse, quoteIdent } from '@t2s/db';
import { seedDemoWarehouse } from '@t2s/warehouse';
import { progress } from '../command-runner';
import { DEFAULT_REPORT_DATE } from '../commands/warehouse.command';

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number);
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error('usage: npm run bench:seed -- <clients> [<clients> ...]');
  }
  const target = await openWarehouse({ onProgress: progress });
  const client = new Client({ connectionString: target.url });
  await client.connect();
  const rows: string[] = [];
  try {
    const { rows: version } = await client.query<{ v: string }>('select version() as v');
    console.log(`warehouse: ${target.label}\n${version[0]!.v}\n`);
    for (const clients of sizes) {
      const schema = `bench_${clients}`;
      const result = await seedDemoWarehouse({
        url: target.url,
        schema,
        clients,
        seed: 1,
        reportDate: DEFAULT_REPORT_DATE,
        onProgress: (message) => progress(`[${clients}] ${message}`),
      });
      const total = result.tables.reduce((sum, table) => sum + table.rows, 0);
      rows.push(
        [
          String(clients).padStart(8),
          result.seconds.total.toFixed(1).padStart(8),
          result.seconds.generate.toFixed(1).padStart(14),
          result.seconds.constraints.toFixed(1).padStart(12),
          String(total).padStart(11),
          `${(result.bytes / 1024 / 1024).toFixed(0)} MB`.padStart(10),
          String(Math.round(total / result.seconds.total)).padStart(10),
        ].join(' '),
      );
      if (clients === sizes[0]) {
        const catalog = await introspectCatalog(client, {
          schemas: [schema],
          annotations: findAnnotationsFor('bank'),
        });
        const stats = catalogStats(catalog);
        const ddl = renderSchemaDdl(catalog);
        const tokens = await countTokens(ddl);
        const json = await countTokens(JSON.stringify(catalog));
        console.log(
          `catalog: ${stats.tables} tables, ${stats.columns} columns, ${stats.foreignKeys} foreign keys, ` +
            `${stats.commentedColumns}/${stats.columns} columns commented, ${stats.piiColumns} PII columns, ` +
            `${stats.indexedValueColumns} value-indexed columns\n` +
            `full schema as DDL with comments: ${tokens.tokens} tokens (${tokens.tokenizer}), ${ddl.length} chars; ` +
            `catalog JSON with value index: ${json.tokens} tokens\n`,
        );
      }
      await client.query(`drop schema ${quoteIdent(schema)} cascade`);
    }
    console.log(' clients  total s  generate+load s  keys+index s        rows    on disk    rows/s');
    for (const row of rows) console.log(row);
  } finally {
    await client.end();
    await target.close();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
