// The SQL audit trail in the migrated `sql_audit` table of a test schema of the service database.
import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import type { AuditEntry } from '@t2s/contracts';
import { createTestSchema, quoteIdent, type TestSchema } from '@t2s/db';
import { runMigrations } from './migrate';
import { createRepositories } from './service-store';
import { PgAuditSink } from './sql-audit.repository';

/** As the sandbox's sqlHash: sha256 (hex) of the exact text. */
const sqlHash = (sql: string): string => createHash('sha256').update(sql, 'utf8').digest('hex');

let db: TestSchema;
let pool: Pool;
let sink: PgAuditSink;

beforeAll(async () => {
  db = await createTestSchema('store_audit');
  pool = new Pool({ connectionString: db.url, max: 2 });
  await runMigrations(pool, { schema: db.schema });
  sink = createRepositories(pool, db.schema).sqlAudit;
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

beforeEach(async () => {
  await db.client.query(`truncate ${quoteIdent(db.schema)}.sql_audit`);
});

const readBack = async () =>
  (await db.client.query(`select * from ${quoteIdent(db.schema)}.sql_audit order by id`)).rows;

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => {
  const sql = 'select client_id from client';
  return {
    sqlHash: sqlHash(sql),
    sql,
    segmentId: 'seg-1',
    revisionId: 'rev-1',
    apiKeyId: 'key-1',
    verdict: 'executed',
    durationMs: 12.6,
    rows: 50_000,
    cost: 818.5,
    at: new Date('2025-01-02T03:04:05.678Z'),
    ...overrides,
  };
};

describe('PgAuditSink', () => {
  it('is the sqlAudit of the store repositories', () => {
    expect(sink).toBeInstanceOf(PgAuditSink);
  });

  it('writes one row per entry to the migrated table', async () => {
    await sink.record(entry({ origin: 'generated' }));
    await sink.record(
      entry({
        origin: 'person',
        verdict: 'failed',
        code: 'SQL_FAILED',
        reason: 'column "x" does not exist',
        sqlState: '42703',
        rows: 0,
      }),
    );
    await sink.record({
      sqlHash: sqlHash('x'),
      sql: 'x',
      verdict: 'rejected',
      durationMs: 0,
      at: new Date(),
    });
    await sink.record(entry({ verdict: 'explained', rows: undefined, cost: 12 }));

    const rows = await readBack();
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({
      sql_hash: sqlHash('select client_id from client'),
      sql: 'select client_id from client',
      segment_id: 'seg-1',
      revision_id: 'rev-1',
      api_key_id: 'key-1',
      verdict: 'executed',
      code: null,
      reason: null,
      sql_state: null,
      duration_ms: 13,
      rows: '50000',
      cost: 818.5,
      at: new Date('2025-01-02T03:04:05.678Z'),
      origin: 'generated',
    });
    expect(rows[1]).toMatchObject({
      origin: 'person',
      verdict: 'failed',
      code: 'SQL_FAILED',
      reason: 'column "x" does not exist',
      sql_state: '42703',
      rows: '0',
    });
    expect(rows[2]).toMatchObject({
      verdict: 'rejected',
      segment_id: null,
      rows: null,
      cost: null,
      origin: null,
    });
    expect(rows[3]).toMatchObject({ verdict: 'explained', rows: null, cost: 12 });
  });

  it('stores SQL with a NUL character as U+FFFD, under the hash of the exact text', async () => {
    const sql = 'select 1\0; delete from client';
    await sink.record({
      sqlHash: sqlHash(sql),
      sql,
      verdict: 'rejected',
      reason: 'NUL\0 in the text',
      durationMs: 0,
      at: new Date(),
    });
    const rows = await readBack();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      sql: 'select 1\uFFFD; delete from client',
      reason: 'NUL\uFFFD in the text',
      sql_hash: sqlHash(sql),
    });
    expect(rows[0].sql_hash).not.toBe(sqlHash(rows[0].sql as string));
  });

  it('has the indexes ops look runs up by', async () => {
    const { rows } = await db.client.query<{ indexdef: string }>(
      `select indexdef from pg_indexes where schemaname = $1 and tablename = 'sql_audit' order by indexname`,
      [db.schema],
    );
    expect(rows.map((row) => row.indexdef)).toEqual([
      expect.stringContaining('(id)'),
      expect.stringContaining('(segment_id)'),
      expect.stringContaining('(sql_hash)'),
    ]);
  });

  it('lets a failed write reject', async () => {
    const closed = new Pool({ connectionString: db.url, max: 1 });
    await closed.end();
    await expect(new PgAuditSink(closed, db.schema).record(entry())).rejects.toThrow();
    // A verdict the table does not know is refused too.
    await expect(sink.record(entry({ verdict: 'approved' as AuditEntry['verdict'] }))).rejects.toMatchObject({
      code: '23514',
    });
    await expect(sink.record(entry({ origin: 'robot' as AuditEntry['origin'] }))).rejects.toMatchObject({
      code: '23514',
    });
    expect(await readBack()).toEqual([]);
  });
});
