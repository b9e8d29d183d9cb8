import { queueTelemetry } from '@t2s/telemetry';
import { JOB_NAMES, parseJob, type WebhookJobPayload } from '@t2s/contracts';
import { queuePrefix } from '@t2s/queue';
import type { WebhookDeliveryRepository } from '@t2s/service-store';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RedisConnection } from '@t2s/queue';
import { deliverWebhookEvent, isDelivered, type DeliveryResult } from './deliver';
import { WebhookSecretUnreadable, type WebhookSecretVault } from './webhook-secrets';
import type { WebhookResolver, WebhookTargetPolicy } from './webhook-target';
import { WEBHOOK_QUEUE_NAME, type WebhookJob } from './webhook-queue';

/** One delivery attempt, as recorded; for logs and tests. */
export interface WebhookAttemptReport extends DeliveryResult {
  eventId: string;
  segmentId: string;
  url: string;
  /** 1 for the first try. */
  attempt: number;
}

/**
 * A job BullMQ will not run again: the receiver said 410, the target was refused, the attempts ran out,
 * or the job is unusable.
 */
export interface WebhookGiveUpReport {
  jobId: string | undefined;
  eventId: string | undefined;
  segmentId: string | undefined;
  attempts: number;
  reason: string;
}

export type WebhookJobResult =
  { outcome: 'delivered'; attempt: number; statusCode: number } | { outcome: 'already-delivered' };

export interface WebhookWorkerOptions {
  /** A worker connection (`createRedisConnection(url, { forWorker: true })`); the caller owns it. */
  connection: RedisConnection;
  prefix?: string;
  webhooks: Pick<WebhookDeliveryRepository, 'getEvent' | 'recordAttempt'>;
  /** Each API key's signing secrets; an event is signed with those of its segment's key. */
  secrets: Pick<WebhookSecretVault, 'signingSecrets'>;
  /** Where webhooks may go (the deployment's allow-list); default: every internal target refused. */
  targets?: WebhookTargetPolicy;
  /** DNS for target host names; tests inject their own answers. */
  resolver?: WebhookResolver;
  /** Per request; the default leaves room for a slow receiver well inside BullMQ's 30 s job lock. */
  timeoutMs?: number;
  concurrency?: number;
  /** How long `close()` waits for deliveries in flight before abandoning them to the stalled-job check. */
  closeTimeoutMs?: number;
  /**
   * BullMQ's lockDuration (default 30 s), and the stalled check runs as often: a delivery whose worker
   * died (SIGKILL, OOM) is handed to another worker within about twice this, as for the stage workers.
   */
  lockDurationMs?: number;
  clock?: () => Date;
  /** Worker-level errors (lost connection, lock renewal); BullMQ emits them and an unheard 'error' crashes. */
  onError?: (error: Error) => void;
  onAttempt?: (report: WebhookAttemptReport) => void;
  onDelivered?: (report: WebhookAttemptReport) => void;
  onGaveUp?: (report: WebhookGiveUpReport) => void;
}

export interface WebhookWorker {
  worker: Worker<WebhookJobPayload, WebhookJobResult>;
  close(): Promise<void>;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

/**
 * Delivers the `webhook` queue's events. Retry policy, per attempt:
 * - 2xx: delivered (the attempt row marks the event delivered; a redelivered job then stops early);
 * - 410 Gone: the receiver says this endpoint is retired, so the job stops (UnrecoverableError);
 * - refused target (an internal address, or a name resolving to one): recorded as a refusal, no
 *   connection made, and the job stops: asking DNS again in 5 s would only be a way to probe the network;
 * - no usable signing secret for the segment's API key: recorded and retried (the client may be issuing
 *   its first secret with POST /v1/webhook-secret/rotate right now);
 * - anything else, 3xx and every other 4xx included, and network errors and timeouts: retried with the
 *   queue's backoff until the attempts run out. A 401/403/404 is most often a receiver mid-deploy or
 *   mid secret rotation, which fixes itself within the retry window; a permanently wrong endpoint costs
 *   only eight small requests.
 * Every attempt is recorded before the job's outcome is decided, so support sees all of them.
 */
export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const { webhooks } = options;
  const prefix = queuePrefix(options.prefix);
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  // Our own count of running processors, so close() can bound its wait (BullMQ's close() cannot).
  const inFlight = new Set<Promise<unknown>>();

  /** The key's secrets, or why there are none to sign with (recorded as the attempt's error). */
  const signingSecrets = async (apiKeyId: string): Promise<string[] | { error: string }> => {
    try {
      const secrets = await options.secrets.signingSecrets(apiKeyId);
      if (secrets.length > 0) return secrets;
      return {
        error: `API key ${apiKeyId} has no webhook secret: POST /v1/webhook-secret/rotate issues one`,
      };
    } catch (error) {
      if (error instanceof WebhookSecretUnreadable) return { error: error.message };
      throw error;
    }
  };

