// The public API of @t2s/strategy: the per-stage strategy contract, types only. @t2s/baseline and
// @t2s/llm implement it and @t2s/pipeline calls it; it lives apart so the baseline need not import the
// pipeline, whose specs run the baseline.

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
