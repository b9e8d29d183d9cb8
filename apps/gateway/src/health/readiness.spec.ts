import { readinessHttpStatus, readinessOf } from './readiness';

describe('readinessOf', () => {
  const up = { redis: 'ok', postgres: 'ok' } as const;
  const everyWorker = { criteria: 1, linking: 1, sql: 2, execution: 1, webhook: 1 };

  it('is ok (200) when the dependencies answer and every queue has a worker', () => {
    const readiness = readinessOf(up, everyWorker);
    expect(readiness).toEqual({ status: 'ok', checks: up, workers: everyWorker });
    expect(readinessHttpStatus(readiness)).toBe(200);
  });

  it('is degraded but still 200 when a queue has no worker, naming it', () => {
    const readiness = readinessOf(up, { ...everyWorker, execution: 0 });
    expect(readiness).toMatchObject({ status: 'degraded', workers: { execution: 0 } });
    expect(readinessHttpStatus(readiness)).toBe(200);
  });

  it('is unavailable (503) when a dependency is down, whatever the workers', () => {
    const readiness = readinessOf({ ...up, redis: 'down' }, undefined);
    expect(readiness).toEqual({ status: 'unavailable', checks: { redis: 'down', postgres: 'ok' } });
    expect(readinessHttpStatus(readiness)).toBe(503);
  });

  it('is ok without a worker count (worker checks off, or CLIENT LIST refused)', () => {
    expect(readinessOf(up, undefined)).toEqual({ status: 'ok', checks: up });
  });
});
