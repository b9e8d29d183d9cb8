import { t2sErrorSchema } from './error-codes';
import { segmentLinksSchema } from './segment.schema';
import { understandingSchema } from './understanding';
import { z } from './zod-openapi';

/**
 * One event type per final status, `segment.<status>`, the segment's `status` repeating it. A run that
 * executed but did not understand all of its text is its own type, `segment.needs_review`, not a
 * `segment.succeeded` with another status: a receiver that acts on `segment.succeeded` alone never sends
 * a segment broader than its text.
 */
export const WEBHOOK_EVENT_TYPES = ['segment.succeeded', 'segment.needs_review', 'segment.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Deliveries follow Standard Webhooks (standardwebhooks.com), so a receiver verifies them with an
 * off-the-shelf library (`standardwebhooks`' `Webhook.verify`, or any port of it):
 * - `webhook-id`: the event id, the same on every redelivery: deduplicate on it;
 * - `webhook-timestamp`: unix seconds at sending; refuse those more than WEBHOOK_TOLERANCE_SECONDS away;
 * - `webhook-signature`: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">`, keyed with the API
 *   key's `whsec_` secret (base64 after the prefix). During a secret rotation several space-separated
 *   `v1,` signatures are sent, one per valid secret; one matching is enough.
 */
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** Standard Webhooks' secret prefix; what follows is the base64 of the HMAC key. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

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

export const segmentNeedsReviewEventSchema = z
  .object({
    ...eventBase,
    type: z.literal('segment.needs_review'),
    segment: z.object({
      ...segmentBase,
      status: z.literal('needs_review'),
      size: z.number().int().nonnegative(),
      understanding: understandingSchema,
    }),
  })
  .openapi('SegmentNeedsReviewEvent', {
    description:
      'The query ran (size and members are there), but part of the text maps to no warehouse data (`understanding.unparsed`): a person should review the segment before it is used.',
  });

export const segmentFailedEventSchema = z
  .object({
    ...eventBase,
    type: z.literal('segment.failed'),
    segment: z.object({ ...segmentBase, status: z.literal('failed'), error: t2sErrorSchema }),
  })
  .openapi('SegmentFailedEvent');

export const webhookEventSchema = z
  .discriminatedUnion('type', [
    segmentSucceededEventSchema,
    segmentNeedsReviewEventSchema,
    segmentFailedEventSchema,
  ])
  .openapi('WebhookEvent', {
    description: `POSTed to the request's webhook URL, signed per Standard Webhooks (\`${WEBHOOK_ID_HEADER}\`, \`${WEBHOOK_TIMESTAMP_HEADER}\`, \`${WEBHOOK_SIGNATURE_HEADER}\` headers).`,
  });

export type SegmentSucceededEvent = z.infer<typeof segmentSucceededEventSchema>;
export type SegmentNeedsReviewEvent = z.infer<typeof segmentNeedsReviewEventSchema>;
export type SegmentFailedEvent = z.infer<typeof segmentFailedEventSchema>;
export type WebhookEvent = z.infer<typeof webhookEventSchema>;
