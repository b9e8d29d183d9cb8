import {
  AppError,
  executedStatus,
  type ErrorCode,
  type ExecutedSegmentStatus,
  type StageStep,
} from '@t2s/contracts';
import {
  countedSegmentSql,
  funnelOf,
  MAX_COUNTED_CRITERIA,
  reportDateWriter,
  segmentEntity,
  segmentSql,
  type CriterionQuery,
  type FunnelCounts,
  type SemanticModel,
} from '@t2s/semantic';
import type { SandboxResult } from '@t2s/sql-sandbox';
import { sqlIsFromPerson, type SegmentRecord } from '@t2s/service-store';
import { semanticModelFor } from './criteria-from-spec';
import { runStage } from './stage-runner';
import { strategyName, type StageDeps, type StageTask } from './stage-deps';

/** Execution passes 0..3: up to three repair rounds go back to the SQL stage. */
export const MAX_REPAIR_ROUNDS = 3;

const REPAIRABLE: ReadonlySet<ErrorCode> = new Set(['SQL_FAILED', 'SQL_REJECTED']);

/**
 * Runs the stored SQL in the sandbox, streaming ids into a member run that becomes visible only on
 * completeRun. Generated SQL runs as its counted pass, which lists the same members and counts the
 * funnel in the same query (`countedSegmentSql`), with the report date read once and written in as a
 * literal (`inlineReportDate`); a counted pass that fails leaves the segment to its plain SQL. A
 * broken query goes back to the SQL stage with its error (the repair loop) while rounds remain; a
 * warehouse outage is rethrown as retryable so the queue tries the same job again.
 */
export function runExecutionStage(task: StageTask, deps: StageDeps): Promise<StageStep> {
  return runStage('execution', task, deps, async (segment) => {
    if (segment.sql === null) throw new AppError('INTERNAL', 'The execution stage ran without SQL');
    const model = await modelOf(segment, deps);
    const counted = model ? countedPass(segment, model) : null;
    const withDate = await reportDateWriter(
      model,
      async (query) => (await countRows(segment, deps, query))?.[0] ?? null,
      [segment.sql],
    );
    let run = counted ? await runMembers(task, segment, deps, withDate(counted.sql), true) : undefined;
    // The funnel is advisory: a counted pass that fails (past its shorter timeout, over the cost cap, a
    // warehouse resource limit, a connection lost to its cancellation) leaves the segment to its plain
    // SQL, uncounted. That run decides: a broken query goes to repair as before, an outage is retried.
    if (run !== undefined && run !== null && !run.result.ok) run = undefined;
    run ??= await runMembers(task, segment, deps, withDate(segment.sql), false);
    if (run === null) return { outcome: 'superseded', tokens: 0 };
    const { runId, result, sampleIds } = run;

    if (!result.ok) {
      const error = new AppError(result.code, result.message, { stage: 'execution' });
      if (result.retryable) throw error;
      // A person's SQL is theirs to fix: regenerating it would silently run another query than the edit.
      const repair =
        REPAIRABLE.has(result.code) &&
        task.pass < MAX_REPAIR_ROUNDS &&
        segment.criteria !== null &&
        !sqlIsFromPerson(segment);
      return repair
        ? { outcome: 'failed', tokens: 0, error, output: { next: 'sql', pass: task.pass + 1 } }
        : { outcome: 'failed', tokens: 0, error };
    }
    if (result.rows === 0) {
      await deps.members.discardRun(runId);
      return {
        outcome: 'failed',
        tokens: 0,
        error: new AppError('EMPTY_SEGMENT', 'The query returned no clients'),
      };
    }
    const completed = await deps.members.completeRun(runId);
    if (!completed.completed) return { outcome: 'superseded', tokens: 0 };
    const counts = counted && result.counts ? countsOf(counted.parts, result.counts, completed.rows) : null;
    const portrait = await countPortrait(segment, withDate(segment.sql), deps);
    const status = finalStatus(segment);
    const success = {
      status,
      sampleIds,
      ...(counts ? { perCriterionCounts: counts.alone, funnel: counts.funnel } : {}),
      ...(portrait === null ? {} : { portrait }),
    };
    if (!(await deps.segments.succeed(task.segmentId, task.revisionId, success))) {
      return { outcome: 'superseded', tokens: 0 };
    }
    deps.observer?.runFinished({
      status,
      strategy: strategyName(segment.options, deps),
      warehouse: segment.options.warehouse,
      size: completed.rows,
    });
    return { outcome: 'succeeded', tokens: 0, output: { next: null } };
  });
}

/**
 * One run of the segment's members: the SQL streamed through the sandbox into a member run that becomes
 * visible only on completeRun. A failed run is discarded here; null when a newer revision took over.
 */
