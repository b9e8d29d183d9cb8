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
