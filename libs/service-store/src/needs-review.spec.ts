import { Pool } from 'pg';
import { AppError, batchSchema, segmentSchema, type Understanding } from '@t2s/contracts';
import { createTestSchema, type TestSchema } from '@t2s/db';
import { runMigrations } from './migrate';
import { MIGRATIONS } from './migrations';
import { hashRequest } from './request-hash';
import { toApiView } from './segment.view';
import { openTestStore, segmentRequest, type TestStore } from './store.fixture';

// "Understood, or says so" in the store: the needs_review status, the segment's understanding (its own
// column, cleared with the criteria) and what reads them: the API view, batch progress, approval.
describe('needs_review and the understanding in the service store', () => {
  let store: TestStore;
  let key: string;

  beforeAll(async () => {
    store = await openTestStore('store_review');
    key = (await store.apiKeys.create('review')).record.id;
  });
  afterAll(() => store?.close());

  const partial: Understanding = { coverage: 0.6, unparsed: ['любит котиков'] };
  const items = [{ id: 'c1', text: 'возраст от 20 до 25 лет', kind: 'include' as const }];

  async function create(criteria = 'возраст от 20 до 25 лет, любит котиков') {
    const request = segmentRequest({ criteria });
    const { segment } = await store.segments.createFromRequest({
      apiKeyId: key,
      requestHash: hashRequest(request),
      request,
    });
    return segment;
  }

  /** Criteria saved with `understanding`, then an executed run ending in `status`. */
  async function execute(
    segmentId: string,
    revisionId: string,
    understanding: Understanding,
    status: 'succeeded' | 'needs_review',
  ) {
    await store.segments.startStage({ segmentId, revisionId, stage: 'criteria', pass: 0 });
    expect(
      await store.segments.saveCriteria(segmentId, revisionId, { text: 't', items }, understanding),
    ).toBe(true);
    // A later stage that annotates the items (linking) keeps the stored understanding.
    expect(await store.segments.saveCriteria(segmentId, revisionId, { text: 't', items })).toBe(true);
    await store.segments.saveSql(segmentId, revisionId, 'select 1');
    const runId = (await store.members.beginRun(segmentId, revisionId)) as string;
    await store.members.appendIds(runId, ['1', '2', '3']);
    await store.members.completeRun(runId);
    expect(await store.segments.succeed(segmentId, revisionId, { status, sampleIds: ['1'] })).toBe(true);
  }

  it('ends an executed run needs_review, and the view shows the understanding in one place and the old name', async () => {
    const segment = await create();
    await execute(segment.id, segment.currentRevisionId, partial, 'needs_review');
    const stored = await store.segments.findById(segment.id);
    expect(stored).toMatchObject({ status: 'needs_review', resultSize: 3, understanding: partial });
    // Stored criteria hold no copy of the fragments.
    expect(stored?.criteria).toEqual({ text: 't', items });
    const view = segmentSchema.parse(toApiView(stored!));
    expect(view.understanding).toEqual(partial);
    expect(view.criteria?.unparsed).toEqual(partial.unparsed);
    expect(view.result?.size).toBe(3);
    // The list filters on it.
    const page = await store.segmentList.page(key, { limit: 100, status: 'needs_review' });
    expect(page.items.map((s) => s.id)).toContain(segment.id);
    expect(page.items.every((s) => s.status === 'needs_review')).toBe(true);
  });

  it('succeeds by default, and a criteria revision clears the understanding with the criteria', async () => {
    const segment = await create();
    await execute(segment.id, segment.currentRevisionId, { coverage: 1, unparsed: [] }, 'succeeded');
    expect((await store.segments.findById(segment.id))?.status).toBe('succeeded');

    const revision = await store.segments.addRevision(
      segment.id,
      { criteria: 'возраст от 20 до 25 лет' },
      key,
    );
    const queued = await store.segments.findById(segment.id);
    expect(queued).toMatchObject({ status: 'queued', criteria: null, understanding: null });
    expect(toApiView(queued!).understanding).toBeNull();
    // A re-run keeps them: the same criteria run again.
    await execute(segment.id, revision!.id, partial, 'needs_review');
    await store.segments.rerun(segment.id, key);
    expect(await store.segments.findById(segment.id)).toMatchObject({
      status: 'queued',
      understanding: partial,
    });
  });

  it('lets a person approve a needs_review run, as a succeeded one; a failed one is refused', async () => {
    const segment = await create();
    await execute(segment.id, segment.currentRevisionId, partial, 'needs_review');
    const approval = await store.approvals.approve(segment.id, { revision: 1, authorKeyId: key });
    expect(approval).toMatchObject({ revisionNumber: 1, resultSize: 3 });

    const failing = await create();
    await store.segments.fail(failing.id, failing.currentRevisionId, {
      code: 'CRITERIA_PARTIAL',
      stage: 'criteria',
      message: 'Part of the criteria maps to no warehouse data: "любит котиков"',
    });
    const refused = await store.approvals.approve(failing.id, { authorKeyId: key }).catch((e: unknown) => e);
    expect(AppError.is(refused) && refused.code).toBe('NOT_APPROVABLE');
  });

  it('counts needs_review items in batch progress, and a batch of them completes', async () => {
    const a = await create();
    const b = await create();
    await execute(a.id, a.currentRevisionId, partial, 'needs_review');
    await execute(b.id, b.currentRevisionId, { coverage: 1, unparsed: [] }, 'succeeded');
    const id = await store.batches.create({
      apiKeyId: key,
      kind: 'segments',
      items: [{ segmentId: a.id }, { segmentId: b.id }],
    });
    const batch = batchSchema.parse(await store.batches.get(id, key));
    expect(batch.status).toBe('completed');
    expect(batch.progress).toEqual({
      total: 2,
      queued: 0,
      running: 0,
      succeeded: 1,
      needs_review: 1,
      failed: 0,
    });
    expect(batch.items.map((item) => item.status)).toEqual(['needs_review', 'succeeded']);
  });
});

