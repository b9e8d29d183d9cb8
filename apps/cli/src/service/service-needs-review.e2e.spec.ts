// "Understood, or says so" through the whole service (gateway, one worker process per queue, real Redis
// and PostgreSQL): a text with a part that maps to no warehouse data ends needs_review, its own signed
// webhook event says so, a person can approve it; `onUnparsed: "fail"` fails it with CRITERIA_PARTIAL;
// batches count it; the eval harness's API runner reads the status the service gave.
import { Webhook } from 'standardwebhooks';
import type { Batch, Segment } from '@t2s/contracts';
import type { EvalCase } from '@t2s/evaluation';
import { ApiCaseRunner } from './api-case-runner';
import { waitUntil } from './testing/run-checks';
import { openServiceFixture, type ServiceFixture } from './testing/service-fixture';

jest.setTimeout(180_000);

const PARTIAL = 'Возраст от 20 до 35 лет; любит котиков';
const WHOLE = 'Возраст от 20 до 35 лет';

describe('needs_review through the service', () => {
  let f: ServiceFixture;

  beforeAll(async () => {
    f = await openServiceFixture(300);
  }, 240_000);
  afterAll(() => f?.close());

  const create = async (body: unknown) => {
    const response = await f.api('POST', '/v1/segments', { body });
    expect(response.status).toBe(202);
    return response.json() as { id: string; revision: { id: string } };
  };
  const getSegment = async (id: string): Promise<Segment> =>
    (await f.api('GET', `/v1/segments/${id}`)).json();

  it('ends a partly understood text needs_review: result, understanding, its own webhook event, approval', async () => {
    const accepted = await create(f.request({ criteria: PARTIAL }));
    const delivered = await f.receiver.waitForRun(accepted.id, accepted.revision.id);
    expect(delivered.event).toMatchObject({
      type: 'segment.needs_review',
      segment: {
        id: accepted.id,
        status: 'needs_review',
        understanding: { unparsed: ['любит котиков'] },
      },
    });
    // Signed like every event, with the key's own secret.
    expect(new Webhook(f.webhookSecret).verify(delivered.rawBody, delivered.webhookHeaders)).toEqual(
      JSON.parse(delivered.rawBody),
    );

    const segment = await getSegment(accepted.id);
    expect(segment).toMatchObject({
      status: 'needs_review',
      stage: 'execution',
      error: null,
      understanding: { unparsed: ['любит котиков'] },
      criteria: { unparsed: ['любит котиков'] },
      options: { onUnparsed: 'review' },
    });
    expect(segment.understanding?.coverage).toBeGreaterThan(0);
    expect(segment.understanding?.coverage).toBeLessThan(1);
    expect(segment.result?.size).toBeGreaterThan(0);
    expect(delivered.event.type === 'segment.needs_review' && delivered.event.segment.size).toBe(
      segment.result?.size,
    );
    const csv = await f.api('GET', `/v1/segments/${accepted.id}/members`, {
      headers: { accept: 'text/csv' },
    });
    expect(csv.text.trimEnd().split('\n')).toHaveLength((segment.result?.size ?? 0) + 1);

    const listed = (await f.api('GET', '/v1/segments?status=needs_review&limit=100')).json();
    expect(listed.items.map((s: { id: string }) => s.id)).toContain(accepted.id);

    // A person who read the fragment approves it, as a succeeded run.
    const approved = await f.api('POST', `/v1/segments/${accepted.id}/approval`, {
      body: { revision: 1, author: 'anna' },
    });
    expect(approved.status).toBe(200);
    expect((await getSegment(accepted.id)).approval).toMatchObject({ revision: 1, author: 'anna' });
  });

  it('fails with CRITERIA_PARTIAL before any SQL when the caller asks onUnparsed "fail"', async () => {
    const accepted = await create(
      f.request({ criteria: PARTIAL, options: { ...f.request().options, onUnparsed: 'fail' } }),
    );
    const delivered = await f.receiver.waitForRun(accepted.id, accepted.revision.id);
    expect(delivered.event).toMatchObject({
      type: 'segment.failed',
      segment: { status: 'failed', error: { code: 'CRITERIA_PARTIAL', stage: 'criteria' } },
    });
    const segment = await getSegment(accepted.id);
    expect(segment).toMatchObject({
      status: 'failed',
      sql: null,
      result: null,
      understanding: { unparsed: ['любит котиков'] },
      error: { code: 'CRITERIA_PARTIAL', message: expect.stringContaining('"любит котиков"') },
    });
    expect(Object.keys(segment.timings)).toEqual(['criteria']);

    // Understood whole, the same caller's segment runs as usual.
    const whole = await create(
      f.request({ criteria: WHOLE, options: { ...f.request().options, onUnparsed: 'fail' } }),
    );
    expect((await f.receiver.waitForRun(whole.id, whole.revision.id)).event.type).toBe('segment.succeeded');
  });

  it('counts needs_review items in a batch, which completes', async () => {
    const created = await f.api('POST', '/v1/batches', {
      body: { segments: [f.request({ criteria: PARTIAL }), f.request({ criteria: WHOLE })] },
    });
    expect(created.status).toBe(202);
    const batch = created.json() as Batch;
    let read = batch;
    await waitUntil(async () => {
      read = (await f.api('GET', batch.links.self)).json();
      return read.status === 'completed';
    });
    expect(read.progress).toEqual({
      total: 2,
      queued: 0,
      running: 0,
      succeeded: 1,
      needs_review: 1,
      failed: 0,
    });
    expect(read.items.map((item) => item.status)).toEqual(['needs_review', 'succeeded']);
  });

  it("gives `t2s eval --via api` the service's status", async () => {
    const runner = new ApiCaseRunner(f.service.url, f.key, 'baseline');
    const evalCase = (id: string, criteria: string): EvalCase => ({
      id,
      warehouse: f.settings.warehouseSchema,
      kind: 'criteria',
      offer: { product: { type: 'credit_card' }, title: 'Кредитная карта', channel: 'PUSH' },
      criteria,
      target: { sql: 'select client_id from client', note: 'unused' },
      areas: ['clients'],
      language: 'ru',
    });
    const partial = await runner.run(evalCase('partial', PARTIAL));
    expect(partial).toMatchObject({ ok: true, status: 'needs_review', unparsed: ['любит котиков'] });
    expect(partial.ok && partial.ids.length).toBeGreaterThan(0);
    expect(await runner.run(evalCase('whole', WHOLE))).toMatchObject({
      ok: true,
      status: 'succeeded',
      coverage: 1,
    });
  });
});
