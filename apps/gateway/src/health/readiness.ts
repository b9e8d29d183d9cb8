import type { Readiness } from '@t2s/contracts';

type DependencyState = Readiness['checks'][string];

/**
 * `/readyz`'s verdict, kept free of Nest so a spec can run it. A dependency down makes this gateway
 * unable to serve (503: take it out of the load balancer). A queue without a worker does not: the
 * gateway still accepts, stores and serves, and the queue holds the runs until a worker is back, so it
 * answers 200 `degraded` with the queue named in `workers`. Every gateway replica sees the same
 * workers; a 503 there would take all of them out of rotation at once and turn one stage's outage into
 * a whole API outage.
 */
export function readinessOf(
  checks: Record<string, DependencyState>,
  workers: Record<string, number> | undefined,
): Readiness {
  const body = { checks, ...(workers === undefined ? {} : { workers }) };
  if (Object.values(checks).some((state) => state !== 'ok')) return { status: 'unavailable', ...body };
  const idle = Object.values(workers ?? {}).some((n) => n === 0);
  return { status: idle ? 'degraded' : 'ok', ...body };
}

export function readinessHttpStatus(readiness: Readiness): 200 | 503 {
  return readiness.status === 'unavailable' ? 503 : 200;
}
