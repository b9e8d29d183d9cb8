import {
  AppError,
  JOB_NAMES,
  parseJob,
  StageSuspended,
  type LlmJobPayload,
  type Stage,
  type StageJobPayload,
  type StageStep,
} from '@t2s/contracts';
import {
  DelayedError,
  Queue,
  UnrecoverableError,
  WaitingChildrenError,
  Worker,
  type DefaultJobOptions,
} from 'bullmq';
import { inSpan, queueTelemetry, type Logger } from '@t2s/telemetry';
import type { RedisConnection } from './redis-connection';
import { queuePrefix } from './redis-connection';
import { createLlmQueue, LLM_JOB_NAME, LLM_JOB_OPTIONS } from './llm-queue';
import { runInStageJob } from './stage-job-context';
import { FairShare, type FairAdmission, type FairShareOptions } from './fair-share';
import { closeStageQueues, createStageQueues, enqueueStage, laneOf, type StageJob } from './stage-queues';

export interface StageHandlerContext {
  stage: Stage;
  /** Aborted when the stage timeout fires: the job is then retried, so stop work that nobody awaits. */
  signal: AbortSignal;
  /** BullMQ attempts already made for this job (0 on the first run): its retries, not the payload's pass. */
  attemptsMade: number;
  /**
   * How long the job waited in its queue before this worker took it; only on its first start (a retry
   * waits out a backoff, a resumed job waited for its LLM calls: neither is queue wait).
   */
  queueWaitMs?: number;
}

export type StageHandler = (payload: StageJobPayload, context: StageHandlerContext) => Promise<StageStep>;

export interface StageWorkerOptions {
  stage: Stage;
  /** A worker connection (`createRedisConnection(url, { forWorker: true })`); the caller owns it. */
  connection: RedisConnection;
  prefix?: string;
  concurrency?: number;
  /** Per-job limit for the handler; past it the attempt fails with the retryable STAGE_TIMEOUT. */
  timeoutMs: number;
  /** How long `close()` waits for active jobs before abandoning them to the stalled-job check. */
  closeTimeoutMs?: number;
  /**
   * How long a job's lock lasts without renewal (BullMQ's lockDuration, default 30 s); the stalled-job
   * check runs as often, so a crashed worker's job is running again within about twice this.
   */
  lockDurationMs?: number;
  /** Options for the jobs this worker enqueues for the next stage. */
  defaultJobOptions?: DefaultJobOptions;
  /**
   * Limits on running jobs per group (an API key) across every worker of this queue (FairSlots); a job
   * whose group is full is deferred without using an attempt. Unset: first come, first served.
   */
  fairShare?: FairShareOptions;
  handler: StageHandler;
  /** Worker-level errors (lost connection, lock renewal); BullMQ emits them and an unheard 'error' crashes. */
  onError?: (error: Error) => void;
  /**
   * One line per stage pass (`stage done`, with the next stage and its time; `stage failed`, with the
   * error code), carrying the segment, revision, stage, job and pass ids, and the trace id (the pass
   * runs in its span).
   */
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface StageWorker {
  worker: Worker<StageJobPayload, StageStep>;
  close(): Promise<void>;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;
// BullMQ's default lockDuration.
const DEFAULT_LOCK_DURATION_MS = 30_000;

/**
 * Runs one stage's queue: parse the payload, run the handler under the stage timeout, enqueue the
 * next stage. Error policy (the stage functions already recorded failures in PostgreSQL):
 * - bad payload or non-retryable AppError: UnrecoverableError, the job fails with no further attempt;
 * - retryable AppError (including STAGE_TIMEOUT) and unknown errors (INTERNAL, retryable): rethrown,
 *   so BullMQ retries with backoff. Never swallowed.
 */
export function startStageWorker(options: StageWorkerOptions): StageWorker {
  const { stage, connection, handler, timeoutMs } = options;
  const prefix = queuePrefix(options.prefix);
  const queues = createStageQueues(connection, { prefix, defaultJobOptions: options.defaultJobOptions });
  // Our own count of running processors, so close() can bound its wait (BullMQ's close() cannot).
  const inFlight = new Set<Promise<unknown>>();

  const onError = options.onError ?? ((error: Error) => process.emitWarning(error));
  const fairShare =
    options.fairShare &&
    new FairShare(
      connection,
      queues[stage],
      options.fairShare,
      options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS,
      onError,
    );

  let llmQueue: Queue<LlmJobPayload> | undefined;
  // Runs the handler; a stage that must wait for LLM calls adds them as child jobs and parks this job
  // in waiting-children (its slot is free meanwhile), then runs again here when they are answered.
  const runHandler = async (
    job: StageJob,
    token: string | undefined,
    payload: StageJobPayload,
    deferrals: number,
  ): Promise<StageStep> => {
    const waitedFor = new Set<string>();
    for (;;) {
      try {
        return await withStageTimeout(stage, timeoutMs, (signal) =>
          runInStageJob({ stage, payload, calls: 0 }, () =>
            handler(payload, {
              stage,
              signal,
              attemptsMade: job.attemptsMade,
              // Each deferral for a fair share started the job once; its time deferred is queue wait.
              ...(job.attemptsStarted - deferrals <= 1 && job.processedOn !== undefined
                ? { queueWaitMs: job.processedOn - job.timestamp }
                : {}),
            }),
          ),
        );
      } catch (error) {
        if (!StageSuspended.is(error)) throw error;
        const fresh = error.calls.filter((c) => !waitedFor.has(c.callId));
        if (fresh.length === 0) {
          throw new AppError(
            'LLM_UNAVAILABLE',
            `LLM call ${error.calls[0]?.callId} finished without an answer`,
            { stage },
          );
        }
        llmQueue ??= createLlmQueue(connection, prefix);
        for (const call of fresh) {
          waitedFor.add(call.callId);
          await llmQueue.add(
            LLM_JOB_NAME,
            { v: 1, callId: call.callId, segmentId: call.segmentId, stage: call.stage },
            {
              ...LLM_JOB_OPTIONS,
              jobId: call.callId,
              parent: { id: job.id as string, queue: job.queueQualifiedName },
              // The stage reads a failed call's stored error itself; the parent must wake up either way.
              ignoreDependencyOnFailure: true,
            },
          );
        }
        if (token !== undefined && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
        // Answered already (or no token to park with): run again now.
      }
    }
  };

  const processJob = async (job: StageJob, token?: string): Promise<StageStep> => {
    const payload = parseStagePayload(stage, job);
    let admission: FairAdmission | undefined;
    try {
      // Throws DelayedError when the job's group has no free slot: parked, not failed.
      admission = await fairShare?.admit(job, token, payload);
      const deferrals = admission?.deferrals ?? 0;
      const ids = { segmentId: payload.segmentId, revisionId: payload.revisionId, stage, pass: payload.pass };
      const started = performance.now();
      const step = await inStageSpan(stage, job, payload, async () => {
        const step = await runHandler(job, token, payload, deferrals);
        // The next stage's job waits in the same lane (a batch item stays behind single segments).
        if (step.next !== null)
          await enqueueStage(queues, step.next, { ...payload, pass: step.pass }, laneOf(job));
        return step;
      }).catch((error: unknown) => {
        if (!(error instanceof WaitingChildrenError)) {
          const code = AppError.from(error, stage).code;
          options.logger?.warn(
            { ...ids, jobId: job.id, attemptsMade: job.attemptsMade, code },
            'stage failed',
          );
        }
        throw error;
      });
      options.logger?.info(
        { ...ids, jobId: job.id, next: step.next, ms: Math.round(performance.now() - started) },
        'stage done',
      );
      return step;
    } catch (error) {
      throw toBullMqError(error, stage);
    } finally {
      await admission?.release().catch(onError);
    }
  };

  const telemetry = queueTelemetry();
  const worker = new Worker<StageJobPayload, StageStep>(
    stage,
    (job, token) => {
      const run = processJob(job, token);
      inFlight.add(run);
      return run.finally(() => inFlight.delete(run));
    },
    {
      connection,
      prefix,
      concurrency: options.concurrency ?? 1,
      ...(options.lockDurationMs === undefined
        ? {}
        : { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }),
      // Started below, after the error listener is attached.
      autorun: false,
      ...(telemetry ? { telemetry } : {}),
    },
  );
  worker.on('error', onError);
  // run() resolves when the worker closes; its rejection is a worker-level failure, reported as such.
  worker.run().catch(onError);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Stop fetching first, so the wait below covers only jobs already running.
      await worker.pause(true);
      const finished = await settlesWithin(Promise.allSettled([...inFlight]), options.closeTimeoutMs);
      // Forced: a job still running keeps its lock until it expires; the stalled check then hands it to
      // another worker, and the stage's idempotent writes make the second run safe.
      await worker.close(!finished);
      await closeStageQueues(queues);
      await llmQueue?.close();
    })();
    return closing;
  };

