import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { quoteIdent } from '@t2s/db';

/**
 * One row per SQL text the sandbox checked or ran, whatever happened to it: who asked, what the guard
 * and the warehouse said, how long it took. The trail is how ops answer "what ran against client data".
 */
export interface AuditEntry {
  /** sha256 (hex) of the exact text, to find every run of the same SQL. */
  sqlHash: string;
  sql: string;
  segmentId?: string;
  revisionId?: string;
  apiKeyId?: string;
  /** `explained`: a dry run (`explain()`) that passed the guard and the cost cap and ran nothing. */
  verdict: 'rejected' | 'failed' | 'executed' | 'explained';
  /** The guard's code for a guard rejection, else the sandbox's error code (or CONSUMER_FAILED, INTERNAL_ERROR). */
  code?: string;
  reason?: string;
  /** PostgreSQL's SQLSTATE when the warehouse reported the error (25006/42501 mean the guard let a write past). */
  sqlState?: string;
  durationMs: number;
  rows?: number;
  cost?: number;
  at: Date;
}

/** Where audit entries go. A failed write must reject: an unaudited run is not acceptable. */
export interface AuditSink {
  record(entry: AuditEntry): Promise<void>;
}

export function sqlHash(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/** The audit table in `schema` of the service database; idempotent. */
export const SQL_AUDIT_DDL = (schema: string): string => {
  const table = `${quoteIdent(schema)}.sql_audit`;
  return `
    create table if not exists ${table} (
      id bigserial primary key,
      sql_hash text not null,
      sql text not null,
      segment_id text,
      revision_id text,
      api_key_id text,
      verdict text not null check (verdict in ('rejected', 'failed', 'executed', 'explained')),
      code text,
      reason text,
      sql_state text,
      duration_ms integer not null,
      rows bigint,
      cost double precision,
      at timestamptz not null
    );
    create index if not exists sql_audit_segment_id_idx on ${table} (segment_id);
    create index if not exists sql_audit_sql_hash_idx on ${table} (sql_hash);`;
};

/** Writes the audit trail to `<schema>.sql_audit` in the SERVICE database (never the warehouse). */
export class PgAuditSink implements AuditSink {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.sql_audit`;
  }

  async ensureSchema(): Promise<void> {
    await this.pool.query(SQL_AUDIT_DDL(this.schema));
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.pool.query(
      `insert into ${this.table} (sql_hash, sql, segment_id, revision_id, api_key_id, verdict, code, reason,
         sql_state, duration_ms, rows, cost, at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
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
      ],
    );
  }
}

/**
 * PostgreSQL text cannot hold NUL, and SQL with a NUL in it (rejected, but audited) must not make the
 * audit write fail; the hash still identifies the exact text.
 */
function storable(text: string): string {
  return text.replace(/\0/g, '\uFFFD');
}

/** Keeps entries in memory, for tests; `failWith` makes the next writes reject. */
export class MemoryAuditSink implements AuditSink {
  readonly entries: AuditEntry[] = [];
  failWith: Error | null = null;

  async record(entry: AuditEntry): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.entries.push(entry);
  }
}
