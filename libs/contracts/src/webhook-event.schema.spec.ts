import { EVENT_ID, REVISION_ID, SEGMENT_ID } from './offer.fixtures';
import { segmentLinks } from './segment.schema';
import {
  formatWebhookSignature,
  parseWebhookSignature,
  webhookEventSchema,
  webhookSignedContent,
} from './webhook-event.schema';

const hex = (c: string) => c.repeat(64);

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

describe('webhook signature header', () => {
  it('signs "<t>.<body>"', () => {
    expect(webhookSignedContent(1_767_225_600, '{"a":1}')).toBe('1767225600.{"a":1}');
  });

  it('formats and parses t=<seconds>,v1=<hex>, several v1 during secret rotation', () => {
    const header = formatWebhookSignature(1_767_225_600, [hex('a'), hex('b')]);
    expect(header).toBe(`t=1767225600,v1=${hex('a')},v1=${hex('b')}`);
    expect(parseWebhookSignature(header)).toEqual({
      timestamp: 1_767_225_600,
      signatures: [hex('a'), hex('b')],
    });
  });

  it('ignores unknown schemes and tolerates spaces', () => {
    expect(parseWebhookSignature(`t=5, v0=zzz, v1=${hex('C')}`)).toEqual({
      timestamp: 5,
      signatures: [hex('c')],
    });
  });

  it.each([
    '',
    't=5',
    `v1=${hex('a')}`,
    `t=abc,v1=${hex('a')}`,
    't=5,v1=short',
    `t=5,t=6,v1=${hex('a')}`,
    `t=5,junk,v1=${hex('a')}`,
  ])('returns null for %j', (header) => {
    expect(parseWebhookSignature(header)).toBeNull();
  });
});
