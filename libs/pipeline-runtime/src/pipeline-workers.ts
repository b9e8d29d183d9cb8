import { AppError, isErrorCode, parseJob, type Stage, type T2sError } from '@t2s/contracts';
import { STAGE_HANDLERS, type StageDeps } from '@t2s/pipeline';
import { startStageWorker, type StageWorker, type StageWorkerOptions } from '@t2s/queue';
import type { DefaultJobOptions, Job } from 'bullmq';
import type { RedisConnection } from '@t2s/queue';
import type { SegmentRecord, SegmentRepository } from '@t2s/service-store';
import { executionFairShare, type ExecutionShares } from './execution-shares';

/**
 * Per-stage handler limits. The first three call the strategy (the LLM strategy's calls among them),
 * execution streams a whole segment out of the warehouse; the SQL itself is bounded tighter by the
 * sandbox's statement timeout.
 */
export const DEFAULT_STAGE_TIMEOUTS_MS: Readonly<Record<Stage, number>> = {
  criteria: 120_000,
  linking: 120_000,
  sql: 120_000,
  execution: 600_000,
};

/** A job that will not run again, and what was recorded for its segment. */
export interface FinalJobFailure {
  stage: Stage;
  segmentId: string;
  revisionId: string;
  error: T2sError;
  /** False when the segment was already terminal or superseded (the stage itself recorded the failure). */
  marked: boolean;
}

export interface PipelineWorkersOptions {
  /** The stages this process serves; production runs one process per stage. */
  stages: readonly Stage[];
  /** A worker connection (`createRedisConnection(url, { forWorker: true })`); the caller owns it. */
  connection: RedisConnection;
  prefix?: string;
  deps: StageDeps;
  /** Jobs per worker at once (default 1); `stageConcurrency` sets it for single stages. */
  concurrency?: number;
  stageConcurrency?: Partial<Record<Stage, number>>;
  /** Per-API-key limits on running execution jobs (see ExecutionShares); unset: first come, first served. */
  executionShares?: ExecutionShares;
  /** A job was deferred because its group (`kind`: `key` or `batch`) had no free slot; for a metric. */
  onDeferred?: (stage: Stage, kind: string) => void;
  timeouts?: Partial<Record<Stage, number>>;
  /** For the next-stage jobs the workers enqueue (tests shorten attempts and backoff). */
  defaultJobOptions?: DefaultJobOptions;
  closeTimeoutMs?: number;
  /** BullMQ's job lock (see StageWorkerOptions.lockDurationMs). */
  lockDurationMs?: number;
  onError?: (error: Error) => void;
  /** One log line per stage pass (see StageWorkerOptions.logger). */
  logger?: StageWorkerOptions['logger'];
  /** A job's queue wait, on its first start (for the queue-wait histogram). */
  onJobStarted?: (stage: Stage, queueWaitMs: number) => void;
  /** Called after a finally failed job's segment was marked; for logs and tests. */
  onFinalFailure?: (failure: FinalJobFailure) => void;
  /**
   * Called whenever a job ends its revision's run (succeeded, failed, or found it already finished): the
   * webhook notification. It must be idempotent; a rejection makes the job retry, and the retry, finding
   * the run finished, calls it again.
   */
  onRunFinished?: (run: { segmentId: string; revisionId: string }) => Promise<unknown>;
}

export interface PipelineWorkers {
  workers: ReadonlyMap<Stage, StageWorker>;
  /** Closes every worker, then waits for the failure bookkeeping still in flight. */
  close(): Promise<void>;
}

/**
 * Starts one queue worker per stage, each calling the pipeline's stage function. The stage functions
 * fail the segment themselves for deterministic errors, but a retryable error (warehouse down, stage
 * timeout) leaves it `running` for the retry; once BullMQ gives up, nobody would ever finish it. The
 * `failed` listener closes that gap: on a job's last failure it fails the segment with the error's code.
 */
