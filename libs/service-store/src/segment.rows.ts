import type { RevisionKind, SegmentStatus, Stage, T2sError } from '@t2s/contracts';
import type {
  ApprovalRecord,
  RevisionRecord,
  SegmentRecord,
  StageOutcome,
  StageRunRecord,
} from './segment.record';
import type { StoreTables } from './store-tables';

/**
 * One query reads a segment with its revisions and current stage runs (aggregated as JSON), so the
 * three always come from the same snapshot.
 */
export function segmentSelect(t: StoreTables, extraColumns = ''): string {
  return `
    select ${extraColumns} s.id, s.api_key_id, s.idempotency_key, s.request_hash, s.status, s.stage, s.offer, s.options,
      s.webhook_url, s.current_revision_id, s.criteria, s.understanding, s.sql, s.current_run_id, s.result_size, s.sample_ids,
      s.per_criterion_counts, s.criterion_sql, s.funnel, s.portrait, s.error, s.deadline_at, s.created_at, s.updated_at,
      s.finished_at,
      (select coalesce(json_agg(r order by r.number), '[]'::json) from ${t.revision} r
        where r.segment_id = s.id) as revisions,
      (select coalesce(json_agg(x order by x.stage, x.attempt), '[]'::json) from ${t.stageRun} x
        where x.revision_id = s.current_revision_id) as stage_runs,
      (select row_to_json(a) from (${approvalSelect(t)} where a.segment_id = s.id
        order by a.approved_at desc limit 1) a) as approval
    from ${t.segment} s`;
}

/**
 * The version of a segment's API view (`toApiView`), as an opaque tag, or null while the view may still
 * change without a new revision or approval. Once the run finished (a final status) and no stage pass
 * of the current revision is open, nothing writes to what the view shows until a new revision (a new
 * `current_revision_id` and `updated_at`) or approval (a new latest approval id): the tag names all of
 * those, and the current revision's stage runs too, in case one is ever closed later.
 */
export function viewVersionColumn(t: StoreTables): string {
  return `case when s.status in ('succeeded', 'needs_review', 'failed')
      and not exists (select 1 from ${t.stageRun} x where x.revision_id = s.current_revision_id and x.finished_at is null)
    then md5(concat_ws(':', s.current_revision_id, s.status, s.updated_at,
      (select count(*) || ':' || coalesce(max(x.finished_at)::text, '') from ${t.stageRun} x
        where x.revision_id = s.current_revision_id),
      (select a.id from ${t.approval} a where a.segment_id = s.id order by a.approved_at desc limit 1)))
    end`;
}

/** Approvals with their revision's number; callers add the where clause and order. */
export function approvalSelect(t: StoreTables): string {
  return `select a.id, a.segment_id, a.revision_id, r.number as revision_number, a.warehouse, a.criteria_text,
      a.sql, a.result_size, a.author, a.approved_at
    from ${t.approval} a join ${t.revision} r on r.id = a.revision_id`;
}

export interface SegmentRow {
  id: string;
  api_key_id: string;
  idempotency_key: string | null;
  request_hash: string;
  status: SegmentStatus;
  stage: Stage;
  offer: SegmentRecord['offer'];
  options: SegmentRecord['options'];
  webhook_url: string | null;
  current_revision_id: string;
  criteria: SegmentRecord['criteria'];
  understanding: SegmentRecord['understanding'];
  sql: string | null;
  current_run_id: string | null;
  result_size: string | null;
  sample_ids: string[] | null;
  per_criterion_counts: Record<string, number> | null;
  criterion_sql: SegmentRecord['criterionSql'];
  funnel: SegmentRecord['funnel'];
  portrait: unknown;
  error: T2sError | null;
  deadline_at: Date;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
  revisions: RevisionJson[];
  stage_runs: StageRunJson[];
  approval: ApprovalRow | null;
}

/** An approval row, read directly (timestamps as Date) or through row_to_json (ISO strings). */
export interface ApprovalRow {
  id: string;
  segment_id: string;
  revision_id: string;
  revision_number: number;
  warehouse: string;
  criteria_text: string;
  sql: string;
  result_size: string | number | null;
  author: string | null;
  approved_at: Date | string;
}

export function toApprovalRecord(row: ApprovalRow): ApprovalRecord {
  return {
    id: row.id,
    segmentId: row.segment_id,
    revisionId: row.revision_id,
    revisionNumber: row.revision_number,
    warehouse: row.warehouse,
    criteriaText: row.criteria_text,
    sql: row.sql,
    resultSize: row.result_size === null ? null : Number(row.result_size),
    author: row.author,
    approvedAt: new Date(row.approved_at),
  };
}

// Rows aggregated with json_agg: timestamps arrive as ISO strings.
interface RevisionJson {
  id: string;
  segment_id: string;
  number: number;
  kind: RevisionKind;
  criteria_text: string | null;
  criteria_spec: RevisionRecord['criteriaSpec'];
  sql: string | null;
  generated_sql: string | null;
  author: string | null;
  author_key_id: string | null;
  created_at: string;
}

interface StageRunJson {
  segment_id: string;
  revision_id: string;
  stage: Stage;
  /** The column of `StageRunRecord.pass`. */
  attempt: number;
  started_at: string;
  finished_at: string | null;
  outcome: StageOutcome | null;
  error: T2sError | null;
  duration_ms: number | null;
  tokens: number;
  prompt: string | null;
  strategy_ms: number | null;
}

export interface RevisionRow extends Omit<RevisionJson, 'created_at'> {
  created_at: Date | string;
}

export function toRevisionRecord(row: RevisionRow): RevisionRecord {
  return {
    id: row.id,
    segmentId: row.segment_id,
    number: row.number,
    kind: row.kind,
    criteriaText: row.criteria_text,
    criteriaSpec: row.criteria_spec ?? null,
    sql: row.sql,
    generatedSql: row.generated_sql,
    author: row.author,
    authorKeyId: row.author_key_id,
    createdAt: new Date(row.created_at),
  };
}

function toStageRunRecord(row: StageRunJson): StageRunRecord {
  return {
    segmentId: row.segment_id,
    revisionId: row.revision_id,
    stage: row.stage,
    pass: row.attempt,
    startedAt: new Date(row.started_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
    outcome: row.outcome,
    error: row.error,
    durationMs: row.duration_ms,
    tokens: row.tokens,
    prompt: row.prompt,
    strategyMs: row.strategy_ms,
  };
}

export function toSegmentRecord(row: SegmentRow): SegmentRecord {
  return {
    id: row.id,
    apiKeyId: row.api_key_id,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    status: row.status,
    stage: row.stage,
    offer: row.offer,
    options: row.options,
    webhookUrl: row.webhook_url,
    currentRevisionId: row.current_revision_id,
    criteria: row.criteria,
    understanding: row.understanding,
    sql: row.sql,
    currentRunId: row.current_run_id,
    // bigint arrives as a string; a segment is far below 2^53 clients.
    resultSize: row.result_size === null ? null : Number(row.result_size),
    sampleIds: row.sample_ids,
    perCriterionCounts: row.per_criterion_counts,
    criterionSql: row.criterion_sql,
    funnel: row.funnel,
    portrait: row.portrait,
    error: row.error,
    deadlineAt: row.deadline_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    revisions: row.revisions.map(toRevisionRecord),
    stageRuns: row.stage_runs.map(toStageRunRecord),
    approval: row.approval === null ? null : toApprovalRecord(row.approval),
  };
}
