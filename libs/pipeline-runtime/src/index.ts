// The public API of @t2s/pipeline-runtime: the pipeline's stage functions wired onto the BullMQ stage
// queues (what the worker app runs).

export {
  startPipelineWorkers,
  DEFAULT_STAGE_TIMEOUTS_MS,
  type PipelineWorkers,
  type PipelineWorkersOptions,
  type FinalJobFailure,
} from './pipeline-workers';
export type { ExecutionShares } from './execution-shares';
