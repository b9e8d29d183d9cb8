import { hashRequest } from './request-hash';
import { toApiView } from './segment.view';
import { openTestStore, segmentRequest, type TestStore } from './store.fixture';

describe('SegmentRepository view version', () => {
  let store: TestStore;
  let key: string;
  let other: string;

  beforeAll(async () => {
    store = await openTestStore('store_view_version');
    key = (await store.apiKeys.create('a')).record.id;
    other = (await store.apiKeys.create('b')).record.id;
  });
  afterAll(() => store?.close());

  /** A segment run to the end; the execution pass is left open until `closeExecution` is called. */
  async function executed() {
    const request = segmentRequest({ criteria: 'Возраст 20-25 лет' });
    const { segment } = await store.segments.createFromRequest({
      apiKeyId: key,
      requestHash: hashRequest(request),
      request,
    });
    const revisionId = segment.currentRevisionId;
    for (const stage of ['criteria', 'linking', 'sql'] as const) {
      const ref = { segmentId: segment.id, revisionId, stage, pass: 0 };
      await store.segments.startStage(ref);
      expect(await store.segments.viewVersion(segment.id, key)).toBeNull();
      if (stage === 'criteria') {
        const items = [{ id: 'c1', text: 'Возраст 20-25 лет', kind: 'include' as const }];
        await store.segments.saveCriteria(segment.id, revisionId, { text: 'Возраст 20-25 лет', items });
      }
      await store.segments.finishStage(ref, { outcome: 'succeeded' });
    }
    await store.segments.saveSql(segment.id, revisionId, 'select client_id from bank.client');
    const execution = { segmentId: segment.id, revisionId, stage: 'execution' as const, pass: 0 };
    await store.segments.startStage(execution);
    const runId = (await store.members.beginRun(segment.id, revisionId))!;
    await store.members.appendIds(runId, ['1', '2']);
    await store.members.completeRun(runId);
    expect(await store.segments.succeed(segment.id, revisionId, { sampleIds: ['1', '2'] })).toBe(true);
    return {
      id: segment.id,
      closeExecution: () => store.segments.finishStage(execution, { outcome: 'succeeded' }),
    };
  }

  it('is null until the run finished and its last pass closed, then stays until something changes', async () => {
    const { id, closeExecution } = await executed();
    // Succeeded, but the execution pass still open: its timing will change without a new revision.
    expect(await store.segments.viewVersion(id, key)).toBeNull();
    expect((await store.segments.getForView(id, key))?.viewVersion).toBeNull();

    await closeExecution();
    const version = await store.segments.viewVersion(id, key);
    expect(version).toMatch(/^[0-9a-f]{32}$/);
    const read = await store.segments.getForView(id, key);
    // Read with the segment, in the same snapshot: the same version, and the same record as `get`.
    expect(read?.viewVersion).toBe(version);
    expect(toApiView(read!.segment)).toEqual(toApiView((await store.segments.get(id, key))!));
    expect(await store.segments.viewVersion(id, key)).toBe(version);

    // An approval changes what the view shows, so its version.
    await store.approvals.approve(id, { authorKeyId: key });
    const approved = await store.segments.viewVersion(id, key);
    expect(approved).not.toBeNull();
    expect(approved).not.toBe(version);

    // A new revision reopens the run.
    await store.segments.rerun(id, key);
    expect(await store.segments.viewVersion(id, key)).toBeNull();
  });

  it("checks access as `get` does: another key's segment is not there, an admin sees every one", async () => {
    const { id, closeExecution } = await executed();
    await closeExecution();
    const version = await store.segments.viewVersion(id, key);
    expect(await store.segments.viewVersion(id, other)).toBeUndefined();
    expect(await store.segments.getForView(id, other)).toBeNull();
    expect(await store.segments.viewVersion(id, other, { admin: true })).toBe(version);
    expect(await store.segments.viewVersion('not-a-uuid', key)).toBeUndefined();
    expect(await store.segments.viewVersion('00000000-0000-4000-8000-000000000000', key)).toBeUndefined();
  });
});
