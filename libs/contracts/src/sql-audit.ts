// The SQL audit record: what the sandbox (domain) writes and the service store (infra) persists in its
// migrated `sql_audit` table. Types only (plus the verdict list), so both sides share one shape.

/**
 * `explained`: a dry run (`explain()`) that passed the guard and the cost cap and ran nothing.
 * Keep in step with the check constraint of migration 0005-sql-audit in libs/service-store.
 */
export const SQL_AUDIT_VERDICTS = ['rejected', 'failed', 'executed', 'explained'] as const;
export type AuditVerdict = (typeof SQL_AUDIT_VERDICTS)[number];

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
  /** Who wrote the SQL: a strategy (`generated`) or a person (a SQL revision); they run under different limits. */
  origin?: 'generated' | 'person';
  verdict: AuditVerdict;
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
