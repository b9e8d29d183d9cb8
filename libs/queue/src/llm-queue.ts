import { queueTelemetry } from '@t2s/telemetry';
import { JOB_NAMES, type LlmJobPayload } from '@t2s/contracts';
import { Queue, type JobsOptions } from 'bullmq';
import type { RedisConnection } from './redis-connection';

export const LLM_QUEUE = 'llm';

/** Attempts for a call that times out or finds every endpoint down; rate limits do not count. */
export const LLM_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 24 * 3600, count: 10_000 },
} as const satisfies JobsOptions;

export function createLlmQueue(connection: RedisConnection, prefix: string): Queue<LlmJobPayload> {
  // A call carries its stage's trace context to the inference pool.
  const telemetry = queueTelemetry();
  return new Queue<LlmJobPayload>(LLM_QUEUE, { connection, prefix, ...(telemetry ? { telemetry } : {}) });
}

/** The job name of an LLM call. */
export const LLM_JOB_NAME = JOB_NAMES.llm;
