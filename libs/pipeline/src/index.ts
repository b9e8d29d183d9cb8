// The public API of @t2s/pipeline: transport-free stage functions (the workers and the eval harness
// call them one pass at a time), and the per-stage strategy contract they call (from @t2s/strategy,
// implemented by @t2s/baseline and @t2s/llm).

export type * from '@t2s/strategy';
export type { StageDeps, StageTask } from './stages/stage-deps';
export { runCriteriaStage } from './stages/criteria.stage';
export { runLinkingStage } from './stages/linking.stage';
export { runSqlStage } from './stages/sql.stage';
export { runExecutionStage, MAX_REPAIR_ROUNDS } from './stages/execution.stage';
export { runSegmentInProcess, STAGE_HANDLERS } from './run-pipeline';
