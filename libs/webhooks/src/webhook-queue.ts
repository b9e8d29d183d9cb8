import { JOB_NAMES, jobId, parseJob, type WebhookJobPayload } from '@t2s/contracts';
import { queuePrefix } from '@t2s/queue';
import { queueTelemetry } from '@t2s/telemetry';
import { Queue, type DefaultJobOptions, type Job } from 'bullmq';
import type { RedisConnection } from '@t2s/queue';

export const WEBHOOK_QUEUE_NAME = 'webhook';

export type WebhookQueue = Queue<WebhookJobPayload>;
export type WebhookJob = Job<WebhookJobPayload>;

/**
 * Eight attempts with exponential backoff from 5 s: retries wait 5, 10, 20, ... 320 s, so the last try
 * comes about 11 minutes (plus up to eight request timeouts) after the first. That rides out a receiver's
 * deploy or a short outage; a receiver down longer loses the push and reads the segment by polling.
 * Finished jobs are capped by age and count so Redis memory stays bounded; the caps are also the window
 * in which enqueueing an event again is a no-op (after it, the worker still skips a delivered event).
 */
export const DEFAULT_WEBHOOK_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  // Failed jobs stay longer: they are what support looks at when a client says it heard nothing.
  removeOnFail: { age: 7 * 24 * 3600, count: 50_000 },
};

export interface WebhookQueueOptions {
  /** Hash-tagged BullMQ prefix; defaults to `{t2s}`. */
  prefix?: string;
  /** Merged over DEFAULT_WEBHOOK_JOB_OPTIONS (tests shorten the backoff). */
  defaultJobOptions?: DefaultJobOptions;
}

/** The producer side of the `webhook` queue; the caller owns (and closes) the queue and the connection. */
export function createWebhookQueue(
  connection: RedisConnection,
  options: WebhookQueueOptions = {},
): WebhookQueue {
  const telemetry = queueTelemetry();
  return new Queue<WebhookJobPayload>(WEBHOOK_QUEUE_NAME, {
    connection,
    prefix: queuePrefix(options.prefix),
    defaultJobOptions: { ...DEFAULT_WEBHOOK_JOB_OPTIONS, ...options.defaultJobOptions },
    ...(telemetry ? { telemetry } : {}),
  });
}

/**
 * Adds the delivery of one stored event. The payload is validated here so a producer bug fails at the
 * producer (AppError INVALID_JOB_PAYLOAD); the job id is `webhook.<eventId>`, so enqueueing the same
 * event again returns the existing job instead of delivering twice.
 */
export async function enqueueWebhook(
  queue: WebhookQueue,
  ref: { eventId: string; segmentId: string },
): Promise<WebhookJob> {
  const data = parseJob('webhook', { v: 1, eventId: ref.eventId, segmentId: ref.segmentId });
  return queue.add(JOB_NAMES.webhook, data, { jobId: jobId('webhook', data) });
}
