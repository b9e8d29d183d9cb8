import { STAGES } from '@t2s/contracts';
import { enqueueSegment } from '@t2s/queue';
import { startPipelineWorkers, type FinalJobFailure, type PipelineWorkers } from './index';
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

  it('runs a credit card PUSH offer through the four queues to succeeded', async () => {
    const ids = await f.createSegment();
    workers = startPipelineWorkers({
      stages: STAGES,
      connection: bed.connection,
      prefix: bed.prefix,
      deps: f.deps(),
      defaultJobOptions: FAST_JOB_OPTIONS,
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
  });

  it('fails the segment with WAREHOUSE_UNAVAILABLE once the retries are used up', async () => {
    const ids = await f.createSegment();
    const down = f.openSandbox({
      warehouseUrl: `postgres://nobody:nothing@127.0.0.1:${await closedPort()}/test`,
      connectTimeoutMs: 1_000,
    });
    const failed = waitFor<FinalJobFailure>((failure) => failure.segmentId === ids.segmentId, 30_000);
    workers = startPipelineWorkers({
      stages: STAGES,
      connection: bed.connection,
      prefix: bed.prefix,
      deps: f.deps({ sandbox: down }),
      defaultJobOptions: FAST_JOB_OPTIONS,
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
});
