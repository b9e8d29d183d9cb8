import type { RunLane, StageJobPayload } from '@t2s/contracts';
import { DelayedError, type Queue } from 'bullmq';
import { FairSlots, type SlotGroup } from './fair-slots';
import type { RedisConnection } from './redis-connection';
import { laneOf, type StageJob } from './stage-queues';

export interface FairShareOptions {
  /**
   * The groups whose slots a job needs (its API key's, its key's batch lane); none: the job is not
   * limited. Called at every start of the job, so keep it cheap (one read of the segment).
   */
  groupsOf(payload: StageJobPayload, lane: RunLane): Promise<readonly SlotGroup[]>;
  /**
   * How long a deferred job sleeps unless a freed slot wakes it first: only the safety net for a lost
   * wake-up (the releasing worker died). Default: the worker's lock duration, after which a dead
   * holder's slot is free again anyway.
   */
  parkMs?: number;
  /** A job was deferred because `group` had no free slot (for a metric). */
  onDeferred?: (group: SlotGroup) => void;
}

/** A job admitted to its slots: give them back when it leaves the processor, whatever happened. */
export interface FairAdmission {
  /** How often the job was deferred before it got its slots. */
  deferrals: number;
  release(): Promise<void>;
}

// Wakes singles before batch items of the same group.
const RANK: Readonly<Record<RunLane, number>> = { single: 0, batch: 1 };

/**
 * The worker side of FairSlots (see there for the design): admits a job to its groups' slots, or parks
 * it in `delayed` and throws DelayedError so BullMQ neither completes nor fails it, and the worker takes
 * its next job at once.
 */
export class FairShare {
  private readonly slots: FairSlots;

  constructor(
    connection: RedisConnection,
    private readonly queue: Queue<StageJobPayload>,
    private readonly options: FairShareOptions,
    private readonly defaultParkMs: number,
    private readonly onError: (error: Error) => void,
  ) {
    this.slots = new FairSlots(connection, queue);
  }

  async admit(job: StageJob, token: string | undefined, payload: StageJobPayload): Promise<FairAdmission> {
    const lane = laneOf(job);
    const groups = await this.options.groupsOf(payload, lane);
    const id = job.id as string;
    const answer = await this.slots.acquire(id, groups, RANK[lane]);
    if (answer.admitted) {
      return { deferrals: answer.deferrals, release: () => this.release(id, groups) };
    }
    this.options.onDeferred?.(answer.full);
    await job.moveToDelayed(Date.now() + (this.options.parkMs ?? this.defaultParkMs), token);
    // A slot freed between the check and the move was released while this job was still active, so its
    // wake-up missed it: look again, now that the job is where a wake-up finds it.
    if (await this.slots.hasRoom(id, groups)) await this.wake(id);
    throw new DelayedError();
  }

  private async release(jobId: string, groups: readonly SlotGroup[]): Promise<void> {
    const parked = await this.slots.release(jobId, groups);
    await Promise.all(parked.map((id) => this.wake(id)));
  }

  /** Moves a parked job from delayed to waiting; one that already left delayed needs nothing. */
  private async wake(jobId: string): Promise<void> {
    try {
      const job = await this.queue.getJob(jobId);
      await job?.promote();
    } catch (error) {
      // Raced with its own timer or with another wake-up: it is on its way already. Anything else is
      // news, but the park delay still brings the job back.
      if (!(error instanceof Error && /not in the delayed state/i.test(error.message))) {
        this.onError(new Error(`could not wake parked job ${jobId}`, { cause: error }));
      }
    }
  }
}
