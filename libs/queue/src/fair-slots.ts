import type { Queue } from 'bullmq';
import type { RedisConnection } from './redis-connection';

/**
 * A limit on running jobs shared by every worker of a queue: at most `limit` jobs of one group (an API
 * key, a key's batch items) run at once, across every process.
 */
export interface SlotGroup {
  /** Unique within the queue, e.g. `key:<apiKeyId>`; part of a Redis key. */
  id: string;
  limit: number;
  /** What kind of limit it is, for metrics labels (`key`, `batch`); never an id. */
  kind: string;
}

export type Admission =
  | {
      admitted: true;
      /** How often this job was deferred before (each deferral started it once). */ deferrals: number;
    }
  | { admitted: false; /** The first group that had no free slot. */ full: SlotGroup };

/** How long parked and deferral bookkeeping of jobs that vanished (removed while parked) is kept. */
const BOOKKEEPING_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Slots per group, in Redis, for the jobs of one BullMQ queue: the fairness that BullMQ Pro's groups
 * give, which the open-source BullMQ lacks (its global concurrency and rate limiter are per queue).
 *
 * Why a semaphore with deferral, not a queue per API key: keys are created at run time, and a BullMQ
 * worker serves one queue, so per-key queues need a worker (and its blocking Redis connection) per key
 * per process and something to start and stop them as keys come and go; the stage's job ids, retries
 * and metrics would split per key as well. With one queue, a worker takes the next job as before, asks
 * here for a slot in the job's groups, and when a group is full moves the job to `delayed` (BullMQ's
 * `moveToDelayed` + `DelayedError`, which does not count as an attempt) and takes the next job: a key
 * over its share never holds a worker's slot, other keys' jobs run.
 *
 * No polling: a deferred job is parked in its full group, ranked (singles before batch items, then
 * oldest first), with a long delay; whoever releases a slot of the group wakes the first parked job
 * (`promote`). The delay is only the safety net for a wake-up that was lost (its releaser died).
 *
 * Crash safety: a slot is held by a job id and counts only while BullMQ's lock on that job exists
 * (`<prefix>:<queue>:<jobId>:lock`, renewed by the worker running it, gone when the job leaves `active`).
 * A worker killed mid-job leaks nothing: its lock expires after the lock duration (when BullMQ's stalled
 * check hands the job to another worker too), and the next admission in the group drops the holder. The
 * scripts read lock keys they build from the prefix, as BullMQ's own scripts do: every key of a queue is
 * in the prefix's hash slot, so this holds on Redis Cluster.
 */
export class FairSlots {
  private readonly base: string;
  private readonly lockPrefix: string;

  constructor(
    private readonly redis: RedisConnection,
    queue: Pick<Queue, 'toKey'>,
  ) {
    // `<prefix>:<queue>:` — a job's key is this plus its id.
    this.lockPrefix = queue.toKey('');
    this.base = `${this.lockPrefix}fair:`;
    defineScripts(redis);
  }

  /**
   * Takes a slot in every group for `jobId`, or in none. A job that already holds its slots (run again
   * after a stall) keeps them. When a group is full the job is parked in it with `rank` (lower wakes
   * first) and the call answers that group.
   */
  async acquire(jobId: string, groups: readonly SlotGroup[], rank: number): Promise<Admission> {
    const [admitted, index, deferrals] = await this.run('take', jobId, groups, rank);
    if (admitted === 1) return { admitted: true, deferrals };
    return { admitted: false, full: groups[index - 1] as SlotGroup };
  }

  /** Whether `jobId` would be admitted now (holders whose lock is gone do not count). Parks nothing. */
  async hasRoom(jobId: string, groups: readonly SlotGroup[]): Promise<boolean> {
    const [admitted] = await this.run('peek', jobId, groups, 0);
    return admitted === 1;
  }

  /** Gives the job's slots back; answers the parked jobs to wake, one per group it freed a slot in. */
  async release(jobId: string, groups: readonly SlotGroup[]): Promise<string[]> {
    if (groups.length === 0) return [];
    const keys = groups.flatMap((group) => [this.slotsKey(group), this.parkedKey(group)]);
    return (this.redis as unknown as FairSlotScripts).t2sFairRelease(keys.length, ...keys, jobId);
  }

  /** Jobs holding a slot of `group` whose lock still exists. */
  async inUse(group: SlotGroup): Promise<number> {
    const holders = await this.redis.smembers(this.slotsKey(group));
    if (holders.length === 0) return 0;
    const locks = await Promise.all(holders.map((id) => this.redis.exists(`${this.lockPrefix}${id}:lock`)));
    return locks.filter((n) => n === 1).length;
  }

