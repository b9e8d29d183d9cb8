import { JOB_NAMES, STAGES } from '@t2s/contracts';
import { createBaselineStrategy } from '@t2s/baseline';
import { enqueueSegment } from '@t2s/queue';
import {
  startPipelineWorkers,
  type FinalJobFailure,
  type PipelineWorkers,
  type PipelineWorkersOptions,
} from './index';
import {
  closedPort,
  FAST_JOB_OPTIONS,
  openQueueBed,
  openRuntimeFixture,
  type QueueBed,
  type RuntimeFixture,
} from './testing/runtime-fixture';

/** Resolves when `accept` holds for a value pushed into the returned `push`; rejects after `timeoutMs`. */
function waitFor<T>(accept: (value: T) => boolean, timeoutMs: number) {
  let push!: (value: T) => void;
  const promise = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing accepted within ${timeoutMs} ms`)), timeoutMs);
    push = (value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      resolve(value);
    };
  });
  return { promise, push };
}

describe('pipeline workers over BullMQ', () => {
  let f: RuntimeFixture;
  let bed: QueueBed;
  let workers: PipelineWorkers | undefined;

  beforeAll(async () => {
    f = await openRuntimeFixture(200);
  }, 120_000);
  afterAll(() => f?.close());

  beforeEach(() => {
    bed = openQueueBed();
  });
  afterEach(async () => {
    await workers?.close();
    workers = undefined;
    await bed.teardown();
  });

  /** Every stage's workers on this test's queues, with fast retries; `options` adds what the test is about. */
  const start = (options: Pick<PipelineWorkersOptions, 'deps'> & Partial<PipelineWorkersOptions>) =>
    startPipelineWorkers({
      stages: STAGES,
      connection: bed.connection,
      prefix: bed.prefix,
      defaultJobOptions: FAST_JOB_OPTIONS,
      ...options,
    });

  it('runs a credit card PUSH offer through the four queues to succeeded', async () => {
    const ids = await f.createSegment();
    const finished: string[] = [];
    workers = start({
      deps: f.deps(),
      onRunFinished: async (run) => void finished.push(run.segmentId),
    });
    const execution = workers.workers.get('execution')!.worker;
    const done = waitFor<string>((segmentId) => segmentId === ids.segmentId, 30_000);
    execution.on('completed', (job) => done.push(job.data.segmentId));

    await enqueueSegment(bed.queues, { ...ids, startStage: 'criteria' });
    await done.promise;

    const segment = await f.store.segments.findById(ids.segmentId);
    expect(segment).toMatchObject({ status: 'succeeded', stage: 'execution', error: null });
    expect(segment?.stageRuns.map((r) => [r.stage, r.outcome]).sort()).toEqual([
      ['criteria', 'succeeded'],
      ['execution', 'succeeded'],
      ['linking', 'succeeded'],
      ['sql', 'succeeded'],
    ]);
    const members = await f.store.members.page(ids.segmentId, { limit: 100_000 });
    expect(members?.ids.length).toBeGreaterThan(0);
    expect(finished).toEqual([ids.segmentId]);
  });

  it('fails the segment with WAREHOUSE_UNAVAILABLE once the retries are used up', async () => {
    const ids = await f.createSegment();
    const down = f.openSandbox({
      warehouseUrl: `postgres://nobody:nothing@127.0.0.1:${await closedPort()}/test`,
      connectTimeoutMs: 1_000,
    });
    const failed = waitFor<FinalJobFailure>((failure) => failure.segmentId === ids.segmentId, 30_000);
    workers = start({
      deps: f.deps({ sandbox: down }),
      onFinalFailure: failed.push,
    });
    let executionAttempts = 0;
    workers.workers.get('execution')!.worker.on('failed', () => executionAttempts++);

    await enqueueSegment(bed.queues, { ...ids, startStage: 'criteria' });
    expect(await failed.promise).toMatchObject({
      stage: 'execution',
      marked: true,
      error: { code: 'WAREHOUSE_UNAVAILABLE', stage: 'execution' },
    });

    expect(executionAttempts).toBe(2);
    const segment = await f.store.segments.findById(ids.segmentId);
    expect(segment).toMatchObject({
      status: 'failed',
      stage: 'execution',
      error: { code: 'WAREHOUSE_UNAVAILABLE', stage: 'execution' },
    });
    expect(segment?.stageRuns.find((r) => r.stage === 'execution')).toMatchObject({ outcome: 'failed' });
  });

  it('fails a stage that outlives its timeout with STAGE_TIMEOUT once the retries are used up', async () => {
    const ids = await f.createSegment();
    const baseline = createBaselineStrategy({ modelName: 'bank' });
    // A criteria step that never answers (an LLM call hanging): only the stage timeout ends it.
    const hanging = { ...baseline, criteria: { generate: () => new Promise<never>(() => undefined) } };
    const failed = waitFor<FinalJobFailure>((failure) => failure.segmentId === ids.segmentId, 30_000);
    const finished: string[] = [];
    workers = start({
      deps: f.deps({ strategy: hanging }),
      timeouts: { criteria: 300 },
      onFinalFailure: failed.push,
      onRunFinished: async (run) => void finished.push(run.segmentId),
    });

    await enqueueSegment(bed.queues, { ...ids, startStage: 'criteria' });
    expect(await failed.promise).toMatchObject({
      stage: 'criteria',
      marked: true,
      error: { code: 'STAGE_TIMEOUT' },
    });
    const segment = await f.store.segments.findById(ids.segmentId);
    expect(segment).toMatchObject({ status: 'failed', stage: 'criteria', error: { code: 'STAGE_TIMEOUT' } });
    expect(segment?.stageRuns.map((r) => [r.stage, r.outcome])).toEqual([['criteria', 'failed']]);
    await workers.close();
    expect(finished).toEqual([ids.segmentId]);
  });

  it("runs another API key's segment while one key's slow queries hold that key's execution share", async () => {
    const keyB = (await f.store.apiKeys.create('pipeline-test-b')).record.id;
    // Key A's SQL runs until the test lets it go; every other key's goes straight through.
    // (Only a segment's own query: its funnel count afterwards is not held.)
    const held = new Map<string, () => void>();
    const gated = new Set<string>();
    const heldStarted = waitFor<number>((count) => count === 2, 30_000);
    let peak = 0;
    const sandbox = f.openSandbox();
    const gatedSandbox: typeof sandbox = Object.assign(Object.create(sandbox) as typeof sandbox, {
      execute: async (sql: string, options: Parameters<typeof sandbox.execute>[1]) => {
        const segmentId = options.context.segmentId!;
        if (options.context.apiKeyId === f.apiKeyId && !gated.has(segmentId)) {
          gated.add(segmentId);
          await new Promise<void>((release) => {
            held.set(segmentId, release);
            peak = Math.max(peak, held.size);
            heldStarted.push(held.size);
          });
          held.delete(segmentId);
        }
        return sandbox.execute(sql, options);
      },
    });
    const deferred: string[] = [];
    const done = new Set<string>();
    const allDone = waitFor<number>((count) => count === 5, 60_000);
    const bDone = waitFor<string>(() => true, 30_000);
    workers = start({
      deps: f.deps({ sandbox: gatedSandbox }),
      stageConcurrency: { execution: 3 },
      executionShares: { slotsPerKey: 2, batchSlotsPerKey: 1 },
      onDeferred: (stage, kind) => deferred.push(`${stage}:${kind}`),
      onRunFinished: async (run) => {
        done.add(run.segmentId);
        allDone.push(done.size);
        if (run.segmentId === b.segmentId) bDone.push(run.segmentId);
      },
    });
    const a = [];
    for (let i = 0; i < 4; i++) a.push(await f.createSegment());
    const b = await f.createSegment({}, keyB);
    for (const ids of a) await enqueueSegment(bed.queues, { ...ids, startStage: 'criteria', lane: 'single' });
    await heldStarted.promise;

    // Key A holds two of the three execution slots; its other runs wait, key B's takes the third.
    await enqueueSegment(bed.queues, { ...b, startStage: 'criteria', lane: 'single' });
    await bDone.promise;
    expect(await f.store.segments.findById(b.segmentId)).toMatchObject({ status: 'succeeded' });
    expect(held.size).toBe(2);
    expect([...done]).toEqual([b.segmentId]);

    // Each A run let go frees its slot for the next.
    const release = () => [...held.values()].forEach((go) => go());
    const releaser = setInterval(release, 20);
    try {
      await allDone.promise;
    } finally {
      clearInterval(releaser);
    }
    expect(peak).toBe(2);
    expect(deferred.length).toBeGreaterThan(0);
    expect(new Set(deferred)).toEqual(new Set(['execution:key']));
    for (const ids of a) {
      expect(await f.store.segments.findById(ids.segmentId)).toMatchObject({ status: 'succeeded' });
    }
  });

  it('fails an unparseable job at once, touching no segment', async () => {
    const ids = await f.createSegment();
    let finalFailures = 0;
    workers = start({
      stages: ['criteria'],
      deps: f.deps(),
      onFinalFailure: () => finalFailures++,
    });
    const failedJob = waitFor<{ reason: string; attempts: number }>(() => true, 30_000);
    workers.workers
      .get('criteria')!
      .worker.on('failed', (job, error) =>
        failedJob.push({ reason: error.message, attempts: job?.attemptsMade ?? -1 }),
      );

    // A producer on a newer deploy (v2), naming the segment: this worker must not guess at it.
    await bed.queues.criteria.add(JOB_NAMES.criteria, { ...ids, v: 2, pass: 0 } as never, { attempts: 5 });
    expect(await failedJob.promise).toEqual({
      reason: expect.stringMatching(/^INVALID_JOB_PAYLOAD: /),
      attempts: 1,
    });
    await workers.close();
    expect(finalFailures).toBe(0);
    expect(await f.store.segments.findById(ids.segmentId)).toMatchObject({ status: 'queued', stageRuns: [] });
  });
});
