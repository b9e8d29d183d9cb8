import { createHash } from 'node:crypto';
import type { AuditEntry, AuditSink } from '@t2s/contracts';

// The audit record's shape lives in @t2s/contracts; the PostgreSQL sink (PgAuditSink) in
// @t2s/service-store, whose migrations own the `sql_audit` table.
export type { AuditEntry, AuditSink, AuditVerdict } from '@t2s/contracts';

/** sha256 (hex) of the exact text, to find every run of the same SQL (AuditEntry.sqlHash). */
export function sqlHash(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
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
