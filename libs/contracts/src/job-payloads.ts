import { zodIssuesToDetails } from './api-error.schema';
import { AppError } from './app-error';
import { STAGES, stageSchema } from './stage';
import { z } from './zod-openapi';

/**
 * The job catalog: every BullMQ queue, the one job name it carries and its payload schema. Payloads
 * are thin (ids only); the state lives in PostgreSQL and a worker reads it after parsing the payload.
 *
 * Versioning: `v` is a literal, so a worker refuses a payload shape it does not know (a producer on a
 * newer deploy) instead of misreading it. Additive, optional fields keep `v: 1`; anything else bumps it.
 * Unknown fields are stripped, not rejected, for the same reason: during a rolling deploy an older
 * worker must still run a v1 job that a newer producer decorated.
 */
export const QUEUE_NAMES = [...STAGES, 'webhook', 'llm'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** BullMQ key prefix shared by every producer and worker; a mismatch means jobs nobody consumes. */
export const QUEUE_PREFIX = 't2s';

/**
 * Which line a run waits in at every stage. Batch items (POST /v1/batches, new segments or re-runs)
 * go in the `batch` lane, taken after single segments, so a batch of hundreds cannot make a segment
 * posted after it wait behind it.
 */
export type RunLane = 'single' | 'batch';

const uuid = z.uuid();
const version = z.literal(1);

/**
 * criteria, linking, sql, execution. `pass` numbers the passes of this stage for this revision, 0
 * first; it grows when a later stage sends work back (an execution error returns to sql for repair),
 * so each pass has its own job id and output row while a redelivered job of the same pass finds its
 * output already written. BullMQ's retries of one job (`attemptsMade`) are another count. A worker
 * whose `revisionId` is no longer the segment's current revision drops the job: a newer revision
 * superseded it.
 *
 * `pass` was named `attempt` before: a job written under that name (in Redis across a deploy) is read
 * with it as its pass, here and nowhere else.
 */
export const stageJobPayloadSchema = z.preprocess(
  legacyPass,
  z.object({
    v: version,
    segmentId: uuid,
    revisionId: uuid,
    pass: z.number().int().min(0),
  }),
);

function legacyPass(data: unknown): unknown {
  if (typeof data !== 'object' || data === null) return data;
  const named = data as { pass?: unknown; attempt?: unknown };
  return { ...data, pass: named.pass ?? named.attempt };
}

/**
 * A stage job's data as the producer writes it: the payload, with its pass also as `attempt`, the name
 * the previous release's workers require, so a job one of them takes during a rolling deploy still runs.
 * Drop `attempt` once no worker of that release runs.
 */
export function stageJobData(payload: StageJobPayload): StageJobPayload & { attempt: number } {
  return { ...payload, attempt: payload.pass };
}

/** Deliver one webhook event; the event row (body, target, delivery attempts) is in PostgreSQL. */
export const webhookJobPayloadSchema = z.object({
  v: version,
  eventId: uuid,
  segmentId: uuid,
});

/** One LLM call for the inference pool; the prompt and the answer are stored under `callId`. */
export const llmJobPayloadSchema = z.object({
  v: version,
  callId: uuid,
  segmentId: uuid,
  stage: stageSchema,
});

export type StageJobPayload = z.output<typeof stageJobPayloadSchema>;
export type WebhookJobPayload = z.output<typeof webhookJobPayloadSchema>;
export type LlmJobPayload = z.output<typeof llmJobPayloadSchema>;

export const JOB_CATALOG = {
  criteria: { name: 'criteria.run', schema: stageJobPayloadSchema },
  linking: { name: 'linking.run', schema: stageJobPayloadSchema },
  sql: { name: 'sql.run', schema: stageJobPayloadSchema },
  execution: { name: 'execution.run', schema: stageJobPayloadSchema },
  webhook: { name: 'webhook.deliver', schema: webhookJobPayloadSchema },
  llm: { name: 'llm.complete', schema: llmJobPayloadSchema },
} as const satisfies { [Q in QueueName]: { name: string; schema: z.ZodType } };

/** Compile-time map: queue -> payload type. */
export interface JobPayloads {
  criteria: StageJobPayload;
  linking: StageJobPayload;
  sql: StageJobPayload;
  execution: StageJobPayload;
  webhook: WebhookJobPayload;
  llm: LlmJobPayload;
}

// Fails to compile if a schema's output drifts from the declared map, in either direction.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _catalogMatchesPayloads: {
  [Q in QueueName]: Exact<z.output<(typeof JOB_CATALOG)[Q]['schema']>, JobPayloads[Q]>;
} = { criteria: true, linking: true, sql: true, execution: true, webhook: true, llm: true };

export type JobPayload<Q extends QueueName> = JobPayloads[Q];
export type JobName<Q extends QueueName = QueueName> = (typeof JOB_CATALOG)[Q]['name'];

/** Job names by queue, for `queue.add(JOB_NAMES.sql, payload)`. */
export const JOB_NAMES: { readonly [Q in QueueName]: JobName<Q> } = {
  criteria: JOB_CATALOG.criteria.name,
  linking: JOB_CATALOG.linking.name,
  sql: JOB_CATALOG.sql.name,
  execution: JOB_CATALOG.execution.name,
  webhook: JOB_CATALOG.webhook.name,
  llm: JOB_CATALOG.llm.name,
};

/** Every job as one discriminated union, for code that handles jobs of several queues. */
export type AnyJob = { [Q in QueueName]: { queue: Q; name: JobName<Q>; data: JobPayload<Q> } }[QueueName];

export function isQueueName(value: unknown): value is QueueName {
  return typeof value === 'string' && (QUEUE_NAMES as readonly string[]).includes(value);
}

/**
 * A worker's first call. Throws AppError INVALID_JOB_PAYLOAD (not retryable: the same bytes will
 * never parse) with one detail per bad field.
 */
export function parseJob<Q extends QueueName>(queue: Q, data: unknown): JobPayload<Q> {
  const entry = isQueueName(queue) ? JOB_CATALOG[queue] : undefined;
  if (entry === undefined) {
    throw new AppError('INVALID_JOB_PAYLOAD', `Unknown queue ${JSON.stringify(queue)}`);
  }
  const parsed = entry.schema.safeParse(data);
  if (!parsed.success) {
    const details = zodIssuesToDetails(parsed.error.issues);
    const summary = details.map((d) => `${d.path || '(payload)'}: ${d.reason}`).join('; ');
    throw new AppError('INVALID_JOB_PAYLOAD', `Invalid ${queue} job payload: ${summary}`, {
      details,
      cause: parsed.error,
    });
  }
  return parsed.data as JobPayload<Q>;
}

/**
 * Deterministic BullMQ job id: enqueueing the same step twice (a retried producer, a replayed outbox)
 * is then a no-op. `.` separates parts because BullMQ reserves `:` in ids.
 */
export function jobId<Q extends QueueName>(queue: Q, payload: JobPayload<Q>): string {
  const p = payload as StageJobPayload | WebhookJobPayload | LlmJobPayload;
  if ('eventId' in p) return `${queue}.${p.eventId}`;
  if ('callId' in p) return `${queue}.${p.callId}`;
  return `${queue}.${p.revisionId}.${p.pass}`;
}
