import {
  AppError,
  JOB_NAMES,
  STAGES,
  nextStage,
  type Stage,
  type StageJobPayload,
  type StageStep,
} from '@t2s/contracts';
import { UnrecoverableError } from 'bullmq';
import {
  FAST_JOB_OPTIONS,
  createQueueTestBed,
  deferred,
  stagePayload,
  waitForEvent,
  type QueueTestBed,
} from './queue.fixture';
import { enqueueStage, type StageJob } from './stage-queues';
import { startStageWorker, type StageHandler, type StageWorker } from './stage-worker';

// Real Redis at 127.0.0.1:6379, one throwaway hash-tagged prefix per test.
describe('stage queues and workers', () => {
  let bed: QueueTestBed;

  beforeEach(() => {
    bed = createQueueTestBed();
  });

  afterEach(async () => {
    await bed.teardown();
  });

  function startWorker(stage: Stage, handler: StageHandler, timeoutMs = 2_000): StageWorker {
    const started = startStageWorker({
      stage,
      connection: bed.connection,
      prefix: bed.prefix,
      timeoutMs,
      closeTimeoutMs: 5_000,
      defaultJobOptions: FAST_JOB_OPTIONS,
      handler,
    });
    bed.workers.push(started);
    return started;
  }

  const completedJob = (w: StageWorker, payload: StageJobPayload) =>
    waitForEvent<[StageJob, StageStep]>(
      w.worker,
      'completed',
      (job) => job.data.revisionId === payload.revisionId,
    );

  const failedJob = (w: StageWorker) => waitForEvent<[StageJob | undefined, Error]>(w.worker, 'failed');

  it('carries one payload through criteria, linking, sql and execution', async () => {
    const seenByExecution: StageJobPayload[] = [];
    const workers = Object.fromEntries(
      STAGES.map((stage) => [
        stage,
        startWorker(stage, async (payload) => {
          if (stage === 'execution') seenByExecution.push(payload);
          const next = nextStage(stage);
          return next === null ? { next } : { next, pass: payload.pass };
        }),
      ]),
    ) as Record<Stage, StageWorker>;
    const payload = stagePayload();
    const done = completedJob(workers.execution, payload);

    await enqueueStage(bed.queues, 'criteria', payload);
    const [job, result] = await done;

    expect(job.name).toBe(JOB_NAMES.execution);
    expect(result).toEqual({ next: null });
    expect(seenByExecution).toEqual([payload]);
    for (const stage of STAGES) {
      // One job per stage, all finished: nothing duplicated, nothing left behind.
      expect(
        await bed.queues[stage].getJobCounts('wait', 'delayed', 'active', 'completed', 'failed'),
      ).toEqual({
        wait: 0,
        delayed: 0,
        active: 0,
        completed: 1,
        failed: 0,
      });
    }
  });

  it('enqueues the same step once', async () => {
    const payload = stagePayload({ pass: 2 });

    const first = await enqueueStage(bed.queues, 'sql', payload);
    const second = await enqueueStage(bed.queues, 'sql', { ...payload });

    expect(second.id).toBe(first.id);
    expect(first.id).toBe(`sql.${payload.revisionId}.2`);
    // The pass is written under its former name too, for a worker of the previous release.
    expect(first.data).toEqual({ ...payload, attempt: 2 });
    expect(await bed.queues.sql.getJobCountByTypes('wait', 'delayed', 'prioritized')).toBe(1);
  });

  it('refuses to enqueue an invalid payload', async () => {
    const bad = { ...stagePayload(), segmentId: 'not-a-uuid' };

    await expect(enqueueStage(bed.queues, 'criteria', bad)).rejects.toMatchObject({
      code: 'INVALID_JOB_PAYLOAD',
    });
    expect(await bed.queues.criteria.count()).toBe(0);
  });

  it('retries a retryable AppError with backoff until the handler succeeds', async () => {
    let calls = 0;
    const w = startWorker('criteria', async () => {
      calls += 1;
      if (calls <= 2) throw new AppError('LLM_UNAVAILABLE', 'provider down');
      return { next: null };
    });
    const failures: Error[] = [];
    w.worker.on('failed', (_job, error) => failures.push(error));
    const payload = stagePayload();
    const done = completedJob(w, payload);

    await enqueueStage(bed.queues, 'criteria', payload);
    await done;

    expect(calls).toBe(3);
    expect(failures.map((e) => (e as AppError).code)).toEqual(['LLM_UNAVAILABLE', 'LLM_UNAVAILABLE']);
  });

  it('fails a non-retryable AppError at once, without retries', async () => {
    let calls = 0;
    const w = startWorker('sql', async () => {
      calls += 1;
      throw new AppError('SQL_REJECTED', 'DELETE is not allowed', { stage: 'sql' });
    });
    const failed = failedJob(w);

    const enqueued = await enqueueStage(bed.queues, 'sql', stagePayload());
    const [job, error] = await failed;

    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.message).toBe('SQL_REJECTED: DELETE is not allowed');
    expect(job?.id).toBe(enqueued.id);
    expect(await enqueued.getState()).toBe('failed');
    expect(calls).toBe(1);
  });

  it('runs a job written before `pass` was named so, with its `attempt` as the pass', async () => {
    const seen: StageJobPayload[] = [];
    startWorker('sql', async (payload) => (seen.push(payload), { next: 'execution', pass: payload.pass }));
    const execution = startWorker('execution', async () => ({ next: null }));
    const { pass: _pass, ...unnamed } = stagePayload();
    const done = waitForEvent<[StageJob]>(execution.worker, 'completed');

    // As the previous release wrote it, and left it in Redis across the deploy.
    await bed.queues.sql.add(JOB_NAMES.sql, { ...unnamed, attempt: 1 } as never, {
      jobId: `sql.${unnamed.revisionId}.1`,
    });
    const [job] = await done;

    expect(seen).toEqual([{ ...unnamed, pass: 1 }]);
    expect(job.id).toBe(`execution.${unnamed.revisionId}.1`);
  });

  it('fails a bad payload permanently without calling the handler', async () => {
    let calls = 0;
    const w = startWorker('linking', async () => {
      calls += 1;
      return { next: null };
    });
    const failed = failedJob(w);

    // Bypasses enqueueStage's validation, as a producer on another deploy (v: 2) would.
    const added = await bed.queues.linking.add(JOB_NAMES.linking, { ...stagePayload(), v: 2 } as never);
    const [, error] = await failed;

    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.message).toMatch(/^INVALID_JOB_PAYLOAD: /);
    expect(await added.getState()).toBe('failed');
    expect(calls).toBe(0);
  });

  it('fails a slow handler with STAGE_TIMEOUT and retries it', async () => {
    let calls = 0;
    const signals: AbortSignal[] = [];
    const w = startWorker(
      'execution',
      async (_payload, { signal }) => {
        calls += 1;
        signals.push(signal);
        if (calls === 1) {
          // Hangs until the worker gives up on it.
          await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        }
        return { next: null };
      },
      150,
    );
    const failures: Error[] = [];
    w.worker.on('failed', (_job, error) => failures.push(error));
    const payload = stagePayload();
    const done = completedJob(w, payload);

    await enqueueStage(bed.queues, 'execution', payload);
    await done;

    expect(calls).toBe(2);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ name: 'AppError', code: 'STAGE_TIMEOUT', stage: 'execution' });
    expect(signals[0]?.aborted).toBe(true);
  });

  it('lets close() finish the active job, and a new worker takes later jobs', async () => {
    const started = deferred();
    const release = deferred();
    const first = startWorker('criteria', async () => {
      started.resolve();
      await release.promise;
      return { next: null };
    });
    const firstJob = await enqueueStage(bed.queues, 'criteria', stagePayload());
    await started.promise;

    let closed = false;
    const closing = first.close().then(() => (closed = true));
    // close() must still be waiting: the job is running.
    expect(closed).toBe(false);
    release.resolve();
    await closing;

    expect(await firstJob.getState()).toBe('completed');
    expect(first.worker.isRunning()).toBe(false);

    const later = stagePayload();
    await enqueueStage(bed.queues, 'criteria', later);
    const second = startWorker('criteria', async () => ({ next: null }));
    const [job] = await completedJob(second, later);
    expect(job.data).toMatchObject(later);
  });

  it('stops waiting for a stuck job after closeTimeoutMs', async () => {
    const started = deferred();
    const release = deferred();
    const errors: Error[] = [];
    const stuck = startStageWorker({
      stage: 'sql',
      connection: bed.connection,
      prefix: bed.prefix,
      timeoutMs: 10_000,
      closeTimeoutMs: 100,
      handler: async () => {
        started.resolve();
        await release.promise;
        return { next: null };
      },
      onError: (error) => errors.push(error),
    });
    bed.workers.push(stuck);
    const job = await enqueueStage(bed.queues, 'sql', stagePayload());
    await started.promise;

    await stuck.close();

    // Abandoned, not failed: the lock expires and the stalled check hands it to another worker.
    expect(await job.getState()).toBe('active');
    release.resolve();
    expect(errors).toEqual([]);
  });
});
