import { CRITERION_KINDS } from './criterion.schema';
import { safeText } from './safe-text';
import { segmentIdParamsSchema } from './segment.schema';
import { z } from './zod-openapi';

export const INSIGHT_LANGUAGES = ['ru', 'en'] as const;

export const clientExplainParamsSchema = segmentIdParamsSchema.extend({
  clientId: safeText()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'A client id is letters, digits and _ . : -')
    .openapi({ param: { description: 'The client id, as the members list gives it.' } }),
});

// Not strict: proxies and browsers add query parameters of their own.
export const insightQuerySchema = z.object({
  lang: z
    .enum(INSIGHT_LANGUAGES)
    .default('ru')
    .openapi({ param: { description: 'Language of the labels and texts.' } }),
});

export const readValueSchema = z
  .object({
    attr: z.string().optional().openapi({ description: "The semantic model's attribute, when it is one." }),
    label: z.string().openapi({ example: 'Возраст' }),
    unit: z.string().optional().openapi({ example: 'year' }),
    value: z.union([z.number(), z.string()]).nullable().openapi({
      description: 'The value the client has; null when it has no rows or no value.',
      example: 27,
    }),
    text: z.string().openapi({ example: 'возраст 27 лет' }),
  })
  .openapi('ReadValue');

export const explainedCriterionSchema = z
  .object({
    id: z.string(),
    kind: z.enum(CRITERION_KINDS),
    text: z.string().openapi({ description: 'The criterion as the segment shows it.' }),
    passed: z.boolean().openapi({ description: 'The client meets this criterion alone.' }),
    values: z
      .array(readValueSchema)
      .openapi({ description: 'The numbers this criterion compares, as the client has them.' }),
  })
  .openapi('ExplainedCriterion');

export const clientExplanationSchema = z
  .object({
    segmentId: z.string(),
    clientId: z.string(),
    member: z.boolean().openapi({
      description:
        "In the segment on the warehouse as it is now: every inclusion passes and no exclusion does (for a person's SQL: the query returns the client).",
    }),
    sql: z.enum(['generated', 'person']).openapi({
      description:
        "`person`: a person's SQL, which has no criteria of its own to check; only `member` is answered.",
    }),
    criteria: z.array(explainedCriterionSchema),
    durationMs: z.number().int().nonnegative(),
  })
  .openapi('ClientExplanation');

export const portraitBucketSchema = z
  .object({
    value: z.string().nullable().openapi({ description: 'The code, band or attribute; null for no data.' }),
    label: z.string(),
    segment: z.number().int().nonnegative(),
    base: z.number().int().nonnegative(),
    segmentShare: z.number().openapi({ description: 'Of the segment, 0..1.' }),
    baseShare: z.number().openapi({ description: 'Of the whole base, 0..1.' }),
  })
  .openapi('PortraitBucket');

export const portraitLineSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    kind: z.enum(['distribution', 'share']).openapi({
      description: '`distribution`: each client in one bucket; `share`: buckets overlap (products held).',
    }),
    buckets: z.array(portraitBucketSchema),
  })
  .openapi('PortraitLine');

export const segmentPortraitSchema = z
  .object({
    segmentId: z.string(),
    segmentSize: z.number().int().nonnegative().openapi({
      description:
        'The members its last run counted (the execution stage counts its side of the portrait); for a run that did not, the segment on the warehouse as it is now.',
    }),
    baseSize: z.number().int().nonnegative(),
    baseAt: z.iso.datetime().openapi({
      description: "When the whole base's side was counted: it is kept a few minutes per warehouse.",
    }),
    lines: z.array(portraitLineSchema),
    durationMs: z.number().int().nonnegative(),
  })
  .openapi('SegmentPortrait');

export type ClientExplainParams = z.infer<typeof clientExplainParamsSchema>;
export type InsightQuery = z.output<typeof insightQuerySchema>;
export type ReadValueView = z.infer<typeof readValueSchema>;
export type ClientExplanationView = z.infer<typeof clientExplanationSchema>;
export type SegmentPortraitView = z.infer<typeof segmentPortraitSchema>;
export type PortraitLineView = z.infer<typeof portraitLineSchema>;
