import type { GuardCode, SqlOrigin } from '@t2s/sql-guard';

/**
 * Why a run failed. These are the same strings as the error codes in `@t2s/contracts` (ERROR_CODES,
 * AppError); they are spelled out here so that this lib did not wait for contracts, which was being
 * written at the same time — switch to its ErrorCode type once it settles.
 */
export type SandboxErrorCode =
  'SQL_REJECTED' | 'SQL_FAILED' | 'SQL_TIMEOUT' | 'COST_LIMIT_EXCEEDED' | 'WAREHOUSE_UNAVAILABLE';

export interface SandboxFailure {
  ok: false;
  code: SandboxErrorCode;
  /** Safe to show to the SQL generator: PostgreSQL's message, with data values redacted. */
  message: string;
  /** Whether the same SQL may succeed later: as in contracts' ERROR_CATALOG, only WAREHOUSE_UNAVAILABLE is. */
  retryable: boolean;
  durationMs: number;
  /** The guard's reason code, for SQL_REJECTED. */
  guardCode?: GuardCode;
  /** PostgreSQL's SQLSTATE, when the warehouse reported the error. */
  sqlState?: string;
  /** The plan's estimated total cost, once EXPLAIN ran (always set for COST_LIMIT_EXCEEDED). */
  cost?: number;
}

export type SandboxResult =
  | {
      ok: true;
      rows: number;
      durationMs: number;
      cost: number;
      /** A counted pass's counts by key (`output: 'counted'`). */
      counts?: ReadonlyMap<string, number>;
    }
  | SandboxFailure;

/** What `explain()` (the ops "dry run") answers: the plan's cost, or why it would not run. */
export type ExplainResult = { ok: true; durationMs: number; cost: number } | SandboxFailure;

/** Who asked for the SQL and who wrote it, written to the audit trail. */
export interface SandboxContext {
  segmentId?: string;
  revisionId?: string;
  apiKeyId?: string;
  /**
   * Who wrote the SQL (default `generated`). A person's SQL (a SQL revision) is held to the person
   * limits, the guard's person policy and a shorter statement timeout (SandboxExecutorOptions.person).
   */
  origin?: SqlOrigin;
  /**
   * What the SQL returns (default `ids`: client keys, under the segment policy); `counts` for a query
   * of counts (the portrait), checked with SandboxExecutorOptions.counts; `counted` for a segment's
   * counted pass (members and their counts, three columns), checked with the same guard.
   */
  output?: 'ids' | 'counts' | 'counted';
}
