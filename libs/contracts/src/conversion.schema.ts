import { safeText } from './safe-text';
import { z } from './zod-openapi';

/** The header line of an outcomes CSV; a file may also start with the data itself. */
export const OUTCOMES_CSV_HEADER = 'client_id,converted_at';
/** The outcomes CSV body as text: no NUL or lone surrogate, as every string the API accepts. */
export const outcomesCsvSchema = safeText();
/** The members CSV of a segment that holds out a control group: this header, then `id,target|control`. */
export const MEMBERS_CSV_GROUP_HEADER = 'client_id,group';

export const CONVERSION_GROUPS = ['target', 'control'] as const;
export type ConversionGroup = (typeof CONVERSION_GROUPS)[number];

export const OUTCOME_SOURCES = ['csv', 'warehouse'] as const;
export type OutcomeSource = (typeof OUTCOME_SOURCES)[number];

/** generated: no person's edit; edited: a person revised the criteria or SQL; hand_written: a person's SQL from the start. */
export const SEGMENT_ORIGINS = ['generated', 'edited', 'hand_written'] as const;
export type SegmentOrigin = (typeof SEGMENT_ORIGINS)[number];

export const controlShareSchema = z
  .number()
  .gt(0)
  .max(0.5)
  .openapi({
    description:
      'Share of the members held out as a control group (0 < x ≤ 0.5), drawn by a hash of the segment id and ' +
      'the client id: the same client of the same segment lands in the same group on every run. The members ' +
      'CSV then has a `group` column (`target`/`control`); the conversion report compares the two. Absent: no control group.',
    example: 0.1,
  });

export const rateIntervalSchema = z
  .object({
    low: z.number().min(0).max(1),
    high: z.number().min(0).max(1),
  })
  .openapi('RateInterval', { description: 'Wilson score interval, 95%.' });

export const groupConversionSchema = z
  .object({
    size: z.number().int().min(0),
    converted: z.number().int().min(0),
    rate: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .openapi({ description: 'converted / size; null for an empty group.' }),
    interval: rateIntervalSchema.nullable(),
  })
  .openapi('GroupConversion');

export const conversionLiftSchema = z
  .object({
    ratio: z
      .number()
      .nullable()
      .openapi({ description: 'target rate / control rate; null when the control group converted nobody.' }),
    difference: z.number().openapi({ description: 'target rate − control rate.' }),
    differenceInterval: z.object({ low: z.number(), high: z.number() }).openapi({
      description: "95% interval of the difference (Newcombe's hybrid score from the two Wilson intervals).",
    }),
  })
  .openapi('ConversionLift');

export const comparedSegmentSchema = groupConversionSchema
  .extend({
    id: z.string(),
    title: z.string(),
    origin: z.enum(SEGMENT_ORIGINS),
    revision: z.number().int(),
    outcomesImported: z.boolean().openapi({
      description: 'Outcomes were imported for it (else its converted count means nothing yet).',
    }),
  })
  .openapi('ComparedSegment');

export const originConversionSchema = groupConversionSchema
  .extend({
    origin: z.enum(SEGMENT_ORIGINS),
    segments: z.number().int().min(0),
  })
  .openapi('OriginConversion');

export const conversionReportSchema = z
  .object({
    segmentId: z.string(),
    revision: z.number().int().openapi({ description: 'The revision whose result the report counts.' }),
    controlShare: z.number().nullable(),
    outcomes: z
      .object({
        recorded: z
          .number()
          .int()
          .min(0)
          .openapi({ description: 'Outcome rows stored for the segment (members or not).' }),
        imports: z.number().int().min(0),
        lastImportAt: z.iso.datetime().nullable(),
      })
      .openapi({ description: 'What was imported: rows and imports (CSV or warehouse).' }),
    target: groupConversionSchema.openapi({
      description: 'The members outside the control group: those the offer went to.',
    }),
    control: groupConversionSchema
      .nullable()
      .openapi({ description: 'The held-out members; null without a control group.' }),
    lift: conversionLiftSchema
      .nullable()
      .openapi({ description: 'Null without a control group or while either group is empty.' }),
    comparison: z
      .object({
        by: z.enum(['offerId', 'campaignId']),
        value: z.string(),
        origins: z.array(originConversionSchema),
        segments: z.array(comparedSegmentSchema),
      })
      .nullable()
      .openapi({
        description:
          'Segments the caller made for the same offer (`offer.id`, else `offer.campaignId`) that have a result, each counted over its target group; ' +
          'origins sum those with outcomes imported. A historical comparison of different audiences, not a causal one: only the control group is the baseline.',
      }),
  })
  .openapi('ConversionReport', {
    description:
      'Conversion of the visible result. The control group rate is the causal baseline (the same audience, randomly held out); the comparison with other segments for the same offer is not.',
  });

export const outcomeImportSchema = z
  .object({
    segmentId: z.string(),
    source: z.enum(OUTCOME_SOURCES),
    lines: z
      .number()
      .int()
      .min(0)
      .openapi({ description: 'Outcome lines read (CSV) or converted clients read (warehouse).' }),
    stored: z.number().int().min(0).openapi({ description: 'New (segment, client) outcomes.' }),
    alreadyStored: z.number().int().min(0).openapi({
      description: 'Outcomes this segment already had (an import is idempotent per segment and client).',
    }),
    notMembers: z
      .number()
      .int()
      .min(0)
      .openapi({ description: "Clients not in the segment's visible result (kept, not counted)." }),
  })
  .openapi('OutcomeImport');

export type RateInterval = z.infer<typeof rateIntervalSchema>;
export type GroupConversion = z.infer<typeof groupConversionSchema>;
export type ConversionLift = z.infer<typeof conversionLiftSchema>;
export type ComparedSegment = z.infer<typeof comparedSegmentSchema>;
export type OriginConversion = z.infer<typeof originConversionSchema>;
export type ConversionReport = z.infer<typeof conversionReportSchema>;
export type OutcomeImport = z.infer<typeof outcomeImportSchema>;
