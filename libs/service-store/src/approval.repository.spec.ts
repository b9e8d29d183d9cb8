import { AppError, segmentSchema } from '@t2s/contracts';
import { hashRequest } from './request-hash';
import { toApiView } from './segment.view';
import { openTestStore, segmentRequest, type TestStore } from './store.fixture';

describe('ApprovalRepository', () => {
  let store: TestStore;
  let key: string;

  beforeAll(async () => {
    store = await openTestStore('store_approvals');
    key = (await store.apiKeys.create('console')).record.id;
  });
  afterAll(() => store?.close());

  /** A segment whose current revision ran to success with this criteria text and SQL. */
  async function succeeded(text: string, sql: string, warehouse = 'bank') {
    const request = segmentRequest({ criteria: text, options: { warehouse } });
    const { segment } = await store.segments.createFromRequest({
      apiKeyId: key,
      requestHash: hashRequest(request),
      request,
    });
    await runToSuccess(segment.id, segment.currentRevisionId, text, sql);
    return segment.id;
  }

  async function runToSuccess(segmentId: string, revisionId: string, text: string, sql: string) {
    const ref = { segmentId, revisionId, stage: 'criteria' as const, pass: 0 };
    await store.segments.startStage(ref);
    await store.segments.saveCriteria(segmentId, revisionId, {
      text,
      items: [{ id: 'c1', text, kind: 'include' }],
    });
    await store.segments.finishStage(ref, { outcome: 'succeeded', tokens: 900, prompt: 'criteria.v2' });
    await store.segments.saveSql(segmentId, revisionId, sql);
    const runId = (await store.members.beginRun(segmentId, revisionId)) as string;
    await store.members.appendIds(runId, ['1', '2']);
    await store.members.completeRun(runId);
    await store.segments.succeed(segmentId, revisionId, { sampleIds: ['1', '2'] });
  }

  const codeOf = (error: unknown) => (AppError.is(error) ? error.code : error);

  it('approves the current revision once, copying its criteria and SQL; the view shows it', async () => {
    const id = await succeeded(
      'Клиенты 25-35 лет',
      'select client_id from bank.client where age between 25 and 35',
    );
    const first = await store.approvals.approve(id, { revision: 1, author: 'anna', authorKeyId: key });
    const again = await store.approvals.approve(id, { authorKeyId: key });
    expect(again).toEqual(first);
    expect(first).toMatchObject({ revisionNumber: 1, author: 'anna', warehouse: 'bank', resultSize: 2 });

    const view = segmentSchema.parse(toApiView((await store.segments.findById(id))!));
    expect(view.approval).toEqual({
      revision: 1,
      author: 'anna',
      approvedAt: first?.approvedAt.toISOString(),
    });
    expect(view.prompts).toEqual({ criteria: 'criteria.v2' });
    expect(view.links.approval).toBe(`/v1/segments/${id}/approval`);
  });

  it('refuses a run that has not succeeded, and a revision that is no longer current', async () => {
    const request = segmentRequest({ criteria: 'Женщины' });
    const { segment } = await store.segments.createFromRequest({
      apiKeyId: key,
      requestHash: hashRequest(request),
      request,
    });
    const queued = await store.approvals.approve(segment.id, { authorKeyId: key }).catch(codeOf);
    expect(queued).toBe('NOT_APPROVABLE');

    const id = await succeeded('Мужчины', 'select client_id from bank.client where gender = $$M$$');
    const revision = await store.segments.addRevision(id, { criteria: 'Мужчины старше 40' }, key);
    expect(await store.approvals.approve(id, { revision: 1, authorKeyId: key }).catch(codeOf)).toBe(
      'NOT_APPROVABLE',
    );
    await runToSuccess(id, revision!.id, 'Мужчины старше 40', 'select 2');
    expect(await store.approvals.approve(id, { revision: 2, authorKeyId: key })).toMatchObject({
      revisionNumber: 2,
      sql: 'select 2',
    });
  });

  it('makes each approval a precedent, unread, in its transaction; deleted with the segment', async () => {
    const request = segmentRequest({
      criteria: 'Клиенты старше 60',
      options: { warehouse: 'bank_marketing' },
      offer: {
        id: 'CM-1',
        campaignId: 'CMP-PENSION',
        product: { type: 'debit_card' },
        title: 'Пенсионная карта',
        channel: 'SMS',
      },
    });
    const { segment } = await store.segments.createFromRequest({
      apiKeyId: key,
      requestHash: hashRequest(request),
      request,
    });
    const sql = 'select client_id from bank_marketing.client where age > 60';
    await runToSuccess(segment.id, segment.currentRevisionId, 'Клиенты старше 60', sql);
    const approval = await store.approvals.approve(segment.id, { author: 'boris', authorKeyId: key });
    await store.approvals.approve(segment.id, { authorKeyId: key }); // again: no second precedent

    const precedents = await store.precedents.list('bank_marketing');
    expect(precedents).toEqual([
      {
        id: expect.any(String),
        campaign: 'CMP-PENSION',
        warehouse: 'bank_marketing',
        offer: request.offer,
        sql,
        approvedAt: approval?.approvedAt.toISOString(),
        approvedBy: 'boris',
        origin: 'approval',
        criteria: null,
        coverage: null,
        createdAt: expect.any(Date),
      },
    ]);

    // A precedent that cannot be written takes its approval with it.
    const other = await succeeded('Мужчины', 'select 3', 'bank_marketing');
    await store.pool.query(
      `alter table ${store.schema}.precedent add constraint no_more check (sql <> 'select 3')`,
    );
    try {
      await expect(store.approvals.approve(other, { authorKeyId: key })).rejects.toThrow();
    } finally {
      await store.pool.query(`alter table ${store.schema}.precedent drop constraint no_more`);
    }
    expect((await store.segments.findById(other))?.approval).toBeNull();

    await store.pool.query(`delete from ${store.schema}.segment where id = $1`, [segment.id]);
    expect(await store.precedents.list('bank_marketing')).toEqual([]);
  });

  it('answers null for an unknown or malformed id', async () => {
    expect(
      await store.approvals.approve('00000000-0000-4000-8000-000000000000', { authorKeyId: key }),
    ).toBeNull();
    expect(await store.approvals.approve('nope', { authorKeyId: key })).toBeNull();
  });

  it("lists each segment's latest approval on a warehouse, newest first", async () => {
    const id = await succeeded('Держатели вкладов', 'select 10', 'berka');
    await store.approvals.approve(id, { authorKeyId: key });
    const revision = await store.segments.addRevision(id, { sql: 'select 11' }, key);
    await runToSuccess(id, revision!.id, 'Держатели вкладов', 'select 11');
    await store.approvals.approve(id, { authorKeyId: key });
    const other = await succeeded('Заёмщики', 'select 12', 'berka');
    await store.approvals.approve(other, { authorKeyId: key });

    const examples = await store.approvals.examples('berka');
    expect(examples.map((e) => e.sql)).toEqual(['select 12', 'select 11']);
    expect(await store.approvals.examples('nowhere')).toEqual([]);
  });
});
