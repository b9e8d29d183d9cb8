import {
  JOB_NAMES,
  STAGES,
  jobId,
  parseJob,
  stageJobData,
  type RunLane,
  type Stage,
  type StageJobPayload,
} from '@t2s/contracts';
import { queueTelemetry } from '@t2s/telemetry';
import { Queue, type DefaultJobOptions, type Job } from 'bullmq';
import type { RedisConnection } from './redis-connection';
import { queuePrefix } from './redis-connection';

/** One BullMQ queue per pipeline stage, named after the stage (`criteria`, `linking`, ...). */
export type StageQueues = Readonly<Record<Stage, Queue<StageJobPayload>>>;

export type StageJob = Job<StageJobPayload>;

/**
 * The lane as a BullMQ priority. BullMQ takes every job without a priority (the wait list) before any
 * job with one (the prioritized set, lowest number first; see moveToActive in BullMQ 6), so singles carry
 * none and batch items one: a single posted after a batch is the next job each stage takes.
 */
export const BATCH_PRIORITY = 100;

/** The lane of a job already in a queue; a stage worker passes it on to the next stage's job. */
export function laneOf(job: Pick<Job, 'priority'>): RunLane {
  return job.priority > 0 ? 'batch' : 'single';
}

/**
 * Eight attempts with exponential backoff (1 s, 2 s, 4 s ... 64 s, about two minutes in all) ride out a
 * restarting warehouse, Redis or LLM provider inside the run's 5-minute deadline; a non-retryable error
 * skips them (the worker throws UnrecoverableError).
 * Finished jobs are capped by age and count so Redis memory stays bounded. The caps are also the
 * window of idempotent enqueue: once a job is removed, adding its id again creates a new job.
 */
export const DEFAULT_STAGE_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  // Failed jobs stay longer: they are what someone debugs.
  removeOnFail: { age: 7 * 24 * 3600, count: 50_000 },
};

export interface StageQueuesOptions {
  /** Hash-tagged BullMQ prefix; defaults to `{t2s}`. */
  prefix?: string;
  /** Merged over DEFAULT_STAGE_JOB_OPTIONS (tests shorten the backoff). */
  defaultJobOptions?: DefaultJobOptions;
}

export function createStageQueues(
  connection: RedisConnection,
  options: StageQueuesOptions = {},
): StageQueues {
  const prefix = queuePrefix(options.prefix);
  const defaultJobOptions = { ...DEFAULT_STAGE_JOB_OPTIONS, ...options.defaultJobOptions };
  // Each job carries its producer's trace context (the gateway's request, the stage before it).
  const telemetry = queueTelemetry();
  const entries = STAGES.map(
    (stage) =>
      [
        stage,
        new Queue<StageJobPayload>(stage, {
          connection,
          prefix,
          defaultJobOptions,
          ...(telemetry ? { telemetry } : {}),
        }),
      ] as const,
  );
  return Object.fromEntries(entries) as Record<Stage, Queue<StageJobPayload>>;
}

export async function closeStageQueues(queues: StageQueues): Promise<void> {
  await Promise.all(STAGES.map((stage) => queues[stage].close()));
}

/**
 * Adds one stage step. The payload is validated here too, so a producer bug fails at the producer
 * (AppError INVALID_JOB_PAYLOAD) rather than as a dead job. The job id is derived from the step
 * (`<stage>.<revisionId>.<pass>`), so enqueueing the same step twice (a retried worker that
 * already enqueued, a replayed outbox) returns the existing job instead of running the stage twice.
 */
export async function enqueueStage(
  queues: StageQueues,
  stage: Stage,
  payload: StageJobPayload,
  lane: RunLane = 'single',
): Promise<StageJob> {
  const data = parseJob(stage, payload);
  return queues[stage].add(JOB_NAMES[stage], stageJobData(data), {
    jobId: jobId(stage, data),
    ...(lane === 'batch' ? { priority: BATCH_PRIORITY } : {}),
  });
}

/** Starts a segment's run (a new segment, a revision, a re-run): its first stage, pass 0. */
export function enqueueSegment(
  queues: StageQueues,
  run: { segmentId: string; revisionId: string; startStage: Stage; lane?: RunLane },
): Promise<StageJob> {
  return enqueueStage(
    queues,
    run.startStage,
    { v: 1, segmentId: run.segmentId, revisionId: run.revisionId, pass: 0 },
    run.lane,
  );
}
