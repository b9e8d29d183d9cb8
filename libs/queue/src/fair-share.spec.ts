import { EventEmitter } from 'node:events';
import type { RunLane, StageJobPayload } from '@t2s/contracts';
import type { SlotGroup } from './fair-slots';
import { createQueueTestBed, deferred, stagePayload, waitForEvent, type QueueTestBed } from './queue.fixture';
import { BATCH_PRIORITY, enqueueStage, laneOf, type StageJob } from './stage-queues';
import { startStageWorker, type StageHandler, type StageWorker } from './stage-worker';

// Real Redis, one throwaway prefix per test; the workers are BullMQ workers in this process.
describe('stage workers with fair shares', () => {
  let bed: QueueTestBed;
  beforeEach(() => {
    bed = createQueueTestBed();
  });
  afterEach(async () => {
    await bed.teardown();
  });

  /** Which API key each test job belongs to, by revision id (a worker reads it from the segment). */
  const owners = new Map<string, string>();
  const jobOf = (owner: string): StageJobPayload => {
    const payload = stagePayload();
    owners.set(payload.revisionId, owner);
    return payload;
  };
  const groupsOf =
    (perKey: number, batchPerKey = perKey) =>
    async (payload: StageJobPayload, lane: RunLane): Promise<SlotGroup[]> => {
      const owner = owners.get(payload.revisionId) as string;
      const groups = [{ id: `key:${owner}`, limit: perKey, kind: 'key' }];
      return lane === 'batch'
        ? [...groups, { id: `batch:${owner}`, limit: batchPerKey, kind: 'batch' }]
        : groups;
    };

  /** A handler whose jobs run until the test lets each go; it records who runs at once. */
  function gate() {
    const running = new Map<string, () => void>();
    const started: string[] = [];
    const peak = new Map<string, number>();
    const waits = new Map<string, number | undefined>();
    const events = new EventEmitter();
    const handler: StageHandler = async (payload, context) => {
      const owner = owners.get(payload.revisionId) as string;
      started.push(payload.revisionId);
      waits.set(payload.revisionId, context.queueWaitMs);
      const release = deferred();
      running.set(payload.revisionId, () => release.resolve());
      const now = [...running.keys()].filter((id) => owners.get(id) === owner).length;
      peak.set(owner, Math.max(peak.get(owner) ?? 0, now));
      events.emit('started', payload.revisionId);
      await release.promise;
      running.delete(payload.revisionId);
      return { next: null };
    };
    /** Resolves once the handler runs the job (admitted, not merely taken and deferred). */
    const whenStarted = async (revisionId: string, timeoutMs = 5_000): Promise<void> => {
      if (started.includes(revisionId)) return;
      await waitForEvent<[string]>(events, 'started', (id) => id === revisionId, timeoutMs);
    };
    /** Resolves with the next job of `owner` the handler runs that it had not run before. */
    const nextStarted = async (owner: string): Promise<string> => {
      const before = new Set(started);
      const [id] = await waitForEvent<[string]>(
        events,
        'started',
        (id) => owners.get(id) === owner && !before.has(id),
      );
      return id;
    };
    /** The jobs of `owner` the handler ran, in order. */
    const startedOf = (owner: string) => started.filter((id) => owners.get(id) === owner);
    /** Resolves once the handler ran `count` jobs of `owner` (which ones the workers picked is theirs). */
    const whenStartedOf = async (owner: string, count: number): Promise<string[]> => {
      if (startedOf(owner).length < count) {
        await waitForEvent(events, 'started', () => startedOf(owner).length >= count);
      }
      return startedOf(owner);
    };
    const finish = (revisionId: string) => running.get(revisionId)!();
    return { handler, started, peak, waits, whenStarted, nextStarted, startedOf, whenStartedOf, finish };
  }

  function startWorker(
    handler: StageHandler,
    options: { concurrency: number; perKey: number; batchPerKey?: number; deferred?: SlotGroup[] },
  ): StageWorker {
    const worker = startStageWorker({
      stage: 'execution',
      connection: bed.connection,
      prefix: bed.prefix,
      concurrency: options.concurrency,
      timeoutMs: 30_000,
      closeTimeoutMs: 1_000,
      handler,
      fairShare: {
        groupsOf: groupsOf(options.perKey, options.batchPerKey),
        // Far beyond every wait below: only a released slot's wake-up can bring a parked job back in time.
        parkMs: 60_000,
        onDeferred: (group) => options.deferred?.push(group),
      },
    });
    bed.workers.push(worker);
    return worker;
  }

  const completedEvent = (w: StageWorker, revisionId: string, timeoutMs = 5_000) =>
    waitForEvent<[StageJob]>(w.worker, 'completed', (job) => job.data.revisionId === revisionId, timeoutMs);

  it("runs at most a key's share at once; another key's job runs meanwhile; a freed slot wakes the next", async () => {
    const g = gate();
    const deferredGroups: SlotGroup[] = [];
    const w = startWorker(g.handler, { concurrency: 4, perKey: 2, deferred: deferredGroups });
    const a = [jobOf('A'), jobOf('A'), jobOf('A'), jobOf('A')];
    const b = jobOf('B');

    for (const payload of a) await enqueueStage(bed.queues, 'execution', payload);
    const firstTwo = await g.whenStartedOf('A', 2);
    // A's other two are deferred, not run: the worker's other slots are free for B.
    const bDone = completedEvent(w, b.revisionId);
    await enqueueStage(bed.queues, 'execution', b);
    await g.whenStarted(b.revisionId);
    g.finish(b.revisionId);
    await bDone;
    expect(g.startedOf('A')).toEqual(firstTwo);
    // B had a worker slot only once an A job had been deferred.
    expect(deferredGroups.length).toBeGreaterThanOrEqual(1);

    // Each A job that ends wakes a parked one, long before its park delay (60 s).
    const parked = a.map((p) => p.revisionId).filter((id) => !firstTwo.includes(id));
    const last = parked.map((id) => completedEvent(w, id));
    for (const id of firstTwo) {
      const next = g.nextStarted('A');
      g.finish(id);
      await next;
    }
    for (const id of parked) g.finish(id);
    const done = await Promise.all(last);
    expect(deferredGroups.length).toBeGreaterThanOrEqual(2);
    expect(deferredGroups.every((group) => group.id === 'key:A')).toBe(true);
    expect(g.peak.get('A')).toBe(2);
    // Deferrals used no attempt, and their time counts as queue wait.
    expect(done.map(([job]) => job.attemptsMade)).toEqual([1, 1]);
    for (const id of parked) expect(g.waits.get(id)).toEqual(expect.any(Number));
  });

  it("keeps a key's batch items to their lane's share, so the key's single segment still runs", async () => {
    const g = gate();
    const w = startWorker(g.handler, { concurrency: 4, perKey: 3, batchPerKey: 1 });
    const batch = [jobOf('A'), jobOf('A'), jobOf('A')];
    const single = jobOf('A');
    for (const payload of batch) await enqueueStage(bed.queues, 'execution', payload, 'batch');
    const [first] = await g.whenStartedOf('A', 1);
    await enqueueStage(bed.queues, 'execution', single);
    await g.whenStarted(single.revisionId);
    // The key has a third slot, but its batch lane has one: the other items wait, the single runs.
    expect(g.started).toEqual([first, single.revisionId]);
    const ends = batch.map((p) => completedEvent(w, p.revisionId));
    g.finish(single.revisionId);
    // Each item that ends wakes the next; never two at once.
    let current = first as string;
    for (let i = 1; i < batch.length; i++) {
      const next = g.nextStarted('A');
      g.finish(current);
      current = await next;
    }
    g.finish(current);
    await Promise.all(ends);
    expect(g.peak.get('A')).toBe(2);
  });

  it('takes single segments before batch items at every stage, and keeps a job in its lane', async () => {
    const order: string[] = [];
    const batch = [jobOf('A'), jobOf('A'), jobOf('A')];
    const single = jobOf('B');
    for (const payload of batch) await enqueueStage(bed.queues, 'sql', payload, 'batch');
    await enqueueStage(bed.queues, 'sql', single);
    const sql = startStageWorker({
      stage: 'sql',
      connection: bed.connection,
      prefix: bed.prefix,
      timeoutMs: 5_000,
      handler: async (payload) => {
        order.push(payload.revisionId);
        return { next: 'execution', pass: payload.pass };
      },
    });
    bed.workers.push(sql);
    const lastBatch = waitForEvent<[StageJob]>(
      sql.worker,
      'completed',
      (job) => job.data.revisionId === batch[2]!.revisionId,
    );
    await lastBatch;
    expect(order).toEqual([single.revisionId, ...batch.map((p) => p.revisionId)]);
    const next = await bed.queues.execution.getJobs(['prioritized', 'wait']);
    const lanes = Object.fromEntries(next.map((job) => [job.data.revisionId, [laneOf(job), job.priority]]));
    expect(lanes).toEqual({
      [single.revisionId]: ['single', 0],
      ...Object.fromEntries(batch.map((p) => [p.revisionId, ['batch', BATCH_PRIORITY]])),
    });
  });
});
