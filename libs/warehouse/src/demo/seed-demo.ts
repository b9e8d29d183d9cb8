import { Pool, type ClientBase } from 'pg';
import { quoteIdent, quoteLiteral } from '@t2s/db';
import { makeProfile } from './client-profile';
import { ClientRowWriter } from './client-rows';
import { CopyWriter } from './copy-writer';
import { dayOf } from './dates';
import { commentSql, createTableSql, foreignKeySql, indexSql, primaryKeySql } from './ddl';
import { writeReferenceData } from './reference-rows';
import { DEMO_TABLES } from './warehouse-schema';

export interface SeedDemoOptions {
  url: string;
  schema: string;
  clients: number;
  seed: number;
  /** Report date of the warehouse: windows such as "last 12 months" end on it. */
  reportDate: string;
  onProgress?: (message: string) => void;
}

export interface SeedDemoResult {
  tables: Array<{ name: string; rows: number }>;
  seconds: { generate: number; constraints: number; total: number };
  bytes: number;
}

/** Clients per batch: generation yields to the event loop between batches so COPY keeps flowing. */
const BATCH = 500;

/**
 * Seeds the demo bank warehouse into `schema` (dropped and recreated): tables without constraints,
 * rows streamed with COPY while they are generated, then keys, indexes, comments and statistics.
 */
export async function seedDemoWarehouse(options: SeedDemoOptions): Promise<SeedDemoResult> {
  const started = performance.now();
  const say = options.onProgress ?? (() => undefined);
  const reportDay = dayOf(options.reportDate);
  const schema = quoteIdent(options.schema);
  const pool = new Pool({ connectionString: options.url, max: 4 });
  try {
    await withClient(pool, async (client) => {
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.query(`create schema ${schema}`);
      await client.query(
        `comment on schema ${schema} is ${quoteLiteral(`Демо-хранилище розничного банка: ${options.clients} клиентов, seed ${options.seed}, отчётная дата ${options.reportDate}`)}`,
      );
      for (const table of DEMO_TABLES) await client.query(createTableSql(options.schema, table));
    });

    const out = new CopyWriter(pool, options.schema, DEMO_TABLES);
    const ref = writeReferenceData(out, options.seed, reportDay, options.clients);
    const rows = new ClientRowWriter(out, ref, reportDay);
    let lastReport = performance.now();
    for (let id = 1; id <= options.clients; id++) {
      rows.write(makeProfile(options.seed, id, reportDay));
      if (id % BATCH === 0) {
        await out.flushFull();
        if (performance.now() - lastReport > 2000) {
          lastReport = performance.now();
          say(`generated ${id} of ${options.clients} clients (${Math.round((id / options.clients) * 100)}%)`);
        }
      }
    }
    await out.finish();
    await withClient(pool, (client) => client.query(rankScoreDecilesSql(options.schema)));
    const generated = performance.now();
    say(
      `loaded ${[...out.rowCounts.values()].reduce((a, b) => a + b, 0)} rows; adding keys, indexes and comments`,
    );

    await addConstraints(pool, options.schema, say);
    const done = performance.now();
    const bytes = await withClient(pool, async (client) => {
      const { rows: sized } = await client.query<{ bytes: string }>(
        `select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = $1 and c.relkind = 'r'`,
        [options.schema],
      );
      return Number(sized[0]!.bytes);
    });
    return {
      tables: DEMO_TABLES.map((table) => ({ name: table.name, rows: out.rowCounts.get(table.name) ?? 0 })),
      seconds: {
        generate: (generated - started) / 1000,
        constraints: (done - generated) / 1000,
        total: (done - started) / 1000,
      },
      bytes,
    };
  } finally {
    await pool.end();
  }
}

/**
 * Score deciles rank each client among all clients by score type, so they need every score: 1 is
 * the tenth with the lowest scores, 10 the highest, about 10% each (ties split by client id).
 */
function rankScoreDecilesSql(schema: string): string {
  const table = `${quoteIdent(schema)}.client_score`;
  return `update ${table} s set score_decile = r.decile
            from (select client_id, score_type,
                         ntile(10) over (partition by score_type order by score_value, client_id) as decile
                    from ${table}) r
           where s.client_id = r.client_id and s.score_type = r.score_type`;
}

/**
 * Primary keys first (foreign keys need them), then foreign keys, indexes and comments. Statements on
 * different tables run on parallel connections; ANALYZE last so the catalog sees fresh statistics.
 */
async function addConstraints(pool: Pool, schema: string, say: (message: string) => void): Promise<void> {
  const parallel = async (statements: string[]): Promise<void> => {
    const queue = [...statements];
    await Promise.all(
      Array.from({ length: 3 }, () =>
        withClient(pool, async (client) => {
          for (let sql = queue.shift(); sql !== undefined; sql = queue.shift()) await client.query(sql);
        }),
      ),
    );
  };
  await parallel(DEMO_TABLES.map((table) => primaryKeySql(schema, table)));
  say('primary keys added');
  await parallel(DEMO_TABLES.flatMap((table) => foreignKeySql(schema, table)));
  say('foreign keys added and validated');
  await parallel(DEMO_TABLES.flatMap((table) => indexSql(schema, table)));
  // About 500 statements: one round trip (simple query protocol runs them as one batch).
  await withClient(pool, (client) =>
    client.query(DEMO_TABLES.flatMap((table) => commentSql(schema, table)).join(';\n')),
  );
  await parallel(DEMO_TABLES.map((table) => `analyze ${quoteIdent(schema)}.${quoteIdent(table.name)}`));
  say('indexes, comments and statistics done');
}

async function withClient<T>(pool: Pool, fn: (client: ClientBase) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}
