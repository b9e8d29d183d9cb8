// The public API of @t2s/pipeline-runtime: the pipeline's stage functions wired onto the BullMQ stage
// queues (what the worker app runs), and the enqueue that starts a segment's run.

export {
  startPipelineWorkers,
  enqueueSegment,
  DEFAULT_STAGE_TIMEOUTS_MS,
  type PipelineWorkers,
  type PipelineWorkersOptions,
  type FinalJobFailure,
} from './pipeline-workers';
