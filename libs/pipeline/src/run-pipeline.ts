import type { Stage, StageStep } from '@t2s/contracts';
import type { SegmentRecord } from '@t2s/service-store';
import { runCriteriaStage } from './stages/criteria.stage';
import { runExecutionStage } from './stages/execution.stage';
import { runLinkingStage } from './stages/linking.stage';
import { runSqlStage } from './stages/sql.stage';
import type { StageDeps, StageTask } from './stages/stage-deps';

export const STAGE_HANDLERS: Readonly<
  Record<Stage, (task: StageTask, deps: StageDeps) => Promise<StageStep>>
> = {
  criteria: runCriteriaStage,
  linking: runLinkingStage,
  sql: runSqlStage,
  execution: runExecutionStage,
};

// Criteria, linking, sql and execution passes: 4 plus 2 per repair round, with room to spare; a bug
// that loops stages must not hang a test or the eval harness.
const MAX_STEPS = 20;

/**
 * Runs a segment's current revision to the end in this process, one stage after another, exactly as
 * the workers will one job at a time. Starts at the stage the segment is queued at (criteria, or
 * execution for an SQL revision). Retryable errors propagate: retrying is the caller's policy.
 */
export async function runSegmentInProcess(
  ids: { segmentId: string; revisionId: string },
  deps: StageDeps,
): Promise<SegmentRecord | null> {
  const segment = await deps.segments.findById(ids.segmentId);
  if (!segment) return null;
  let step: StageStep = { next: segment.stage, pass: 0 };
  for (let steps = 0; step.next !== null; steps++) {
    if (steps >= MAX_STEPS) throw new Error(`segment ${ids.segmentId}: more than ${MAX_STEPS} stage passes`);
    step = await STAGE_HANDLERS[step.next]({ ...ids, pass: step.pass }, deps);
  }
  return deps.segments.findById(ids.segmentId);
}
