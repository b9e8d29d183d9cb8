import type {
  CriterionColumn,
  CriterionSpecInput,
  Offer,
  RevisionKind,
  SegmentCriteria,
  SegmentOptions,
  SegmentStatus,
  Stage,
  T2sError,
  Understanding,
} from '@t2s/contracts';

/**
 * The criteria as stored: the text and the items. What the text left unparsed is the segment's
 * `understanding`, kept beside them (the API shows its fragments again as the older `criteria.unparsed`).
 */
export type StoredCriteria = Pick<SegmentCriteria, 'text' | 'items'>;

/** One criterion's own SELECT as the SQL stage wrote it, with the catalog columns it reads. */
export interface CriterionSqlRecord {
  id: string;
  sql: string;
  columns?: CriterionColumn[];
}

export interface RevisionRecord {
  id: string;
  segmentId: string;
  number: number;
  kind: RevisionKind;
  /** The criteria text this revision set (initial: the request's, if it had one). */
  criteriaText: string | null;
  /** The criteria as structure this revision set (a criteria builder's `criteriaSpec`), if it set them. */
  criteriaSpec: CriterionSpecInput[] | null;
  sql: string | null;
  /** The SQL the SQL stage wrote for this revision (its last round); null for a person's SQL. */
  generatedSql: string | null;
  author: string | null;
  authorKeyId: string | null;
  createdAt: Date;
}

export type StageOutcome = 'succeeded' | 'failed' | 'superseded';

export interface StageRunRecord {
  segmentId: string;
  revisionId: string;
  stage: Stage;
  /** The pass of the stage over the revision, 0 first (a repair round adds one); column `attempt`. */
  pass: number;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: StageOutcome | null;
  error: T2sError | null;
  durationMs: number | null;
  tokens: number;
  /** The prompt file version that wrote this pass (`sql.v1`); null for a deterministic strategy. */
  prompt: string | null;
  /** Milliseconds inside the strategy; null for execution and for passes that never called it. */
  strategyMs: number | null;
}

/** A person's approval of one revision, with the criteria and SQL as they were approved. */
export interface ApprovalRecord {
  id: string;
  segmentId: string;
  revisionId: string;
  revisionNumber: number;
  warehouse: string;
  criteriaText: string;
  sql: string;
  resultSize: number | null;
  author: string | null;
  approvedAt: Date;
}

/** A segment as stored, with its history and the stage runs of its current revision. */
export interface SegmentRecord {
  id: string;
  apiKeyId: string;
  idempotencyKey: string | null;
  requestHash: string;
  status: SegmentStatus;
  stage: Stage;
  offer: Offer;
  options: SegmentOptions;
  webhookUrl: string | null;
  currentRevisionId: string;
  criteria: StoredCriteria | null;
  /** What of the text the criteria stage understood; null until it ran (and cleared with the criteria). */
  understanding: Understanding | null;
  sql: string | null;
  /** The run whose members are visible; null until an execution completes. */
  currentRunId: string | null;
  resultSize: number | null;
  sampleIds: string[] | null;
  perCriterionCounts: Record<string, number> | null;
  /** Each criterion's own SELECT as the SQL stage wrote it; null for a person's SQL. */
  criterionSql: CriterionSqlRecord[] | null;
  funnel: { criterion: string; remaining: number }[] | null;
  /** The segment's side of its portrait as the execution stage counted it (`PortraitCounts` of @t2s/semantic). */
  portrait: unknown;
  error: T2sError | null;
  deadlineAt: Date;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  /** Oldest first. */
  revisions: RevisionRecord[];
  /** Stage runs of the current revision, by stage then pass. */
  stageRuns: StageRunRecord[];
  /** The latest approval, of whichever revision; null when none. */
  approval: ApprovalRecord | null;
}

/** The current revision's record (always present: a segment is created with revision 1). */
export function currentRevision(segment: SegmentRecord): RevisionRecord {
  const revision = segment.revisions.find((r) => r.id === segment.currentRevisionId);
  if (!revision)
    throw new Error(`segment ${segment.id} has no current revision ${segment.currentRevisionId}`);
  return revision;
}

/**
 * The criteria text the pipeline works from: the latest revision (up to the current one) that set
 * criteria text, or null when none did (the criteria stage then generates criteria from the offer).
 */
export function criteriaTextOf(segment: SegmentRecord): string | null {
  const current = currentRevision(segment).number;
  const withText = segment.revisions.filter((r) => r.number <= current && r.criteriaText !== null);
  return withText.at(-1)?.criteriaText ?? null;
}

/**
 * The criteria as structure the pipeline runs instead of parsing text: those of the latest revision (up
 * to the current one) that set criteria, text or structure; null when that revision set text alone, or
 * none did. A later text-only edit is parsed again; the structure before it no longer applies.
 */
export function criteriaSpecOf(segment: SegmentRecord): CriterionSpecInput[] | null {
  const current = currentRevision(segment).number;
  const setters = segment.revisions.filter(
    (r) => r.number <= current && (r.criteriaText !== null || r.criteriaSpec !== null),
  );
  return setters.at(-1)?.criteriaSpec ?? null;
}

/**
 * True when the SQL the run executes is a person's (an `sql` revision, possibly re-run since) rather than
 * generated: such SQL is never "repaired" by regenerating it, which would silently replace the edit.
 */
export function sqlIsFromPerson(segment: SegmentRecord): boolean {
  const current = currentRevision(segment).number;
  const setters = segment.revisions.filter(
    (r) => r.number <= current && (r.kind === 'initial' || r.kind === 'criteria' || r.kind === 'sql'),
  );
  return setters.at(-1)?.kind === 'sql';
}
