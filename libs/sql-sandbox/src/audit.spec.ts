// The audit trail in a real PostgreSQL table (the service database; here a test schema).
import { Pool } from 'pg';
import { createTestSchema, quoteIdent, type TestSchema } from '@t2s/db';
import { PgAuditSink, SQL_AUDIT_DDL, sqlHash, type AuditEntry } from './audit';

let db: TestSchema;
let pool: Pool;

beforeAll(async () => {
  db = await createTestSchema('audit');
  pool = new Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

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
  it('creates its table idempotently and writes one row per entry', async () => {
    const sink = new PgAuditSink(pool, db.schema);
    await sink.ensureSchema();
    await sink.ensureSchema();
    await sink.record(entry());
    await sink.record(
      entry({
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

    const { rows } = await db.client.query(`select * from ${quoteIdent(db.schema)}.sql_audit order by id`);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      sql: 'select client_id from client',
      segment_id: 'seg-1',
      revision_id: 'rev-1',
      api_key_id: 'key-1',
      verdict: 'executed',
      code: null,
      duration_ms: 13,
      rows: '50000',
      cost: 818.5,
      at: new Date('2025-01-02T03:04:05.678Z'),
    });
    expect(rows[0].sql_hash).toBe(sqlHash('select client_id from client'));
    expect(rows[1]).toMatchObject({ verdict: 'failed', code: 'SQL_FAILED', sql_state: '42703', rows: '0' });
    expect(rows[2]).toMatchObject({ verdict: 'rejected', segment_id: null, rows: null, cost: null });
  });

  it('stores SQL with a NUL character (PostgreSQL text cannot hold one)', async () => {
    const sink = new PgAuditSink(pool, db.schema);
    await sink.ensureSchema();
    const sql = 'select 1\0; delete from client';
    await sink.record({ sqlHash: sqlHash(sql), sql, verdict: 'rejected', durationMs: 0, at: new Date() });
    const { rows } = await db.client.query(
      `select sql from ${quoteIdent(db.schema)}.sql_audit where sql_hash = $1`,
      [sqlHash(sql)],
    );
    expect(rows).toEqual([{ sql: 'select 1\uFFFD; delete from client' }]);
  });

  it('has the indexes ops look runs up by', async () => {
    await db.client.query(SQL_AUDIT_DDL(db.schema));
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
    const sink = new PgAuditSink(pool, db.schema);
    await expect(sink.record(entry({ verdict: 'approved' as AuditEntry['verdict'] }))).rejects.toMatchObject({
      code: '23514',
    });
  });
});

describe('sqlHash', () => {
  it('is the sha256 of the exact text', () => {
    expect(sqlHash('select 1')).toBe('822ae07d4783158bc1912bb623e5107cc9002d519e1143a9c200ed6ee18b6d0f');
    expect(sqlHash('select 1')).not.toBe(sqlHash('select 1 '));
  });
});
