import { AppError, StageSuspended, type Stage, type StageStep } from '@t2s/contracts';
import type { SegmentRecord, StageRef } from '@t2s/service-store';
import { DONE, strategyName, type StageDeps, type StageTask } from './stage-deps';

/** What a stage body reports; the runner turns it into the stage run record and the next job. */
export type StageBodyResult = (
  | { outcome: 'succeeded'; tokens: number; output: StageStep }
  | { outcome: 'superseded'; tokens: number }
  | { outcome: 'failed'; tokens: number; error: AppError; output?: StageStep }
) & { prompt?: string | undefined; strategyMs?: number };

/**
 * The part every stage shares: read the segment, drop the job when its revision is no longer current
 * (startStage false), enforce the run's deadline, and close the stage run with its outcome and tokens.
 * A deterministic failure fails the segment; a retryable one is rethrown for the queue to retry, with
 * the stage run left open so the retry finishes it.
 */
export async function runStage(
  stage: Stage,
  task: StageTask,
  deps: StageDeps,
  body: (segment: SegmentRecord, ref: StageRef) => Promise<StageBodyResult>,
): Promise<StageStep> {
  const ref: StageRef = { ...task, stage };
  // The read and the start in one round trip's time: startStage checks the revision itself (it writes
  // nothing for a superseded or finished run), and no stage body reads what it writes (status, stage).
  const [segment, started] = await Promise.all([
    deps.segments.findById(task.segmentId),
    deps.segments.startStage(ref),
  ]);
  if (!started) return DONE;
  if (!segment || segment.currentRevisionId !== task.revisionId) {
    // Superseded between the two statements: close the pass just opened, as a superseded body would.
    await deps.segments.finishStage(ref, { outcome: 'superseded', tokens: 0 });
    return DONE;
  }

  const startedAt = performance.now();
  let result: StageBodyResult;
  if (deps.clock().getTime() > segment.deadlineAt.getTime()) {
    result = {
      outcome: 'failed',
      tokens: 0,
      error: new AppError('DEADLINE_EXCEEDED', 'The run passed its deadline', { stage }),
    };
  } else {
    try {
      result = await body(segment, ref);
    } catch (thrown) {
      // Waiting for LLM calls: the stage runs again when they are answered, its stage run still open.
      if (StageSuspended.is(thrown)) throw thrown;
      const error = AppError.from(thrown, stage);
      if (error.retryable) throw error;
      result = { outcome: 'failed', tokens: 0, error };
    }
  }

  const strategy = strategyName(segment.options, deps);
  deps.observer?.stageFinished({
    stage,
    outcome: result.outcome,
    seconds: (performance.now() - startedAt) / 1000,
    tokens: result.tokens,
    strategy,
    ...(result.strategyMs === undefined ? {} : { strategySeconds: result.strategyMs / 1000 }),
    ...(result.outcome === 'failed' ? { code: result.error.code } : {}),
  });
  // What every outcome records on the stage run.
  const finish = {
    tokens: result.tokens,
    ...(result.prompt ? { prompt: result.prompt } : {}),
    ...(result.strategyMs === undefined ? {} : { strategyMs: result.strategyMs }),
  };
  if (result.outcome === 'failed') {
    const t2sError = { ...result.error.toT2sError(), stage };
    await deps.segments.finishStage(ref, { ...finish, outcome: 'failed', error: t2sError });
    // A repair round sends the run back to an earlier stage instead of failing the segment.
    if (result.output && result.output.next !== null) return result.output;
    if (await deps.segments.fail(task.segmentId, task.revisionId, t2sError)) {
      deps.observer?.runFinished({
        status: 'failed',
        strategy,
        warehouse: segment.options.warehouse,
        code: t2sError.code,
      });
    }
    return DONE;
  }
  await deps.segments.finishStage(ref, { ...finish, outcome: result.outcome });
  return result.outcome === 'succeeded' ? result.output : DONE;
}
