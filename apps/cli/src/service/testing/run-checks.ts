// Test support: what "exactly once" means for a finished run, checked from every side a client and ops
// see: the API, the members table and the webhook receiver.
import type { Segment } from '@t2s/contracts';
import type { ServiceFixture } from './service-fixture';

/** Polls `check` until it holds, up to `timeoutMs` (for states only visible by asking, like a stage running). */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The revision's run succeeded once: one complete member run whose rows are the result size, members
 * as many as that, and every webhook delivery of the run carrying the same event id, one of them 2xx.
 */
export async function expectSucceededOnce(
  f: ServiceFixture,
  segmentId: string,
  revisionId: string,
): Promise<Segment> {
  const segment = (await f.api('GET', `/v1/segments/${segmentId}`)).json() as Segment;
  // The error and the stage runs in the failure message, so a failed run says why.
  expect({ status: segment.status, error: segment.error, timings: segment.timings }).toMatchObject({
    status: 'succeeded',
  });
  const schema = `"${f.settings.env?.['SERVICE_DATABASE_SCHEMA'] as string}"`;
  const runs = await f.pool.query<{ rows: string }>(
    `select rows from ${schema}.segment_run where revision_id = $1 and status = 'complete'`,
    [revisionId],
  );
  expect(runs.rows.map((r) => Number(r.rows))).toEqual([segment.result?.size]);
  const members = await f.pool.query<{ n: number }>(
    `select count(*)::int as n from ${schema}.segment_member m
       join ${schema}.segment_run r on r.id = m.run_id where r.revision_id = $1 and r.status = 'complete'`,
    [revisionId],
  );
  expect(members.rows[0]?.n).toBe(segment.result?.size);
  const deliveries = f.receiver.deliveries.filter((d) => d.event.segment.revisionId === revisionId);
  expect(new Set(deliveries.map((d) => d.event.id)).size).toBe(1);
  expect(deliveries.some((d) => d.status < 300)).toBe(true);
  return segment;
}
