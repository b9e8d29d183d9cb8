import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { FairSlots, type SlotGroup } from './fair-slots';
import { createRedisConnection, type RedisConnection } from './redis-connection';
import { TEST_REDIS_URL } from './queue.fixture';

// Real Redis, a throwaway prefix per test. A job "runs" while its BullMQ lock key exists, as a worker
// holding it keeps it; deleting the key is what its expiry does after the worker died.
describe('FairSlots', () => {
  let redis: RedisConnection;
  let queue: Queue;
  let slots: FairSlots;
  let prefix: string;

  beforeEach(() => {
    prefix = `{t2s-test-${randomUUID().slice(0, 8)}}`;
    redis = createRedisConnection(TEST_REDIS_URL);
    queue = new Queue('execution', { connection: redis, prefix });
    slots = new FairSlots(redis, queue);
  });
  afterEach(async () => {
    await queue.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const key = (id: string, limit: number): SlotGroup => ({ id: `key:${id}`, limit, kind: 'key' });
  const lane = (id: string, limit: number): SlotGroup => ({ id: `batch:${id}`, limit, kind: 'batch' });
  const lock = (jobId: string) => `${queue.toKey(jobId)}:lock`;
  /** The job is active: a worker holds its lock. */
  const running = async (...jobIds: string[]) => {
    for (const id of jobIds) await redis.set(lock(id), 'token', 'PX', 60_000);
  };

  it('admits up to the limit of a group, each group on its own', async () => {
    const a = key('a', 2);
    const b = key('b', 2);
    await running('a1', 'a2', 'a3', 'b1');
    expect(await slots.acquire('a1', [a], 0)).toEqual({ admitted: true, deferrals: 0 });
    expect(await slots.acquire('a2', [a], 0)).toEqual({ admitted: true, deferrals: 0 });
    expect(await slots.acquire('a3', [a], 0)).toEqual({ admitted: false, full: a });
    expect(await slots.acquire('b1', [b], 0)).toEqual({ admitted: true, deferrals: 0 });
    expect(await slots.inUse(a)).toBe(2);
    // A holder started again (after a stall, on another worker) keeps its slot.
    expect(await slots.acquire('a1', [a], 0)).toEqual({ admitted: true, deferrals: 0 });
    expect(await slots.inUse(a)).toBe(2);
  });

  it('needs a slot in every group, and takes none when one is full', async () => {
    const a = key('a', 3);
    const batches = lane('a', 1);
    await running('x1', 'x2', 's1');
    expect(await slots.acquire('x1', [a, batches], 1)).toMatchObject({ admitted: true });
    expect(await slots.acquire('x2', [a, batches], 1)).toEqual({ admitted: false, full: batches });
    // The key had room, but the refused batch item took none of it.
    expect(await slots.inUse(a)).toBe(1);
    expect(await slots.acquire('s1', [a], 0)).toMatchObject({ admitted: true });
  });

  it("does not count a holder whose lock is gone: a killed worker's slot frees when its lock expires", async () => {
    const a = key('a', 1);
    await running('dead', 'next');
    expect(await slots.acquire('dead', [a], 0)).toMatchObject({ admitted: true });
    expect(await slots.acquire('next', [a], 0)).toMatchObject({ admitted: false });
    await redis.del(lock('dead'));
    expect(await slots.inUse(a)).toBe(0);
    expect(await slots.acquire('next', [a], 0)).toEqual({ admitted: true, deferrals: 1 });
    expect(await redis.smembers(`${queue.toKey('')}fair:slots:key:a`)).toEqual(['next']);
  });

  it('parks refused jobs, singles before batch items, oldest first, and counts their deferrals', async () => {
    const a = key('a', 1);
    await running('holder', 'batch1', 'single1', 'single2');
    await slots.acquire('holder', [a], 0);
    expect(await slots.acquire('batch1', [a], 1)).toMatchObject({ admitted: false });
    expect(await slots.acquire('single1', [a], 0)).toMatchObject({ admitted: false });
    expect(await slots.acquire('single2', [a], 0)).toMatchObject({ admitted: false });
    // Deferred again: it keeps its place.
    expect(await slots.acquire('single1', [a], 0)).toMatchObject({ admitted: false });
    expect(await slots.parked(a)).toEqual(['single1', 'single2', 'batch1']);
    expect(await slots.hasRoom('single1', [a])).toBe(false);

    // A release wakes the first parked job of the group it freed a slot in.
    expect(await slots.release('holder', [a])).toEqual(['single1']);
    expect(await slots.parked(a)).toEqual(['single2', 'batch1']);
    expect(await slots.hasRoom('single2', [a])).toBe(true);
    // hasRoom only looks.
    expect(await slots.parked(a)).toEqual(['single2', 'batch1']);
    expect(await slots.acquire('single1', [a], 0)).toEqual({ admitted: true, deferrals: 2 });
    // Admitted jobs leave every parked set; releasing twice wakes nobody.
    expect(await slots.acquire('single2', [a], 0)).toMatchObject({ admitted: false });
    expect(await slots.release('single1', [a])).toEqual(['single2']);
    expect(await slots.release('single1', [a])).toEqual([]);
    expect(await slots.acquire('single2', [a], 0)).toEqual({ admitted: true, deferrals: 2 });
    expect(await slots.parked(a)).toEqual(['batch1']);
  });

  it('admits a job with no groups, and refuses a limit below 1', async () => {
    expect(await slots.acquire('free', [], 0)).toEqual({ admitted: true, deferrals: 0 });
    await expect(slots.acquire('bad', [key('a', 0)], 0)).rejects.toThrow(/positive integer/);
  });
});
