import { AppError, segmentSchema } from '@t2s/contracts';
import { hashRequest } from './request-hash';
import { criteriaTextOf } from './segment.record';
import { toApiView } from './segment.view';
import { openTestStore, segmentRequest, type TestStore } from './store.fixture';

describe('SegmentRepository', () => {
  let store: TestStore;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    store = await openTestStore('store_segments');
    keyA = (await store.apiKeys.create('a')).record.id;
    keyB = (await store.apiKeys.create('b')).record.id;
  });
  afterAll(() => store?.close());

  const create = (apiKeyId: string, idempotencyKey?: string, criteria?: string) => {
    const request = segmentRequest(criteria === undefined ? {} : { criteria });
    return store.segments.createFromRequest({
      apiKeyId,
      idempotencyKey,
      requestHash: hashRequest(request),
      request,
    });
  };

  describe('idempotency', () => {
    it('returns the same segment for the same key and body', async () => {
      const first = await create(keyA, 'idem-1');
      const again = await create(keyA, 'idem-1');
      expect(first.created).toBe(true);
      expect(again).toMatchObject({ created: false, segment: { id: first.segment.id } });
      expect(again.segment.revisions).toHaveLength(1);
    });

    it('refuses the same key with another body (IDEMPOTENCY_CONFLICT)', async () => {
      await create(keyA, 'idem-2');
      const error = await create(keyA, 'idem-2', 'Возраст 20-25 лет').catch((e: unknown) => e);
      expect(AppError.is(error) && error.code).toBe('IDEMPOTENCY_CONFLICT');
    });

    it('settles concurrent duplicates to one segment', async () => {
      const results = await Promise.all([1, 2, 3, 4].map(() => create(keyA, 'idem-race')));
      expect(new Set(results.map((r) => r.segment.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    });

    it('scopes keys per API key, and without a key creates a new segment each time', async () => {
      const a = await create(keyA, 'shared');
      const b = await create(keyB, 'shared');
      expect(b.created).toBe(true);
      expect(b.segment.id).not.toBe(a.segment.id);
      const [x, y] = await Promise.all([create(keyA), create(keyA)]);
      expect(x?.segment.id).not.toBe(y?.segment.id);
    });
  });

  it('creates revision 1 and a queued segment at the criteria stage', async () => {
    const { segment } = await create(keyA, undefined, 'Возраст 20-25 лет');
    expect(segment).toMatchObject({ status: 'queued', stage: 'criteria', criteria: null, sql: null });
    expect(segment.revisions).toEqual([
      expect.objectContaining({
        number: 1,
        kind: 'initial',
        criteriaText: 'Возраст 20-25 лет',
        authorKeyId: keyA,
      }),
    ]);
    expect(segment.currentRevisionId).toBe(segment.revisions[0]?.id);
    expect(criteriaTextOf(segment)).toBe('Возраст 20-25 лет');
    expect(segment.deadlineAt.getTime() - segment.createdAt.getTime()).toBeCloseTo(300_000, -3);
  });

  it('shows a segment only to its own key, or to an admin', async () => {
    const { segment } = await create(keyA);
    expect(await store.segments.get(segment.id, keyA)).not.toBeNull();
    expect(await store.segments.get(segment.id, keyB)).toBeNull();
    expect(await store.segments.get(segment.id, keyB, { admin: true })).not.toBeNull();
    expect(await store.segments.get('not-a-uuid', keyA)).toBeNull();
  });

  it('numbers revisions, moves the current pointer, and ignores writes of a superseded revision', async () => {
    const { segment } = await create(keyA);
    const r1 = segment.currentRevisionId;
    const ref1 = { segmentId: segment.id, revisionId: r1, stage: 'criteria' as const, pass: 0 };
    expect(await store.segments.startStage(ref1)).toBe(true);

    const r2 = await store.segments.addRevision(
      segment.id,
      { criteria: 'Клиенты из Москвы', author: 'ivanov' },
      keyA,
    );
    const r3 = await store.segments.addRevision(
      segment.id,
      { sql: 'SELECT client_id FROM bank.client' },
      keyA,
    );
    expect([r2?.number, r3?.number]).toEqual([2, 3]);

    const current = await store.segments.findById(segment.id);
    expect(current).toMatchObject({ currentRevisionId: r3?.id, status: 'queued', stage: 'execution' });
    expect(current?.sql).toBe('SELECT client_id FROM bank.client');
    expect(current && criteriaTextOf(current)).toBe('Клиенты из Москвы');

    // The old revision's worker finishes late: every write is refused.
    expect(await store.segments.saveCriteria(segment.id, r1, { text: 'old', items: [] })).toBe(false);
    expect(await store.segments.saveSql(segment.id, r1, 'SELECT 1')).toBe(false);
    expect(await store.segments.fail(segment.id, r1, { code: 'SQL_FAILED', message: 'x' })).toBe(false);
    expect(await store.segments.startStage({ ...ref1, stage: 'linking' })).toBe(false);
    expect(await store.members.beginRun(segment.id, r1)).toBeNull();

    const after = await store.segments.findById(segment.id);
    expect(after).toMatchObject({ sql: 'SELECT client_id FROM bank.client', error: null, status: 'queued' });
    expect(after?.revisions.map((r) => r.generatedSql)).toEqual([null, null, null]);
    expect(
      await store.segments.addRevision('00000000-0000-4000-8000-000000000000', { sql: 'x' }, keyA),
    ).toBeNull();
  });

  it('records stage runs idempotently and fails a run with a coded error', async () => {
    const { segment } = await create(keyA);
    const ref = {
      segmentId: segment.id,
      revisionId: segment.currentRevisionId,
      stage: 'sql' as const,
      pass: 0,
    };
    expect(await store.segments.startStage(ref)).toBe(true);
    expect(await store.segments.startStage(ref)).toBe(true); // redelivery
    expect(await store.segments.finishStage(ref, { outcome: 'failed', tokens: 1200 })).toBe(true);
    expect(await store.segments.finishStage(ref, { outcome: 'succeeded' })).toBe(false);
    const error = { code: 'SQL_FAILED' as const, stage: 'sql' as const, message: 'column does not exist' };
    expect(await store.segments.fail(segment.id, segment.currentRevisionId, error)).toBe(true);
    expect(await store.segments.fail(segment.id, segment.currentRevisionId, error)).toBe(false);
    expect(await store.segments.startStage({ ...ref, pass: 1 })).toBe(false);

    const failed = await store.segments.findById(segment.id);
    expect(failed).toMatchObject({ status: 'failed', stage: 'sql', error });
    expect(failed?.stageRuns).toEqual([
      expect.objectContaining({ stage: 'sql', pass: 0, outcome: 'failed', tokens: 1200 }),
    ]);
    const view = segmentSchema.parse(toApiView(failed!));
    expect(view.tokens).toEqual({ total: 1200, byStage: { sql: 1200 } });
    expect(view.timings.sql).toMatchObject({ attempts: 1, finishedAt: expect.any(String) });
  });

  it('produces an API view that validates against the contracts segment schema, through success', async () => {
    const { segment } = await create(keyA, undefined, 'Возраст 20-25 лет');
    const revisionId = segment.currentRevisionId;
    expect(segmentSchema.parse(toApiView(segment))).toMatchObject({
      status: 'queued',
      revision: 1,
      result: null,
    });

    for (const stage of ['criteria', 'linking', 'sql', 'execution'] as const) {
      const ref = { segmentId: segment.id, revisionId, stage, pass: 0 };
      expect(await store.segments.startStage(ref)).toBe(true);
      if (stage === 'criteria') {
        const criteria = {
          text: 'Возраст 20-25 лет',
          items: [{ id: 'c1', text: 'Возраст 20-25 лет', kind: 'include' as const }],
        };
        expect(await store.segments.saveCriteria(segment.id, revisionId, criteria)).toBe(true);
      }
      if (stage === 'sql') {
        const own = { id: 'c1', sql: 'SELECT 1', columns: [{ table: 'client', column: 'birth_date' }] };
        expect(await store.segments.saveSql(segment.id, revisionId, 'SELECT 1', [own])).toBe(true);
      }
      if (stage === 'execution') {
        const runId = (await store.members.beginRun(segment.id, revisionId))!;
        await store.members.appendIds(runId, ['3', '1', '2']);
        expect(await store.members.completeRun(runId)).toEqual({ completed: true, rows: 3 });
        expect(
          await store.segments.succeed(segment.id, revisionId, {
            sampleIds: ['1', '2'],
            perCriterionCounts: { c1: 3 },
          }),
        ).toBe(true);
      }
      // A stage still running must validate too (finishedAt and ms null).
      segmentSchema.parse(toApiView((await store.segments.findById(segment.id))!));
      await store.segments.finishStage(ref, { outcome: 'succeeded' });
    }

    const done = segmentSchema.parse(toApiView((await store.segments.findById(segment.id))!));
    expect(done).toMatchObject({
      status: 'succeeded',
      stage: 'execution',
      sql: 'SELECT 1',
      // The criterion shows its own SELECT and the columns it reads.
      criteria: {
        items: [{ id: 'c1', sql: 'SELECT 1', columns: [{ table: 'client', column: 'birth_date' }] }],
      },
      result: { size: 3, sampleIds: ['1', '2'], perCriterionCounts: { c1: 3 } },
      error: null,
      // The revision keeps the SQL generated for it.
      revisions: [{ number: 1, kind: 'initial', criteria: 'Возраст 20-25 лет', generatedSql: 'SELECT 1' }],
      links: { self: `/v1/segments/${segment.id}` },
    });
    expect(Object.keys(done.timings)).toEqual(['criteria', 'linking', 'sql', 'execution']);

    // A re-run queues the execution again and hides the old result.
    const rerun = await store.segments.rerun(segment.id, keyA);
    const queued = segmentSchema.parse(toApiView((await store.segments.get(segment.id, keyA))!));
    expect(queued).toMatchObject({
      status: 'queued',
      stage: 'execution',
      revision: 2,
      result: null,
      sql: 'SELECT 1',
    });
    expect(rerun?.kind).toBe('rerun');
    expect(await store.members.page(segment.id, { limit: 10 })).toBeNull();
  });
});
