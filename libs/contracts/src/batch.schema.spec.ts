import { BATCH_MAX_RERUNS, BATCH_MAX_SEGMENTS, batchRequestSchema, batchSchema } from './batch.schema';
import { englishDepositOffer, russianCreditCardOffer, SEGMENT_ID } from './offer.fixtures';
import { segmentLinks } from './segment.schema';

function issues(input: unknown): Array<{ path: string; message: string }> {
  const result = batchRequestSchema.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

describe('batchRequestSchema', () => {
  it('accepts new segment requests and applies their defaults', () => {
    const batch = batchRequestSchema.parse({
      segments: [{ offer: russianCreditCardOffer }, { offer: englishDepositOffer, criteria: 'Age 25-40' }],
    });
    expect(batch.segments).toHaveLength(2);
    expect(batch.segments?.[0]?.options.warehouse).toBe('bank');
  });

  it('accepts segment ids to re-run', () => {
    expect(batchRequestSchema.parse({ rerun: [SEGMENT_ID] })).toEqual({ rerun: [SEGMENT_ID] });
  });

  it('narrows the parsed type to one of the two shapes', () => {
    const batch = batchRequestSchema.parse({ rerun: [SEGMENT_ID] });
    const count = batch.segments === undefined ? batch.rerun.length : batch.segments.length;
    expect(count).toBe(1);
  });

  it('rejects 0 or too many items at the array', () => {
    expect(issues({ segments: [] }).map((i) => i.path)).toEqual(['segments']);
    const tooMany = Array.from({ length: BATCH_MAX_SEGMENTS + 1 }, () => ({ offer: englishDepositOffer }));
    expect(issues({ segments: tooMany }).map((i) => i.path)).toEqual(['segments']);
    expect(issues({ rerun: [] }).map((i) => i.path)).toEqual(['rerun']);
    const ids = Array.from({ length: BATCH_MAX_RERUNS + 1 }, (_, n) => uuid(n));
    expect(issues({ rerun: ids }).map((i) => i.path)).toEqual(['rerun']);
  });

  it('accepts exactly the maximum', () => {
    const ids = Array.from({ length: BATCH_MAX_RERUNS }, (_, n) => uuid(n));
    expect(batchRequestSchema.safeParse({ rerun: ids }).success).toBe(true);
  });

  it('points into the item that is wrong', () => {
    expect(
      issues({
        segments: [{ offer: englishDepositOffer }, { offer: { ...englishDepositOffer, channel: 'FAX' } }],
      }),
    ).toEqual([{ path: 'segments.1.offer.channel', message: expect.any(String) }]);
    expect(issues({ rerun: [SEGMENT_ID, 'not-a-uuid'] }).map((i) => i.path)).toEqual(['rerun.1']);
    expect(issues({ rerun: [SEGMENT_ID, SEGMENT_ID] })).toEqual([
      { path: 'rerun.1', message: 'Duplicate segment id' },
    ]);
  });

  it('rejects both or neither with one clear message', () => {
    expect(issues({})).toEqual([
      { path: '', message: expect.stringMatching(/exactly one of 'segments'.*'rerun'.*neither/) },
    ]);
    expect(issues({ segments: [{ offer: englishDepositOffer }], rerun: [SEGMENT_ID] })).toEqual([
      { path: '', message: expect.stringMatching(/both/) },
    ]);
  });
});

describe('batchSchema', () => {
  it('accepts a batch with progress and per-item status', () => {
    const batch = {
      id: uuid(1),
      kind: 'rerun',
      status: 'running',
      createdAt: '2025-09-01T10:00:00.000Z',
      updatedAt: '2025-09-01T10:00:05.000Z',
      progress: { total: 2, queued: 0, running: 1, succeeded: 0, needs_review: 0, failed: 1 },
      items: [
        { index: 0, segmentId: SEGMENT_ID, status: 'running', error: null, links: segmentLinks(SEGMENT_ID) },
        {
          index: 1,
          segmentId: uuid(2),
          status: 'failed',
          error: { code: 'WAREHOUSE_UNAVAILABLE', stage: 'execution', message: 'Warehouse unreachable' },
          links: segmentLinks(uuid(2)),
        },
      ],
      changes: { compared: 0, entered: 0, left: 0, stayed: 0, attribution: { data: 0, definition: 0 } },
      links: { self: `/v1/batches/${uuid(1)}` },
    };
    expect(batchSchema.parse(batch)).toEqual(batch);
    expect(batchSchema.parse({ ...batch, kind: 'segments', changes: null }).changes).toBeNull();
    expect(() => batchSchema.parse({ ...batch, changes: undefined })).toThrow();
  });
});
