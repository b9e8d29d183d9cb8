// The public API of @t2s/pipeline: transport-free stage functions (the workers and the eval harness
// call them one job at a time), the per-stage strategy contract and the minimal rule strategy.

export type {
  CriteriaInput,
  CriteriaResult,
  CriteriaStrategy,
  LinkingInput,
  LinkingResult,
  LinkingStrategy,
  SqlInput,
  SqlResult,
  SqlStrategy,
  SqlRepairContext,
  PipelineStrategy,
} from './strategy';
export type { StageDeps, StageJob, StageOutput } from './stages/stage-deps';
export { runCriteriaStage } from './stages/criteria.stage';
export { runLinkingStage } from './stages/linking.stage';
export { runSqlStage } from './stages/sql.stage';
export { runExecutionStage, MAX_REPAIR_ROUNDS } from './stages/execution.stage';
export { runSegmentInProcess, STAGE_HANDLERS } from './run-pipeline';

export { createMinimalStrategy } from './minimal-strategy/minimal.strategy';
export {
  loadMinimalRules,
  minimalRulesSchema,
  DEFAULT_RULES_FILE,
  type MinimalRules,
} from './minimal-strategy/minimal-rules.schema';
export { buildSegmentSql, buildCountSql, type SqlCriterion } from './minimal-strategy/segment-sql.builder';
