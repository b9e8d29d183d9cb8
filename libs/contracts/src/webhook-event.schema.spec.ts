import { EVENT_ID, REVISION_ID, SEGMENT_ID } from './offer.fixtures';
import { segmentLinks } from './segment.schema';
import { webhookEventSchema } from './webhook-event.schema';

describe('webhookEventSchema', () => {
  const segment = { id: SEGMENT_ID, revisionId: REVISION_ID, links: segmentLinks(SEGMENT_ID) };

  it('accepts a success with the size and a failure with the error', () => {
    const ok = {
      id: EVENT_ID,
      type: 'segment.succeeded',
      createdAt: '2025-09-01T10:01:12.345Z',
      segment: { ...segment, status: 'succeeded', size: 80_343 },
    };
    expect(webhookEventSchema.parse(ok)).toEqual(ok);
    const failed = {
      ...ok,
      type: 'segment.failed',
      segment: {
        ...segment,
        status: 'failed',
        error: { code: 'DEADLINE_EXCEEDED', stage: 'sql', message: 'Run passed 300 s' },
      },
    };
    expect(webhookEventSchema.parse(failed)).toEqual(failed);
  });

  it('has an event of its own for needs_review, with the size and what was not understood', () => {
    const review = {
      id: EVENT_ID,
      type: 'segment.needs_review',
      createdAt: '2025-09-01T10:01:12.345Z',
      segment: {
        ...segment,
        status: 'needs_review',
        size: 1_084,
        understanding: { coverage: 0.7, unparsed: ['в Брно'] },
      },
    };
    expect(webhookEventSchema.parse(review)).toEqual(review);
    const { understanding: _u, ...withoutUnderstanding } = review.segment;
    expect(webhookEventSchema.safeParse({ ...review, segment: withoutUnderstanding }).success).toBe(false);
    expect(webhookEventSchema.safeParse({ ...review, type: 'segment.succeeded' }).success).toBe(false);
  });

  it('rejects an event whose segment does not match its type', () => {
    const mixed = {
      id: EVENT_ID,
      type: 'segment.failed',
      createdAt: '2025-09-01T10:01:12.345Z',
      segment: { ...segment, status: 'succeeded', size: 1 },
    };
    expect(webhookEventSchema.safeParse(mixed).success).toBe(false);
    expect(webhookEventSchema.safeParse({ ...mixed, type: 'segment.updated' }).success).toBe(false);
  });
});
