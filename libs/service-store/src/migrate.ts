import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { quoteIdent } from '@t2s/db';
import { MIGRATIONS, type Migration } from './migrations';
import { withTransaction } from './transaction';

export interface MigrateOptions {
  /** The schema that holds the service's tables (created if missing). Production: `t2s`. */
  schema: string;
  /** For tests; defaults to the service's migrations. */
  migrations?: readonly Migration[];
  onProgress?: (message: string) => void;
}

export interface MigrateResult {
  /** Versions this call applied (empty when the schema was already up to date). */
  applied: string[];
}

export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql, 'utf8').digest('hex');
}

/**
 * Every migration of every process takes the same transaction-scoped advisory lock (per schema), so two
 * processes starting at once apply each migration exactly once: the second waits, then sees it recorded.
 * A transaction lock cannot leak past a crashed caller the way a session lock on a pooled connection can.
 */
async function lock(client: PoolClient, schema: string): Promise<void> {
  await client.query(`select pg_advisory_xact_lock(hashtext('t2s.service-store.migrations'), hashtext($1))`, [
    schema,
  ]);
}

/**
 * Applies the pending migrations in version order, one transaction each, recording them in
 * `<schema>.schema_migrations`. Idempotent. Refuses to run when an applied migration's text changed
 * (its checksum differs), naming it: the database no longer matches what the code believes it is.
 */
export async function runMigrations(pool: Pool, options: MigrateOptions): Promise<MigrateResult> {
  const schema = quoteIdent(options.schema);
  const migrations = [...(options.migrations ?? MIGRATIONS)].sort((a, b) =>
    a.version.localeCompare(b.version),
  );
  const applied: string[] = [];

  await withTransaction(pool, async (client) => {
    await lock(client, options.schema);
    // Under the lock: two concurrent `create schema if not exists` can otherwise fail on a unique index.
    await client.query(`create schema if not exists ${schema}`);
    await client.query(
      `create table if not exists ${schema}.schema_migrations (
         version text primary key,
         name text not null,
         checksum text not null,
         applied_at timestamptz not null default now()
       )`,
    );
  });

  for (const migration of migrations) {
    const checksum = migrationChecksum(migration);
    await withTransaction(pool, async (client) => {
      await lock(client, options.schema);
      const { rows } = await client.query<{ checksum: string }>(
        `select checksum from ${schema}.schema_migrations where version = $1`,
        [migration.version],
      );
      const recorded = rows[0];
      if (recorded) {
        if (recorded.checksum !== checksum) {
          throw new Error(
            `migration ${migration.version}-${migration.name} was changed after it was applied to schema ` +
              `${options.schema} (checksum ${recorded.checksum.slice(0, 12)}… in the database, ` +
              `${checksum.slice(0, 12)}… in the code); add a new migration instead of editing it`,
          );
        }
        return;
      }
      options.onProgress?.(`applying migration ${migration.version}-${migration.name} to ${options.schema}`);
      // `set local`: the search path ends with the transaction, so a pooled connection is left as found.
      await client.query(`set local search_path to ${schema}, public`);
      await client.query(migration.sql);
      await client.query(
        `insert into ${schema}.schema_migrations (version, name, checksum) values ($1, $2, $3)`,
        [migration.version, migration.name, checksum],
      );
      applied.push(migration.version);
    });
  }
  return { applied };
}
