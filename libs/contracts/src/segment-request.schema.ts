import { criteriaSpecSchema } from './criteria-spec.schema';
import { controlShareSchema } from './conversion.schema';
import { offerSchema } from './offer.schema';
import { safeText, safeTextCheck } from './safe-text';
import { ON_UNPARSED_MODES } from './understanding';
import { DEFAULT_WAREHOUSE, warehouseNameSchema } from './warehouse-name.schema';
import { z } from './zod-openapi';

export const SEGMENT_STRATEGIES = ['baseline', 'llm'] as const;
export type SegmentStrategy = (typeof SEGMENT_STRATEGIES)[number];

/** R5: one run takes at most five minutes; a client may ask for less, never more. */
export const MAX_DEADLINE_MS = 300_000;

export const webhookUrlSchema = z
  .url({ protocol: /^https?$/, error: 'Must be an absolute http(s) URL' })
  .check(safeTextCheck)
  .max(2_048)
  // Credentials in the URL would be stored and logged with the segment; deliveries are authenticated
  // by their signature instead. Internal targets are refused by the gateway, which knows the
  // deployment's allow-list (WebhookTargetPolicy of @t2s/webhooks), and again at every delivery, after
  // resolving the name.
  .refine((url) => !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url), 'Credentials in the URL are not allowed')
  .openapi({
    description:
      'http or https, without credentials. Refused with 400: loopback, private, link-local, unique-local, ' +
      'CGNAT, multicast, reserved and IPv4-embedding IPv6 addresses however written, internal names ' +
      '(localhost, *.local, *.internal ...) and single-label names, unless the deployment allows the host. ' +
      'A name that resolves to such an address at delivery time is not sent to.',
    example: 'https://co-marketer.bank.example/hooks/t2s',
  });

export const webhookTargetSchema = z.strictObject({ url: webhookUrlSchema }).openapi('WebhookTarget', {
  description: 'Where to POST the segment.succeeded / segment.needs_review / segment.failed event.',
});

export const segmentOptionsSchema = z
  .strictObject({
    warehouse: warehouseNameSchema
      .default(DEFAULT_WAREHOUSE)
      .openapi({ description: 'Catalog schema (warehouse) to build the segment on.' }),
    sampleSize: z
      .number()
      .int()
      .min(0)
      .max(1_000)
      .default(20)
      .openapi({ description: 'How many member ids to include in `result.sampleIds`; the rest is paged.' }),
    strategy: z.enum(SEGMENT_STRATEGIES).optional().openapi({
      description: 'baseline: deterministic, no LLM; llm: LLM strategy. Absent: the server default.',
    }),
    deadlineMs: z
      .number()
      .int()
      .min(1_000)
      .max(MAX_DEADLINE_MS)
      .default(MAX_DEADLINE_MS)
      .openapi({ description: 'Deadline for the whole run, from acceptance to the stored result.' }),
    onUnparsed: z
      .enum(ON_UNPARSED_MODES)
      .default('review')
      .openapi({
        description:
          'When part of the text maps to no warehouse data. review: the query runs and the segment ends ' +
          '`needs_review`, naming the fragments in `understanding.unparsed`; fail (for automated callers): ' +
          'the run fails with CRITERIA_PARTIAL after the criteria stage, before any SQL runs. The same rule ' +
          "for every strategy, and for the segment's later revisions and re-runs.",
      }),
    controlShare: controlShareSchema.optional(),
  })
  .openapi('SegmentOptions');

/**
 * `POST /v1/segments`. Unlike the offer inside it, the envelope is strict: its keys are ours, and a
 * misspelt `critera` silently ignored would generate criteria instead of using the marketer's, a wrong
 * answer nobody notices. `options` is always present after parsing (defaults applied), so the stored
 * request and the idempotency comparison see one canonical form.
 */
export const segmentRequestSchema = z
  .strictObject({
    offer: offerSchema,
    criteria: safeText()
      .trim()
      .min(1)
      .max(20_000)
      .optional()
      .openapi({
        description:
          'Criteria a marketer already wrote (Russian or English), one per line or sentence. ' +
          'Absent: the criteria stage generates them from the offer.',
        example: 'Возраст 20-25 лет\nСредние траты по картам больше 50 000 руб. в месяц',
      }),
    criteriaSpec: criteriaSpecSchema.optional(),
    webhook: webhookTargetSchema.optional(),
    options: segmentOptionsSchema.prefault({}),
  })
  .openapi('SegmentRequest');

export type WebhookTarget = z.infer<typeof webhookTargetSchema>;
export type SegmentOptions = z.output<typeof segmentOptionsSchema>;
/** As sent by a client (defaults not yet applied). */
export type SegmentRequestInput = z.input<typeof segmentRequestSchema>;
/** As parsed: options resolved. */
export type SegmentRequest = z.output<typeof segmentRequestSchema>;
