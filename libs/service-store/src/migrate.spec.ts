import { Pool } from 'pg';
import { createTestSchema, type TestSchema } from '@t2s/db';
import { migrationChecksum, runMigrations } from './migrate';
import { MIGRATIONS } from './migrations';

describe('runMigrations', () => {
  let test: TestSchema;
  let pool: Pool;

  beforeEach(async () => {
    test = await createTestSchema('store_migrate');
    pool = new Pool({ connectionString: test.url, max: 4 });
  });

  afterEach(async () => {
    await pool.end();
    await test.drop();
  });

  const tables = async () =>
    (
      await test.client.query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = $1 order by table_name`,
        [test.schema],
      )
    ).rows.map((row) => row.table_name);

  it('applies every migration once, records it, and is idempotent', async () => {
    const first = await runMigrations(pool, { schema: test.schema });
    expect(first.applied).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'api_key',
        'batch',
        'batch_item',
        'schema_migrations',
        'segment',
        'segment_member',
        'segment_revision',
        'segment_run',
        'sql_audit',
        'stage_run',
        'webhook_delivery',
        'webhook_event',
      ]),
    );
    const { rows } = await test.client.query(
      `select version, name, checksum from ${test.schema}.schema_migrations order by version`,
    );
    expect(rows).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version, name: m.name, checksum: migrationChecksum(m) })),
    );

    expect(await runMigrations(pool, { schema: test.schema })).toEqual({ applied: [] });
  });

  it('lets two processes migrate at once: each migration is applied exactly once', async () => {
    const other = new Pool({ connectionString: test.url, max: 2 });
    try {
      const [a, b] = await Promise.all([
        runMigrations(pool, { schema: test.schema }),
        runMigrations(other, { schema: test.schema }),
      ]);
      expect([...a.applied, ...b.applied].sort()).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await other.end();
    }
  });

  it('creates the schema when it does not exist', async () => {
    const schema = `${test.schema}_new`;
    try {
      await runMigrations(pool, { schema });
      expect((await test.client.query(`select 1 from ${schema}.api_key`)).rowCount).toBe(0);
    } finally {
      await test.client.query(`drop schema if exists ${schema} cascade`);
    }
  });

  it('refuses to run when an applied migration was edited, naming it', async () => {
    await runMigrations(pool, { schema: test.schema });
    const edited = MIGRATIONS.map((m) => (m.version === '0002' ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    await expect(runMigrations(pool, { schema: test.schema, migrations: edited })).rejects.toThrow(
      /migration 0002-segment was changed after it was applied/,
    );
  });

  it('gives sql_audit the columns PgAuditSink writes', async () => {
    await runMigrations(pool, { schema: test.schema });
    const { rows } = await test.client.query<{ column_name: string; data_type: string }>(
      `select column_name, data_type from information_schema.columns
       where table_schema = $1 and table_name = 'sql_audit' order by ordinal_position`,
      [test.schema],
    );
    expect(rows.map((r) => `${r.column_name}:${r.data_type}`)).toEqual([
      'id:bigint',
      'sql_hash:text',
      'sql:text',
      'segment_id:text',
      'revision_id:text',
      'api_key_id:text',
      'verdict:text',
      'code:text',
      'reason:text',
      'sql_state:text',
      'duration_ms:integer',
      'rows:bigint',
      'cost:double precision',
      'at:timestamp with time zone',
      'origin:text',
    ]);
  });
});
