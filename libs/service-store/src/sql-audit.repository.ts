import type { Pool } from 'pg';
import type { AuditEntry, AuditSink } from '@t2s/contracts';
import { storeTables } from './store-tables';

/**
 * Writes the SQL audit trail to the `sql_audit` table of the store schema (the SERVICE database, never
 * the warehouse). The table is created by migration 0005-sql-audit (its `origin` column by 0011); this
 * repository runs no DDL.
 */
export class PgAuditSink implements AuditSink {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = storeTables(schema).sqlAudit;
  }

  /** Rejects when the write fails (an unaudited run is not acceptable), including an unknown verdict. */
  async record(entry: AuditEntry): Promise<void> {
    await this.pool.query(
      `insert into ${this.table} (sql_hash, sql, segment_id, revision_id, api_key_id, verdict, code, reason,
         sql_state, duration_ms, rows, cost, at, origin)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        entry.sqlHash,
        storable(entry.sql),
        entry.segmentId ?? null,
        entry.revisionId ?? null,
        entry.apiKeyId ?? null,
        entry.verdict,
        entry.code ?? null,
        entry.reason === undefined ? null : storable(entry.reason),
        entry.sqlState ?? null,
        Math.round(entry.durationMs),
        entry.rows ?? null,
        entry.cost ?? null,
        entry.at,
        entry.origin ?? null,
      ],
    );
  }
}

/**
 * PostgreSQL text cannot hold NUL, and SQL with a NUL in it (rejected, but audited) must not make the
 * audit write fail; the entry's hash still identifies the exact text.
 */
function storable(text: string): string {
  return text.replace(/\0/g, '\uFFFD');
}
