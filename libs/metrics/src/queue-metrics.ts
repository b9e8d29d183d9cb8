import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';

const STATES = [
  'waiting',
  'active',
  'delayed',
  'waiting-children',
  'prioritized',
  'failed',
  'completed',
] as const;

/**
 * Jobs by queue and state, and Redis's memory, read from Redis when Prometheus scrapes. One process
 * (the gateway) reports them, so a dashboard does not sum the same queue over every worker.
 */
export function registerQueueMetrics(
  registry: Registry,
  queues: readonly Pick<Queue, 'name' | 'getJobCounts'>[],
  redis: Pick<Redis, 'info'>,
): void {
  new Gauge({
    name: 't2s_queue_jobs',
    help: 'Jobs in each queue by state, read from Redis at scrape time.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        queues.map(async (queue) => {
          const counts = await queue.getJobCounts(...STATES);
          for (const state of STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
  new Gauge({
    name: 't2s_redis_memory_bytes',
    help: 'Redis memory: used, and the maxmemory limit (0 when unlimited).',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      const info = await redis.info('memory');
      const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
      this.set({ kind: 'used' }, field('used_memory'));
      this.set({ kind: 'max' }, field('maxmemory'));
    },
  });
}
