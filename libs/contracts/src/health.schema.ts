import { z } from './zod-openapi';

/** `/healthz`: the process is up (liveness); no dependency is checked, so a Redis outage restarts nothing. */
export const healthSchema = z.object({ status: z.literal('ok') }).openapi('Health');

export const DEPENDENCY_STATES = ['ok', 'down'] as const;

/**
 * `/readyz`. `ok` (200): every dependency answers and every queue has a worker. `degraded` (200): the
 * dependencies answer but some queue has no live worker (`workers` says which): this gateway still
 * accepts and serves requests, and their runs wait in the queue until a worker is back, so it stays in
 * the load balancer. `unavailable` (503): a dependency is down (`checks` says which).
 */
export const readinessSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'unavailable']),
    checks: z.record(z.string(), z.enum(DEPENDENCY_STATES)).openapi({
      description: 'Dependency -> state, e.g. postgres, redis, warehouse.',
      example: { postgres: 'ok', redis: 'ok' },
    }),
    workers: z
      .record(z.string(), z.number().int().min(0))
      .optional()
      .openapi({
        description:
          'Queue -> live BullMQ workers serving it (from Redis CLIENT LIST); 0 makes the status degraded. ' +
          'Absent when Redis does not answer or does not allow CLIENT LIST.',
        example: { criteria: 1, linking: 1, sql: 1, execution: 0, webhook: 1 },
      }),
  })
  .openapi('Readiness');

export type Health = z.infer<typeof healthSchema>;
export type Readiness = z.infer<typeof readinessSchema>;
