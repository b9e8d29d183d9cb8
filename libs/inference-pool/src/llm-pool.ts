import { AppError, JOB_NAMES, parseJob, type LlmJobPayload } from '@t2s/contracts';
import { completeInSpan, LlmCallError, type LlmBackend } from '@t2s/llm';
import { queueTelemetry } from '@t2s/telemetry';
import { LLM_QUEUE, queuePrefix } from '@t2s/queue';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RedisConnection } from '@t2s/queue';
import type { LlmCallStore } from './llm-call-store';
import type { PoolMetrics } from './pool-metrics';

const MAX_STARTS = 20;

export interface LlmPoolOptions {
  /** A worker connection (`maxRetriesPerRequest: null`); the caller owns it. */
  connection: RedisConnection;
  prefix?: string;
  backend: LlmBackend;
  store: LlmCallStore;
  /** GPU slots: 4 GPUs times the calls each serves at once. Set as the queue's global concurrency. */
  slots: number;
  metrics?: PoolMetrics;
  onError?: (error: Error) => void;
}

export interface LlmPool {
  worker: Worker<LlmJobPayload>;
  close(): Promise<void>;
}

/**
 * The inference pool's worker: takes calls from the `llm` queue, at most `slots` at once across every
 * pool process (BullMQ's global concurrency), sends each to the backend (an EndpointRouter over the
 * GPUs' servers) and stores the answer under the call id. A 429 or 503 with `Retry-After` pauses the
 * queue for that long (BullMQ's rate limit) and puts the call back without spending an attempt;
 * timeouts and unreachable endpoints retry with backoff; a refusal or a bad answer is final and is
 * stored for the caller to read.
 */
export async function startLlmPool(options: LlmPoolOptions): Promise<LlmPool> {
  const prefix = queuePrefix(options.prefix);
  const telemetry = queueTelemetry();
  const queue = new Queue<LlmJobPayload>(LLM_QUEUE, {
    connection: options.connection,
    prefix,
    ...(telemetry ? { telemetry } : {}),
  });
  await queue.setGlobalConcurrency(options.slots);
  const { backend, store, metrics } = options;
  metrics?.slots.set(options.slots);

  const worker: Worker<LlmJobPayload> = new Worker<LlmJobPayload>(
    LLM_QUEUE,
    async (job: Job<LlmJobPayload>) => {
      const payload = parse(job);
      const request = await store.request(payload.callId);
      if (!request) throw new UnrecoverableError(`INTERNAL: no stored request for call ${payload.callId}`);
      if (job.attemptsStarted <= 1)
        metrics?.queueWait.observe({ stage: payload.stage }, (Date.now() - job.timestamp) / 1000);
      metrics?.busySlots.inc();
      const started = performance.now();
      try {
        const completion = await completeInSpan(backend, request);
        metrics?.callSeconds.observe(
          { model: completion.model, outcome: 'ok' },
          (performance.now() - started) / 1000,
        );
        const labels = { stage: payload.stage, model: completion.model };
        metrics?.tokens.inc(
          { ...labels, kind: 'prompt' },
          completion.usage.promptTokens - completion.usage.cachedTokens,
        );
        metrics?.tokens.inc({ ...labels, kind: 'cached' }, completion.usage.cachedTokens);
        metrics?.tokens.inc({ ...labels, kind: 'completion' }, completion.usage.completionTokens);
        await store.putAnswer(payload.callId, { ok: true, completion });
      } catch (error) {
        const failure = error instanceof LlmCallError || AppError.is(error) ? error : AppError.from(error);
        metrics?.callSeconds.observe(
          { model: backend.model, outcome: failure.code },
          (performance.now() - started) / 1000,
        );
        const retryAfter = error instanceof LlmCallError ? error.retryAfterMs : undefined;
        // Rate-limited restarts spend no attempt; a bound on starts still ends a call no endpoint ever takes.
        if (
          failure.code === 'LLM_UNAVAILABLE' &&
          retryAfter !== undefined &&
          job.attemptsStarted < MAX_STARTS
        ) {
          await worker.rateLimit(retryAfter);
          throw Worker.RateLimitError();
        }
        if (failure.retryable && job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw error;
        // Final: the caller reads why.
        await store.putAnswer(payload.callId, {
          ok: false,
          code: failure.code,
          message: failure.message,
          ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
        });
        throw new UnrecoverableError(`${failure.code}: ${failure.message}`);
      } finally {
        metrics?.busySlots.dec();
      }
    },
    {
      connection: options.connection,
      prefix,
      concurrency: options.slots,
      autorun: false,
      ...(telemetry ? { telemetry } : {}),
    },
  );
  const onError = options.onError ?? ((error: unknown) => process.emitWarning(String(error)));
  worker.on('error', onError);
  worker.run().catch(onError);
  return {
    worker,
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}

function parse(job: Job<LlmJobPayload>): LlmJobPayload {
  if (job.name !== JOB_NAMES.llm)
    throw new UnrecoverableError(`INVALID_JOB_PAYLOAD: unexpected job ${job.name}`);
  try {
    return parseJob('llm', job.data);
  } catch (error) {
    throw new UnrecoverableError(`INVALID_JOB_PAYLOAD: ${(error as Error).message}`);
  }
}
