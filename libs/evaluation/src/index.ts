// The public API of @t2s/evaluation: the evaluation set's case format, and the harness that runs a
// strategy over the cases and scores it against the hand-written targets (R7, R8).

export { evalCaseSchema, type EvalCase } from './eval-case.schema';
export { loadCases } from './load-cases';
export { overlap, median } from './scoring';
export {
  evaluate,
  summarize,
  CONFIDENTLY_WRONG_BELOW,
  GOOD_FROM,
  type CaseRunner,
  type TargetRunner,
  type GeneratedSegment,
  type CaseResult,
  type EvalReport,
  type EvalSummary,
} from './evaluate';
export { toMarkdown } from './report';
export { InProcessRunner, PgTargetRunner, type InProcessOptions } from './in-process-runner';
export { assertNotOwn, caseKey, precedentsFor, precedentsOfCases } from './precedent-sets';
