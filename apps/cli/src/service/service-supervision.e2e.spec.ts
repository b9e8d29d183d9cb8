// `t2s up`'s supervisor on the real service: each worker process is killed with SIGKILL in the middle of
// a job, while more segments are in flight and more arrive. The supervisor starts it again, every segment
// finishes exactly once, /healthz never fails, and /readyz says `degraded` naming the queue meanwhile.
// Then one death too many stops the service with a message naming the worker and its signal.
import type { Segment } from '@t2s/contracts';
import { startOpenAiStandIn, type OpenAiStandIn } from '@t2s/llm/testing';
import { workerName, type WorkerQueue } from './service-processes';
import { HoldingWebhook } from './testing/holding-webhook';
import { expectSucceededOnce, waitUntil } from './testing/run-checks';
import { openServiceFixture, type ServiceFixture } from './testing/service-fixture';
import { ServiceProbe } from './testing/service-probe';

jest.setTimeout(240_000);

interface Run {
  id: string;
  revisionId: string;
}

// The model's answers for a criterion the representation cannot say: one call at each of the criteria,
// linking and SQL stages, so a held answer keeps that stage's worker in the middle of its job.
const VISITS_SQL = "select client_id from branch_visit where purpose = 'CONSULTATION'";
const ANSWERS = {
  criteria: JSON.stringify({
    criteria: [{ kind: 'include', text: 'Приходили в отделение за консультацией', expr: null }],
  }),
  linking: JSON.stringify({
    criteria: [{ id: 'c1', columns: ['branch_visit.purpose', 'branch_visit.client_id'] }],
  }),
  sql: JSON.stringify({ criteria: [{ id: 'c1', sql: VISITS_SQL }] }),
};
// Longer than any round: the held call is still unanswered when its worker is killed.
const HOLD_MS = 600_000;
// Seconds of work on 300 clients; the odd bound marks it in pg_stat_activity.
const SLOW_SQL =
  'select c.client_id from client c cross join generate_series(1, 30011) g group by c.client_id';