  const processJob = async (job: WebhookJob): Promise<WebhookJobResult> => {
    const payload = parsePayload(job);
    const event = await webhooks.getEvent(payload.eventId);
    if (event === null) throw new UnrecoverableError(`webhook event ${payload.eventId} does not exist`);
    if (event.deliveredAt !== null) return { outcome: 'already-delivered' };

    const attempt = job.attemptsMade + 1;
    const secrets = await signingSecrets(event.apiKeyId);
    const result: DeliveryResult = Array.isArray(secrets)
      ? await deliverWebhookEvent(event, {
          secrets,
          timeoutMs,
          targets: options.targets,
          resolver: options.resolver,
          clock: options.clock,
        })
      : { error: secrets.error, durationMs: 0 };
    const report: WebhookAttemptReport = {
      eventId: event.id,
      segmentId: event.segmentId,
      url: event.url,
      attempt,
      ...result,
    };
    await webhooks.recordAttempt(report);
    options.onAttempt?.(report);

    if (isDelivered(result)) {
      options.onDelivered?.(report);
      return { outcome: 'delivered', attempt, statusCode: result.statusCode as number };
    }
    const what = result.statusCode === undefined ? result.error : `HTTP ${result.statusCode}`;
    if (result.refused) throw new UnrecoverableError(`webhook target ${what}`);
    if (result.statusCode === 410) throw new UnrecoverableError(`receiver answered ${what}: endpoint gone`);
    // A plain Error: BullMQ schedules the next attempt with the queue's backoff.
    throw new Error(`webhook attempt ${attempt} failed: ${what}`);
  };

  const telemetry = queueTelemetry();
  const worker = new Worker<WebhookJobPayload, WebhookJobResult>(
    WEBHOOK_QUEUE_NAME,
    (job) => {
      const run = processJob(job);
      inFlight.add(run);
      return run.finally(() => inFlight.delete(run));
    },
    {
      connection: options.connection,
      prefix,
      concurrency: options.concurrency ?? 4,
      ...(options.lockDurationMs === undefined
        ? {}
        : { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }),
      // Started below, after the listeners are attached.
      autorun: false,
      ...(telemetry ? { telemetry } : {}),
    },
  );
  const onError = options.onError ?? ((error: Error) => process.emitWarning(error));
  worker.on('error', onError);
  worker.on('failed', (job, error) => {
    if (!job || !isFinalFailure(job, error)) return;
    options.onGaveUp?.(giveUpReport(job, error));
  });
  // run() resolves when the worker closes; its rejection is a worker-level failure, reported as such.
  worker.run().catch(onError);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Stop fetching first, so the wait below covers only deliveries already running.
      await worker.pause(true);
      const finished = await settlesWithin(Promise.allSettled([...inFlight]), options.closeTimeoutMs);
      // Forced: a delivery still running keeps its lock until it expires; the stalled check then hands
      // it to another worker, and the receiver deduplicates on the event id.
      await worker.close(!finished);
    })();
    return closing;
  };

  return { worker, close };
}

function parsePayload(job: WebhookJob): WebhookJobPayload {
  try {
    if (job.name !== JOB_NAMES.webhook) throw new Error(`Unexpected job name ${JSON.stringify(job.name)}`);
    return parseJob('webhook', job.data);
  } catch (error) {
    // The same bytes will never parse: retrying only delays the failure.
    throw new UnrecoverableError(`INVALID_JOB_PAYLOAD: ${error instanceof Error ? error.message : error}`);
  }
}

/** As BullMQ decides in `shouldRetryJob`: unrecoverable, or the attempts are used up. */
function isFinalFailure(job: Job, error: Error): boolean {
  if (error.name === 'UnrecoverableError') return true;
  return job.attemptsMade >= (job.opts.attempts ?? 1);
}

function giveUpReport(job: WebhookJob, error: Error): WebhookGiveUpReport {
  const data: Partial<WebhookJobPayload> = typeof job.data === 'object' && job.data !== null ? job.data : {};
  return {
    jobId: job.id,
    eventId: typeof data.eventId === 'string' ? data.eventId : undefined,
    segmentId: typeof data.segmentId === 'string' ? data.segmentId : undefined,
    attempts: job.attemptsMade,
    reason: error.message,
  };
}

/** True if `promise` settled within `timeoutMs`. */
async function settlesWithin(
  promise: Promise<unknown>,
  timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}
