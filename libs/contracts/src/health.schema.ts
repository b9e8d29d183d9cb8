import { z } from './zod-openapi';

/** `/healthz`: the process is up (liveness); no dependency is checked, so a Redis outage restarts nothing. */
export const healthSchema = z.object({ status: z.literal('ok') }).openapi('Health');

export const DEPENDENCY_STATES = ['ok', 'down'] as const;

/** `/readyz`: 200 when every dependency answers, 503 otherwise, with the same body. */
export const readinessSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    checks: z.record(z.string(), z.enum(DEPENDENCY_STATES)).openapi({
      description: 'Dependency -> state, e.g. postgres, redis, warehouse.',
      example: { postgres: 'ok', redis: 'ok' },
    }),
  })
  .openapi('Readiness');

export type Health = z.infer<typeof healthSchema>;
export type Readiness = z.infer<typeof readinessSchema>;
