import { safeText } from './safe-text';
import { z } from './zod-openapi';

export const OFFER_CHANNELS = ['SMS', 'PUSH', 'EMAIL', 'CALL', 'MESSENGER'] as const;
export type OfferChannel = (typeof OFFER_CHANNELS)[number];

export const offerChannelSchema = z.enum(OFFER_CHANNELS).openapi('OfferChannel', {
  description: 'How the offer reaches the client; upper case as Co-marketer sends it.',
});

// A free string, not an enum: Co-marketer adds product lines on its own schedule, and an unknown type
// must reach the criteria stage (which can still read title and description) rather than fail the request.
export const offerProductSchema = z
  .object({
    type: safeText()
      .trim()
      .min(1)
      .max(64)
      .openapi({
        description:
          'Product line. Known values: credit_card, debit_card, deposit, savings_account, cash_loan, ' +
          'mortgage, car_loan, insurance, investment, premium_package.',
        example: 'credit_card',
      }),
    code: safeText().trim().min(1).max(64).optional().openapi({ description: "The bank's product code." }),
    name: safeText().trim().min(1).max(300).optional(),
  })
  .openapi('OfferProduct');

const isoDate = z.iso.date().openapi({ example: '2025-09-01' });

/**
 * An offer as Co-marketer sends it. Liberal in what is optional, strict in types. Unknown fields are
 * stripped, not rejected: the campaign platform evolves its offer JSON independently of us, and a new
 * field there must not start failing every request here. (The request envelope around the offer is
 * strict instead; see segment-request.schema.ts.)
 */
export const offerSchema = z
  .object({
    id: safeText()
      .trim()
      .min(1)
      .max(128)
      .optional()
      .openapi({ description: "The offer's id in Co-marketer." }),
    campaignId: safeText().trim().min(1).max(128).optional(),
    product: offerProductSchema,
    title: safeText().trim().min(1).max(300),
    description: safeText().trim().max(10_000).optional(),
    conditions: z
      .array(safeText().trim().min(1).max(2_000))
      .max(50)
      .optional()
      .openapi({ description: 'Offer terms, one per item (rates, grace period, cashback...).' }),
    channel: offerChannelSchema,
    validFrom: isoDate.optional(),
    validTo: isoDate.optional(),
    targetSizeHint: z
      .number()
      .int()
      .min(1)
      .max(100_000_000)
      .optional()
      .openapi({ description: 'Roughly how many clients the campaign wants; a hint, not a limit.' }),
  })
  .superRefine((offer, ctx) => {
    // ISO dates compare correctly as strings.
    if (offer.validFrom !== undefined && offer.validTo !== undefined && offer.validTo < offer.validFrom) {
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'validTo is before validFrom' });
    }
  })
  .openapi('Offer', { description: 'Unknown fields are ignored (stripped).' });

export type OfferProduct = z.infer<typeof offerProductSchema>;
export type Offer = z.infer<typeof offerSchema>;
