import {
  STAGES,
  type Approval,
  segmentLinks,
  type Revision,
  type Segment,
  type SegmentCriteria,
  type Stage,
  type StageTiming,
  type TokenUsage,
} from '@t2s/contracts';
import {
  currentRevision,
  type ApprovalRecord,
  type RevisionRecord,
  type SegmentRecord,
  type StageRunRecord,
} from './segment.record';

/**
 * The criteria with each one's own SELECT and the columns it reads, once the SQL stage wrote them, and
 * the unparsed fragments again under their older name (`understanding.unparsed` is where they live).
 */
function criteriaView(segment: SegmentRecord): SegmentCriteria | null {
  const { criteria, criterionSql, understanding } = segment;
  if (criteria === null) return null;
  const view: SegmentCriteria = {
    text: criteria.text,
    items: criteria.items,
    ...(understanding === null ? {} : { unparsed: understanding.unparsed }),
  };
  if (criterionSql === null) return view;
  const byId = new Map(criterionSql.map((c) => [c.id, c]));
  return {
    ...view,
    items: criteria.items.map((item) => {
      const written = byId.get(item.id);
      return written
        ? { ...item, sql: written.sql, ...(written.columns ? { columns: written.columns } : {}) }
        : item;
    }),
  };
}

function revisionView(revision: RevisionRecord): Revision {
  return {
    id: revision.id,
    number: revision.number,
    kind: revision.kind,
    createdAt: revision.createdAt.toISOString(),
    ...(revision.author === null ? {} : { author: revision.author }),
    ...(revision.criteriaText === null ? {} : { criteria: revision.criteriaText }),
    ...(revision.criteriaSpec === null ? {} : { criteriaSpec: revision.criteriaSpec }),
    ...(revision.sql === null ? {} : { sql: revision.sql }),
    ...(revision.generatedSql === null ? {} : { generatedSql: revision.generatedSql }),
  };
}

/**
 * A stage's timing over all its passes in the current revision: from the first start, to the end of the
 * latest pass (null while it runs), `ms` summing the finished passes so repair rounds count.
 */
function timingView(runs: StageRunRecord[]): StageTiming | undefined {
  const first = runs[0];
  const last = runs.at(-1);
  if (!first || !last) return undefined;
  const startedAt = runs.reduce((min, r) => (r.startedAt < min ? r.startedAt : min), first.startedAt);
  const finished = last.finishedAt !== null;
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: finished && last.finishedAt ? last.finishedAt.toISOString() : null,
    ms: finished ? runs.reduce((sum, r) => sum + (r.durationMs ?? 0), 0) : null,
    attempts: runs.length,
  };
}

function byStage<T>(runs: StageRunRecord[], view: (runs: StageRunRecord[]) => T | undefined) {
  const out: Partial<Record<Stage, T>> = {};
  for (const stage of STAGES) {
    const value = view(runs.filter((r) => r.stage === stage).sort((a, b) => a.pass - b.pass));
    if (value !== undefined) out[stage] = value;
  }
  return out;
}

function tokensView(runs: StageRunRecord[]): TokenUsage {
  const byStageTokens = byStage(runs, (stageRuns) =>
    stageRuns.length === 0 ? undefined : stageRuns.reduce((sum, r) => sum + r.tokens, 0),
  );
  const total = Object.values(byStageTokens).reduce((sum, n) => sum + n, 0);
  return { total, byStage: byStageTokens };
}

export function approvalView(approval: ApprovalRecord): Approval {
  return {
    revision: approval.revisionNumber,
    ...(approval.author === null ? {} : { author: approval.author }),
    approvedAt: approval.approvedAt.toISOString(),
  };
}

/** The prompt of a stage's latest pass that recorded one. */
function promptView(runs: StageRunRecord[]): string | undefined {
  return runs.findLast((r) => r.prompt !== null)?.prompt ?? undefined;
}

/** The `GET /v1/segments/{id}` body (contracts' segmentSchema) of a stored segment. */
export function toApiView(segment: SegmentRecord): Segment {
  return {
    id: segment.id,
    status: segment.status,
    stage: segment.stage,
    revision: currentRevision(segment).number,
    createdAt: segment.createdAt.toISOString(),
    updatedAt: segment.updatedAt.toISOString(),
    offer: segment.offer,
    options: segment.options,
    criteria: criteriaView(segment),
    understanding: segment.understanding,
    sql: segment.sql,
    result:
      segment.resultSize === null
        ? null
        : {
            size: segment.resultSize,
            sampleIds: segment.sampleIds ?? [],
            ...(segment.perCriterionCounts === null
              ? {}
              : { perCriterionCounts: segment.perCriterionCounts }),
            ...(segment.funnel === null ? {} : { funnel: segment.funnel }),
          },
    timings: byStage(segment.stageRuns, timingView),
    tokens: tokensView(segment.stageRuns),
    error: segment.error,
    revisions: segment.revisions.map(revisionView),
    approval: segment.approval === null ? null : approvalView(segment.approval),
    prompts: byStage(segment.stageRuns, promptView),
    links: segmentLinks(segment.id),
  };
}