describe('migration 0013 (needs-review)', () => {
  let test: TestSchema;
  let pool: Pool;

  beforeAll(async () => {
    test = await createTestSchema('store_mig13');
    pool = new Pool({ connectionString: test.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await test.drop();
  });

  it('moves criteria.unparsed into the understanding column and widens the status and event checks', async () => {
    const before = MIGRATIONS.filter((m) => m.version < '0013');
    await runMigrations(pool, { schema: test.schema, migrations: before });
    const q = (sql: string, values: unknown[] = []) => pool.query(sql.replaceAll('$S', test.schema), values);
    const apiKey = (
      await q(
        `insert into $S.api_key (name, key_hash, prefix) values ('old', decode(repeat('ab', 32), 'hex'), 'p')
         returning id`,
      )
    ).rows[0].id as string;
    const insert = (criteria: unknown) =>
      q(
        `insert into $S.segment (api_key_id, request_hash, offer, options, deadline_at, status, criteria)
         values ($1, 'h', '{}', '{}', now(), 'succeeded', $2) returning id`,
        [apiKey, criteria === null ? null : JSON.stringify(criteria)],
      ).then((r) => r.rows[0].id as string);
    const text = 'возраст от 20 до 25 лет; любит котиков'; // 38 characters, the fragment 13
    const partialId = await insert({ text, items: [], unparsed: ['любит котиков', ';'] });
    const wholeId = await insert({ text: 'возраст от 20 до 25 лет', items: [], unparsed: [] });
    const olderId = await insert({ text: 'возраст', items: [] });
    const queuedId = await insert(null);

    await runMigrations(pool, { schema: test.schema });
    const rows = new Map(
      (await q(`select id, criteria, understanding, status from $S.segment`)).rows.map((r) => [r.id, r]),
    );
    expect(rows.get(partialId)).toMatchObject({
      status: 'succeeded',
      criteria: { text, items: [] },
      understanding: { unparsed: ['любит котиков', ';'] },
    });
    expect(rows.get(partialId).criteria).not.toHaveProperty('unparsed');
    expect(rows.get(partialId).understanding.coverage).toBeCloseTo(1 - 13 / 38, 6);
    expect(rows.get(wholeId).understanding).toEqual({ coverage: 1, unparsed: [] });
    expect(rows.get(olderId).understanding).toEqual({ coverage: 1, unparsed: [] });
    expect(rows.get(queuedId).understanding).toBeNull();

    await q(`update $S.segment set status = 'needs_review' where id = $1`, [wholeId]);
    await expect(q(`update $S.segment set status = 'reviewed' where id = $1`, [wholeId])).rejects.toThrow(
      /segment_status_check/,
    );
    const constraint = await q(
      `select pg_get_constraintdef(c.oid) as def from pg_constraint c
       join pg_namespace n on n.oid = c.connamespace where n.nspname = $1 and c.conname = 'webhook_event_type_check'`,
      [test.schema],
    );
    expect(constraint.rows[0].def).toContain('segment.needs_review');
  });
});
