// The public API of @t2s/queue: BullMQ transport for the pipeline stages (connections, stage queues,
// stage workers). No stage logic lives here; apps wire the pipeline's stage functions in as handlers.

export {
  createRedisConnection,
  isClusterUrl,
  type RedisConnection,
  queuePrefix,
  DEFAULT_QUEUE_PREFIX,
  type RedisConnectionOptions,
} from './redis-connection';
export {
  createStageQueues,
  closeStageQueues,
  enqueueStage,
  enqueueSegment,
  DEFAULT_STAGE_JOB_OPTIONS,
  type StageQueues,
  type StageQueuesOptions,
  type StageJob,
} from './stage-queues';
export {
  startStageWorker,
  type StageHandler,
  type StageHandlerContext,
  type StageWorker,
  type StageWorkerOptions,
} from './stage-worker';
export type { SlotGroup } from './fair-slots';
export type { FairShareOptions } from './fair-share';
export { createLlmQueue, LLM_JOB_NAME, LLM_JOB_OPTIONS, LLM_QUEUE } from './llm-queue';
export { currentStageJob, runInStageJob, type StageJobContext } from './stage-job-context';
export {
  announceApiKeyRevocation,
  apiKeyRevokedChannel,
  ApiKeyRevocationListener,
  type AnnounceOptions,
  type RevocationAnnouncement,
  type RevocationListenerOptions,
} from './api-key-revocations';