async function runMembers(
  task: StageTask,
  segment: SegmentRecord,
  deps: StageDeps,
  sql: string,
  counted: boolean,
): Promise<{ runId: string; result: SandboxResult; sampleIds: string[] } | null> {
  const runId = await deps.members.beginRun(task.segmentId, task.revisionId);
  if (runId === null) return null;
  const sampleIds: string[] = [];
  const sampleSize = segment.options.sampleSize;
  const result = await deps.sandbox.execute(sql, {
    context: {
      segmentId: task.segmentId,
      revisionId: task.revisionId,
      apiKeyId: segment.apiKeyId,
      // A person's SQL runs under the person policy and its shorter timeout (SandboxExecutorOptions.person).
      origin: sqlIsFromPerson(segment) ? 'person' : 'generated',
      ...(counted ? { output: 'counted' as const } : {}),
    },
    onIds: async (ids) => {
      if (sampleIds.length < sampleSize) sampleIds.push(...ids.slice(0, sampleSize - sampleIds.length));
      await deps.members.appendIds(runId, ids);
    },
  });
  if (!result.ok) await deps.members.discardRun(runId);
  return { runId, result, sampleIds };
}

/**
 * The status of an executed run: `needs_review` when its criteria left a meaningful part of the text
 * unparsed. A person's SQL is that person's reading of the text, not the criteria's, so it ends
 * `succeeded`; a re-run of generated SQL keeps the criteria's verdict.
 */
function finalStatus(segment: SegmentRecord): ExecutedSegmentStatus {
  return sqlIsFromPerson(segment) ? 'succeeded' : executedStatus(segment.understanding);
}

/** The warehouse's semantic model; null when it has none (its SQL still runs, uncounted, as written). */
async function modelOf(segment: SegmentRecord, deps: StageDeps): Promise<SemanticModel | null> {
  try {
    return semanticModelFor(await deps.catalogs(segment.options.warehouse), deps);
  } catch {
    return null;
  }
}

/**
 * Generated SQL's counted pass: the segment rebuilt from the per-criterion SELECTs the SQL stage stored,
 * flagging each client by the criteria it meets. Only when those SELECTs make exactly the stored SQL
 * (so the pass lists the same members); else, and for a person's SQL, the SQL runs as it is, uncounted.
 */
function countedPass(
  segment: SegmentRecord,
  model: SemanticModel,
): { sql: string; parts: CriterionQuery[] } | null {
  const items = segment.criteria?.items ?? [];
  const stored = segment.criterionSql;
  if (!stored || stored.length === 0 || stored.length > MAX_COUNTED_CRITERIA || sqlIsFromPerson(segment))
    return null;
  const kinds = new Map(items.map((c) => [c.id, c.kind]));
  const parts: CriterionQuery[] = stored.flatMap((p) => {
    const kind = kinds.get(p.id);
    return kind ? [{ id: p.id, kind, sql: p.sql }] : [];
  });
  if (parts.length !== stored.length) return null;
  const entity = segmentEntity(model);
  return segmentSql(parts, entity) === segment.sql ? { sql: countedSegmentSql(parts, entity), parts } : null;
}

/** The pass's counts as the funnel; null when they do not add up to the members it listed. */
function countsOf(
  parts: readonly CriterionQuery[],
  counted: ReadonlyMap<string, number>,
  members: number,
): FunnelCounts | null {
  const counts = funnelOf(parts, counted);
  const last = counts?.funnel.at(-1);
  return counts && (last === undefined || last.remaining === members) ? counts : null;
}

/**
 * The segment's side of its portrait (the semantic model's lines counted over its members), one more
 * query through the same sandbox, so that viewing the portrait need not run the segment again. Advisory:
 * a failure leaves the segment without a stored portrait, and the gateway counts it
 * when it is viewed. Counted under the generated policy whoever wrote the SQL, as the gateway does.
 */
async function countPortrait(segment: SegmentRecord, segmentSql: string, deps: StageDeps): Promise<unknown> {
  if (!deps.portrait) return null;
  let query: { sql: string; read: (rows: readonly string[]) => unknown };
  try {
    query = deps.portrait(segment.options.warehouse, segmentSql);
  } catch {
    return null;
  }
  const rows = await countRows(segment, deps, query.sql);
  if (rows === null) return null;
  try {
    return query.read(rows);
  } catch {
    return null;
  }
}

/** The rows of one advisory counting query of the segment through the sandbox; null when it failed. */
async function countRows(segment: SegmentRecord, deps: StageDeps, sql: string): Promise<string[] | null> {
  const rows: string[] = [];
  const result = await deps.sandbox.execute(sql, {
    context: {
      segmentId: segment.id,
      revisionId: segment.currentRevisionId,
      apiKeyId: segment.apiKeyId,
      origin: 'generated',
      output: 'counts',
    },
    onIds: async (values) => void rows.push(...values),
  });
  return result.ok ? rows : null;
}
