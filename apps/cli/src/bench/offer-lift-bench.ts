/**
 * An offer's segment against a real campaign outcome: the baseline's criteria and SQL for the offer (no
 * criteria text), the segment's size, and how often its members subscribed in the data's own campaign,
 * beside the base rate. Only Bank Marketing records an outcome (`y`); the segment may not read it (the
 * guard on generated SQL refuses every column not for targeting), this script reads it afterwards.
 *
 *   WAREHOUSE_URL=postgres://.../t2s_eval npm run bench:offer-lift -- \
 *     [--offer eval/offers/bank-marketing-term-deposit-call.json] [--schema bank_marketing] \
 *     [--outcome client.y=yes]
 *
 * Exits 1 when issue 16's bar is missed: at least 2% of the clients, at least 1.5 times the base rate,
 * no column not for targeting read.
 */
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { createBaselineStrategy } from '@t2s/baseline';
import { findAnnotationsFor, introspectCatalog } from '@t2s/catalog';
import { offerSchema } from '@t2s/contracts';
import { openWarehouse, quoteIdent } from '@t2s/db';
import { parseModelSource } from '@t2s/semantic';
import { catalogGuards, loadSqlGuard } from '@t2s/sql-guard';
import { progress } from '../command-runner';

const MIN_SHARE = 0.02;
const MIN_LIFT = 1.5;

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;

async function main(): Promise<void> {
  const offerFile = arg('--offer', 'eval/offers/bank-marketing-term-deposit-call.json');
  const schema = arg('--schema', 'bank_marketing');
  const outcome = /^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)=(.+)$/.exec(arg('--outcome', 'client.y=yes'));
  if (!outcome) throw new Error('--outcome must be table.column=value');
  const [, table, column, value] = outcome as unknown as [string, string, string, string];
  const offer = offerSchema.parse(JSON.parse(readFileSync(offerFile, 'utf8')) as unknown);

  const warehouse = await openWarehouse({ onProgress: progress });
  const pool = new Pool({ connectionString: warehouse.url, max: 1 });
  try {
    const client = await pool.connect();
    try {
      const catalog = await introspectCatalog(client, {
        schemas: [schema],
        annotations: findAnnotationsFor(schema),
        onWarning: progress,
      });
      await loadSqlGuard();
      const strategy = createBaselineStrategy({ modelSource: parseModelSource(process.env['T2S_MODEL']) });
      const { criteria } = await strategy.criteria.generate({ offer, catalog });
      const { sql } = await strategy.sql.generate({ criteria, catalog });
      const verdict = catalogGuards(catalog).generated(sql);
      const notForTargeting = catalog.tables.flatMap((t) =>
        t.columns.filter((c) => c.notForTargeting).map((c) => `${t.name}.${c.name}`),
      );

      const rel = `${quoteIdent(schema)}.${quoteIdent(table)}`;
      const hit = `${quoteIdent(column)} = $1`;
      await client.query("begin read only; set local statement_timeout = '120s'");
      const figures = await client
        .query<{ all: number; all_hit: number; size: number; size_hit: number }>(
          `select (select count(*) from ${rel})::int as all,
                  (select count(*) from ${rel} where ${hit})::int as all_hit,
                  count(*)::int as size, count(*) filter (where c.${hit})::int as size_hit
             from (${sql}) s join ${rel} c using (client_id)`,
          [value],
        )
        .finally(() => client.query('rollback'));
      const f = figures.rows[0] as { all: number; all_hit: number; size: number; size_hit: number };
      const base = f.all_hit / f.all;
      const rate = f.size === 0 ? 0 : f.size_hit / f.size;
      const bar = {
        size: f.size / f.all >= MIN_SHARE,
        lift: rate >= MIN_LIFT * base,
        targeting: verdict.ok,
      };
      process.stdout.write(
        [
          `offer: ${offer.title} (${offer.product.type}, ${offer.channel}), ${offerFile}`,
          'criteria:',
          ...criteria.map((c) => `  ${c.kind === 'exclude' ? '-' : '+'} ${c.text}`),
          `not for targeting: ${notForTargeting.join(', ') || 'none'}; guard on generated SQL: ${
            verdict.ok ? 'ok' : `${verdict.code}: ${verdict.reason}`
          }`,
          'sql:',
          ...sql.split('\n').map((line) => `  ${line}`),
          `clients: ${f.all}; base rate (${table}.${column} = '${value}'): ${f.all_hit} = ${percent(base)}`,
          `segment: ${f.size} clients = ${percent(f.size / f.all)} of all; ${table}.${column} = '${value}': ${
            f.size_hit
          } = ${percent(rate)}, ${(rate / base).toFixed(2)}x the base rate`,
          `bar: size >= ${percent(MIN_SHARE)} ${bar.size ? 'met' : 'MISSED'}; rate >= ${MIN_LIFT}x base ${
            bar.lift ? 'met' : 'MISSED'
          }; reads nothing not for targeting ${bar.targeting ? 'met' : 'MISSED'}`,
          '',
        ].join('\n'),
      );
      if (!bar.size || !bar.lift || !bar.targeting) process.exitCode = 1;
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
    await warehouse.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`offer-lift-bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