describe('t2s up: a worker killed with SIGKILL mid-job is restarted, nothing runs twice', () => {
  let f: ServiceFixture;
  let model: OpenAiStandIn;
  let holding: HoldingWebhook;
  let probe: ServiceProbe;

  beforeAll(async () => {
    model = await startOpenAiStandIn();
    f = await openServiceFixture(
      300,
      { LLM_BASE_URL: model.url, LLM_MODEL: 'qwen-test', LLM_TIMEOUT_MS: String(HOLD_MS) },
      // Five kills in the table, then a sixth that must stop the service: a window wider than the run.
      { supervision: { maxDeaths: 6, windowMs: 600_000 } },
    );
    holding = new HoldingWebhook(f.receiver.url);
    await holding.start();
    probe = new ServiceProbe(f.service.url);
    probe.start();
  }, 240_000);
  afterAll(async () => {
    await probe?.stop();
    await holding?.close();
    await f?.close();
    await model?.close();
  });

  const create = async (body: unknown): Promise<Run> => {
    const response = await f.api('POST', '/v1/segments', { body });
    expect(response.status).toBe(202);
    const accepted = response.json() as { id: string; revision: { id: string } };
    return { id: accepted.id, revisionId: accepted.revision.id };
  };
  const getSegment = async (id: string): Promise<Segment> =>
    (await f.api('GET', `/v1/segments/${id}`)).json();
  const llmRequest = () =>
    f.request({
      criteria: 'Приходили в отделение за консультацией',
      options: { ...(f.request().options as object), strategy: 'llm' },
    });

  /** An llm segment whose model call at the n-th stage (1 criteria, 2 linking, 3 SQL) is held unanswered. */
  const heldAtModelCall = async (n: 1 | 2 | 3): Promise<Run> => {
    model.reset();
    const order = [ANSWERS.criteria, ANSWERS.linking, ANSWERS.sql];
    // The held call, then the same call again (the job re-run by the restarted worker), then the rest.
    model.reply(
      ...order.slice(0, n - 1).map((content) => ({ content })),
      { content: order[n - 1] as string, delayMs: HOLD_MS },
      ...order.slice(n - 1).map((content) => ({ content })),
    );
    const run = await create(llmRequest());
    await waitUntil(async () => model.requests.length >= n);
    return run;
  };

  const rounds: { queue: WorkerQueue; inFlight: () => Promise<Run> }[] = [
    { queue: 'criteria', inFlight: () => heldAtModelCall(1) },
    { queue: 'linking', inFlight: () => heldAtModelCall(2) },
    { queue: 'sql', inFlight: () => heldAtModelCall(3) },
    {
      queue: 'execution',
      // A person's SQL revision that runs for seconds: killed while PostgreSQL is running it for the worker.
      inFlight: async () => {
        const first = await create(f.request());
        await f.receiver.waitForRun(first.id, first.revisionId);
        const response = await f.api('POST', `/v1/segments/${first.id}/revisions`, {
          body: { sql: SLOW_SQL },
        });
        expect(response.status).toBe(202);
        await waitUntil(async () => {
          const { rows } = await f.pool.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity
              where state = 'active' and query like '%30011%' and query not ilike 'explain%' and pid <> pg_backend_pid()`,
          );
          return (rows[0]?.n ?? 0) > 0;
        });
        return { id: first.id, revisionId: (response.json() as { revision: { id: string } }).revision.id };
      },
    },
    {
      queue: 'webhook',
      // Its delivery is held open by the endpoint: killed while it waits for the answer.
      inFlight: async () => {
        const run = await create(f.request({ webhook: { url: holding.url } }));
        await holding.held(run.id);
        return run;
      },
    },
  ];

  it.each(rounds)('worker:$queue', async ({ queue, inFlight }) => {
    const name = workerName(queue);
    const victim = f.service.processes.find((p) => p.name === name);
    if (!victim) throw new Error(`no ${name}`);
    const answeredBefore = probe.healthAnswers;

    const held = await inFlight();
    const queued = await Promise.all([create(f.request()), create(f.request())]);
    const degraded = probe.nextReadiness(
      (s) => s.body.status === 'degraded' && s.body.workers?.[queue] === 0,
    );
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // Arriving while the worker is dead: they can only finish if it is started again.
    const arriving = await Promise.all([create(f.request()), create(f.request())]);

    // What a load balancer sees meanwhile: still ready (200), degraded, the queue named.
    expect(await degraded).toMatchObject({
      httpStatus: 200,
      body: { checks: { redis: 'ok', postgres: 'ok' } },
    });

    for (const run of [held, ...queued, ...arriving]) {
      await f.receiver.waitForRun(run.id, run.revisionId, 120_000);
      await expectSucceededOnce(f, run.id, run.revisionId);
    }
    // The held run's members are the clients its SQL selects, each once.
    const segment = await getSegment(held.id);
    const csv = await f.api('GET', `/v1/segments/${held.id}/members`, { headers: { accept: 'text/csv' } });
    const expected = [...new Set(await f.adminIds(segment.sql as string))].sort();
    expect(csv.text.trimEnd().split('\n').slice(1).sort()).toEqual(expected);
    if (queue === 'webhook') {
      // The held attempt and the restarted worker's attempt carry the same event id.
      const attempts = holding.attempts.filter((a) => a.segmentId === held.id);
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      expect(new Set(attempts.map((a) => a.eventId)).size).toBe(1);
    }

    const ready = await probe.nextReadiness((s) => s.body.status === 'ok');
    expect(ready.body.workers?.[queue]).toBe(1);
    const replacement = f.service.processes.find((p) => p.name === name);
    expect(replacement?.child.pid).not.toBe(victim.child.pid);
    expect(f.log.join('\n')).toContain(`${name} died (signal SIGKILL); restarting it in`);
    // The gateway answered all along.
    expect(probe.healthFailures).toEqual([]);
    expect(probe.healthAnswers).toBeGreaterThan(answeredBefore + 20);
  });

  it('stops the service at one death too many, naming the worker and its signal', async () => {
    const victim = f.service.processes.find((p) => p.name === 'worker:sql');
    victim?.child.kill('SIGKILL');
    const failure = await f.service.failed;
    expect(failure).toMatchObject({
      name: 'worker:sql',
      exit: { code: null, signal: 'SIGKILL' },
      message: 'worker:sql died (signal SIGKILL): 6 deaths within 600 s',
    });
    // Nothing is restarted after that; `t2s up` then stops the rest and exits 1 with this message.
    expect(f.service.processes.find((p) => p.name === 'worker:sql')).toBe(victim);
    expect(probe.healthFailures).toEqual([]);
    await probe.stop();
    await f.service.stop();
    await expect(fetch(`${f.service.url}/healthz`)).rejects.toThrow();
  });
});