  return { worker, close };
}

function parseStagePayload(stage: Stage, job: StageJob): StageJobPayload {
  try {
    if (job.name !== JOB_NAMES[stage]) {
      throw new AppError(
        'INVALID_JOB_PAYLOAD',
        `Unexpected job name ${JSON.stringify(job.name)} on ${stage}`,
      );
    }
    return parseJob(stage, job.data);
  } catch (error) {
    // The same bytes will never parse: retrying only delays the failure.
    throw toBullMqError(error, stage);
  }
}

/** Retryable errors pass through unchanged (BullMQ retries them); the rest stop the job. */
function toBullMqError(error: unknown, stage: Stage): Error {
  if (
    error instanceof UnrecoverableError ||
    error instanceof WaitingChildrenError ||
    error instanceof DelayedError
  ) {
    return error;
  }
  const appError = AppError.from(error, stage);
  if (appError.retryable) return error instanceof Error ? error : appError;
  // UnrecoverableError carries only a message, so the code goes in front for `failedReason`.
  return new UnrecoverableError(`${appError.code}: ${appError.message}`);
}

async function withStageTimeout<T>(
  stage: Stage,
  timeoutMs: number,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new AppError('STAGE_TIMEOUT', `${stage} stage exceeded ${timeoutMs} ms`, { stage });
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const work = Promise.resolve().then(() => run(controller.signal));
  // After a timeout nobody awaits `work`; its late rejection must not become an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
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

/**
 * A stage pass as a span of the segment's trace (BullMQ's consumer span, continued from the job's
 * producer, is its parent). A pass parked for its LLM calls is not a failure: it says so and ends.
 */
async function inStageSpan<T>(
  stage: Stage,
  job: StageJob,
  payload: StageJobPayload,
  work: () => Promise<T>,
): Promise<T> {
  const attributes = {
    't2s.stage': stage,
    't2s.segment_id': payload.segmentId,
    't2s.revision_id': payload.revisionId,
    't2s.pass': payload.pass,
    'messaging.message.id': job.id ?? '',
    't2s.attempts_made': job.attemptsMade,
  };
  let parked: WaitingChildrenError | undefined;
  const result = await inSpan(`stage ${stage}`, attributes, async (span) => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof WaitingChildrenError) {
        span.setAttribute('t2s.stage.waiting_for_llm', true);
        parked = error;
        return undefined;
      }
      span.setAttribute('t2s.error.code', AppError.from(error, stage).code);
      throw error;
    }
  });
  if (parked) throw parked;
  return result as T;
}