  /** Parked jobs of `group`, first to wake first. */
  parked(group: SlotGroup): Promise<string[]> {
    return this.redis.zrange(this.parkedKey(group), 0, -1);
  }

  private async run(
    mode: 'take' | 'peek',
    jobId: string,
    groups: readonly SlotGroup[],
    rank: number,
  ): Promise<[number, number, number]> {
    if (groups.length === 0) return [1, 0, 0];
    for (const group of groups) {
      if (!Number.isInteger(group.limit) || group.limit < 1) {
        throw new RangeError(`FairSlots: the limit of ${group.id} must be a positive integer`);
      }
    }
    const keys = [
      `${this.base}deferrals`,
      ...groups.flatMap((group) => [this.slotsKey(group), this.parkedKey(group)]),
    ];
    // Lower rank first, then oldest first: rank times 2^42 ms (about 139 years) plus the time.
    const score = rank * 2 ** 42 + Date.now();
    return (this.redis as unknown as FairSlotScripts).t2sFairTake(
      keys.length,
      ...keys,
      mode,
      this.lockPrefix,
      jobId,
      String(score),
      String(BOOKKEEPING_TTL_MS),
      ...groups.map((group) => String(group.limit)),
    );
  }

  private slotsKey(group: SlotGroup): string {
    return `${this.base}slots:${group.id}`;
  }

  private parkedKey(group: SlotGroup): string {
    return `${this.base}parked:${group.id}`;
  }
}

interface FairSlotScripts {
  t2sFairTake(numberOfKeys: number, ...args: string[]): Promise<[number, number, number]>;
  t2sFairRelease(numberOfKeys: number, ...args: string[]): Promise<string[]>;
}

/**
 * KEYS: deferrals hash, then per group its slots set and its parked sorted set.
 * ARGV: mode (take|peek), lock prefix, job id, park score, bookkeeping TTL, then each group's limit.
 * Answers {1, 0, deferrals} when admitted, {0, group index, deferrals} when not.
 */
const TAKE_SCRIPT = `
local mode, lockPrefix, jobId, score, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local groups = (#KEYS - 1) / 2
for i = 1, groups do
  local slots = KEYS[2 * i]
  for _, holder in ipairs(redis.call('SMEMBERS', slots)) do
    if holder ~= jobId and redis.call('EXISTS', lockPrefix .. holder .. ':lock') == 0 then
      redis.call('SREM', slots, holder)
    end
  end
end
for i = 1, groups do
  local slots = KEYS[2 * i]
  if redis.call('SISMEMBER', slots, jobId) == 0 and redis.call('SCARD', slots) >= tonumber(ARGV[5 + i]) then
    if mode == 'peek' then return {0, i, 0} end
    local parked = KEYS[2 * i + 1]
    redis.call('ZADD', parked, 'NX', score, jobId)
    redis.call('PEXPIRE', parked, ttl)
    local deferrals = redis.call('HINCRBY', KEYS[1], jobId, 1)
    redis.call('PEXPIRE', KEYS[1], ttl)
    return {0, i, deferrals}
  end
end
if mode == 'peek' then return {1, 0, 0} end
for i = 1, groups do
  redis.call('SADD', KEYS[2 * i], jobId)
  redis.call('ZREM', KEYS[2 * i + 1], jobId)
end
local deferrals = tonumber(redis.call('HGET', KEYS[1], jobId) or '0')
redis.call('HDEL', KEYS[1], jobId)
return {1, 0, deferrals}
`;

/** KEYS: per group its slots set and its parked sorted set. ARGV: job id. Answers the jobs to wake. */
const RELEASE_SCRIPT = `
local wake = {}
for i = 1, #KEYS / 2 do
  if redis.call('SREM', KEYS[2 * i - 1], ARGV[1]) == 1 then
    local first = redis.call('ZRANGE', KEYS[2 * i], 0, 0)[1]
    if first then
      redis.call('ZREM', KEYS[2 * i], first)
      table.insert(wake, first)
    end
  end
end
return wake
`;

const defined = new WeakSet<object>();

function defineScripts(redis: RedisConnection): void {
  if (defined.has(redis)) return;
  redis.defineCommand('t2sFairTake', { lua: TAKE_SCRIPT });
  redis.defineCommand('t2sFairRelease', { lua: RELEASE_SCRIPT });
  defined.add(redis);
}