export function startPipelineWorkers(options: PipelineWorkersOptions): PipelineWorkers {
  const { deps } = options;
  const onError = options.onError ?? ((error: Error) => process.emitWarning(error));
  // The store must still be open when a late `failed` handler writes, so close() waits for these.
  const bookkeeping = new Set<Promise<void>>();
  const workers = new Map<Stage, StageWorker>();
  const admissionReads = new AdmissionReads(deps.segments);

  for (const stage of new Set(options.stages)) {
    const stageWorker = startStageWorker({
      stage,
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.stageConcurrency?.[stage] ?? options.concurrency,
      ...(stage === 'execution' && options.executionShares
        ? {
            fairShare: executionFairShare(options.executionShares, admissionReads, (group) =>
              options.onDeferred?.(stage, group.kind),
            ),
          }
        : {}),
      timeoutMs: options.timeouts?.[stage] ?? DEFAULT_STAGE_TIMEOUTS_MS[stage],
      closeTimeoutMs: options.closeTimeoutMs,
      lockDurationMs: options.lockDurationMs,
      defaultJobOptions: options.defaultJobOptions,
      onError,
      ...(options.logger ? { logger: options.logger } : {}),
      handler: async (payload, context) => {
        if (context.queueWaitMs !== undefined) options.onJobStarted?.(stage, context.queueWaitMs);
        const { segmentId, revisionId, pass } = payload;
        const step = await STAGE_HANDLERS[stage](
          { segmentId, revisionId, pass },
          // Only right after its own admission: another stage could find a deferred job's old read.
          stage === 'execution' ? admissionReads.reusedBy(deps, segmentId) : deps,
        );
        if (step.next === null) await options.onRunFinished?.({ segmentId, revisionId });
        return step;
      },
    });
    stageWorker.worker.on('failed', (job, error) => {
      if (!job || !isFinalFailure(job, error)) return;
      const run = markFailed(stage, job, error, deps)
        .then(async (failure) => {
          if (!failure) return;
          options.onFinalFailure?.(failure);
          await options.onRunFinished?.({ segmentId: failure.segmentId, revisionId: failure.revisionId });
        })
        .catch((cause: unknown) =>
          onError(new Error(`could not fail the segment of job ${job.id}`, { cause })),
        );
      bookkeeping.add(run);
      void run.finally(() => bookkeeping.delete(run));
    });
    workers.set(stage, stageWorker);
  }

  let closing: Promise<void> | undefined;
  return {
    workers,
    close: () => {
      closing ??= (async () => {
        await Promise.all([...workers.values()].map((w) => w.close()));
        await Promise.allSettled([...bookkeeping]);
      })();
      return closing;
    },
  };
}

/**
 * The execution fair share reads a job's segment (for its API key) just before the stage reads it
 * again: the stage takes that read instead of making its own, one round trip less per execution pass.
 * They are kept by segment id and taken once by the execution handler that runs right after its
 * admission; a later admission of the same segment (another revision's job) replaces the read with a
 * newer one, which does as well (the stage checks the revision itself). A deferred job's read, if its
 * retry runs elsewhere, is dropped once more than CAP are kept.
 */
class AdmissionReads {
  private static readonly CAP = 256;
  private readonly reads = new Map<string, Promise<SegmentRecord | null>>();

  constructor(private readonly segments: SegmentRepository) {}

  findById(id: string): Promise<SegmentRecord | null> {
    const read = this.segments.findById(id);
    this.reads.delete(id);
    this.reads.set(id, read);
    if (this.reads.size > AdmissionReads.CAP) this.reads.delete(this.reads.keys().next().value as string);
    // Nobody may await it (a job deferred elsewhere); its failure is the fair share's to report.
    read.catch(() => undefined);
    return read;
  }

  /** `deps` whose first read of `segmentId` takes the admission's read, when there was one. */
  reusedBy(deps: StageDeps, segmentId: string): StageDeps {
    const read = this.reads.get(segmentId);
    if (read === undefined) return deps;
    this.reads.delete(segmentId);
    let taken = false;
    // The repository's own methods stay as they are (and keep their `this`); only findById is wrapped.
    const segments = Object.create(deps.segments) as SegmentRepository;
    segments.findById = (id) => {
      if (id !== segmentId || taken) return deps.segments.findById(id);
      taken = true;
      return read;
    };
    return { ...deps, segments };
  }
}

/** As BullMQ decides in `shouldRetryJob`: unrecoverable, or the attempts are used up. */
function isFinalFailure(job: Job, error: Error): boolean {
  if (error.name === 'UnrecoverableError') return true;
  if (job.finishedOn !== undefined) return true;
  return job.attemptsMade >= (job.opts.attempts ?? 1);
}

async function markFailed(
  stage: Stage,
  job: Job,
  thrown: Error,
  deps: StageDeps,
): Promise<FinalJobFailure | null> {
  let payload;
  try {
    payload = parseJob(stage, job.data);
  } catch {
    // An unparseable job names no segment we can trust; the failed job stays in Redis for debugging.
    return null;
  }
  const error: T2sError = { ...toAppError(thrown, stage).toT2sError(), stage };
  const { segmentId, revisionId, pass } = payload;
  // The stage run was left open for the retry that is not coming; close it like the stage runner would.
  await deps.segments.finishStage({ segmentId, revisionId, stage, pass }, { outcome: 'failed', error });
  const marked = await deps.segments.fail(segmentId, revisionId, error);
  if (marked && deps.observer) {
    const segment = await deps.segments.findById(segmentId);
    deps.observer.runFinished({
      status: 'failed',
      strategy: segment?.options.strategy ?? deps.strategy.name,
      warehouse: segment?.options.warehouse ?? 'unknown',
      code: error.code,
    });
  }
  return { stage, segmentId, revisionId, error, marked };
}

/** The worker wraps non-retryable errors as `UnrecoverableError('<CODE>: <message>')`; recover the code. */
function toAppError(thrown: Error, stage: Stage): AppError {
  if (AppError.is(thrown)) return thrown;
  const match = /^([A-Z_]+): ([\s\S]*)$/.exec(thrown.message);
  if (thrown.name === 'UnrecoverableError' && match && isErrorCode(match[1])) {
    return new AppError(match[1], match[2] ?? '', { stage });
  }
  return AppError.from(thrown, stage);
}
