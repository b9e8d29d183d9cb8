import { t2sErrorSchema } from './error-codes';
import { segmentLinksSchema } from './segment.schema';
import { z } from './zod-openapi';

export const WEBHOOK_EVENT_TYPES = ['segment.succeeded', 'segment.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Signature of every delivery: `T2S-Signature: t=<unix seconds>,v1=<hex>`, where the hex is
 * HMAC-SHA256, keyed with the client's webhook secret, over `<t>.<raw body>`. Signing the timestamp
 * with the body lets a receiver refuse replays older than WEBHOOK_TOLERANCE_SECONDS. Several `v1=`
 * entries may appear while a secret is being rotated; one matching is enough. Compare in constant time.
 */
export const WEBHOOK_SIGNATURE_HEADER = 'T2S-Signature';
/** The event id again, so a receiver can drop a redelivery before parsing the body. */
export const WEBHOOK_EVENT_ID_HEADER = 'T2S-Event-Id';
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const uuid = z.uuid();

const eventBase = {
  id: uuid.openapi({ description: 'Unique per event and kept across redeliveries: deduplicate on it.' }),
  createdAt: z.iso.datetime(),
};

const segmentBase = {
  id: uuid,
  revisionId: uuid.openapi({ description: 'The revision whose run finished.' }),
  links: segmentLinksSchema,
};

export const segmentSucceededEventSchema = z
  .object({
    ...eventBase,
    type: z.literal('segment.succeeded'),
    segment: z.object({
      ...segmentBase,
      status: z.literal('succeeded'),
      size: z.number().int().nonnegative(),
    }),
  })
  .openapi('SegmentSucceededEvent');

export const segmentFailedEventSchema = z
  .object({
    ...eventBase,
    type: z.literal('segment.failed'),
    segment: z.object({ ...segmentBase, status: z.literal('failed'), error: t2sErrorSchema }),
  })
  .openapi('SegmentFailedEvent');

export const webhookEventSchema = z
  .discriminatedUnion('type', [segmentSucceededEventSchema, segmentFailedEventSchema])
  .openapi('WebhookEvent', {
    description: `POSTed to the request's webhook URL, signed in the \`${WEBHOOK_SIGNATURE_HEADER}\` header.`,
  });

export type SegmentSucceededEvent = z.infer<typeof segmentSucceededEventSchema>;
export type SegmentFailedEvent = z.infer<typeof segmentFailedEventSchema>;
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** The exact bytes the HMAC covers. */
export function webhookSignedContent(timestampSeconds: number, rawBody: string): string {
  return `${timestampSeconds}.${rawBody}`;
}

export function formatWebhookSignature(timestampSeconds: number, hexSignatures: readonly string[]): string {
  return [`t=${timestampSeconds}`, ...hexSignatures.map((hex) => `v1=${hex}`)].join(',');
}

/** Null when the header is malformed; unknown schemes (a future `v2=`) are ignored. */
export function parseWebhookSignature(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) return null;
      signatures.push(value.toLowerCase());
    }
  }
  return timestamp === undefined || signatures.length === 0 ? null : { timestamp, signatures };
}
