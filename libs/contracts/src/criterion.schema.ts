import { z } from './zod-openapi';

export const CRITERION_KINDS = ['include', 'exclude'] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];

export const CRITERION_SOURCES = ['rule', 'llm', 'person', 'precedent'] as const;
export type CriterionSource = (typeof CRITERION_SOURCES)[number];

/** A warehouse column a criterion's SQL reads, with what the catalog says of it and of its table. */
export const criterionColumnSchema = z
  .object({
    table: z.string().openapi({ example: 'client' }),
    column: z.string().openapi({ example: 'birth_date' }),
    description: z.string().optional().openapi({ description: "The column's catalog comment." }),
    tableDescription: z.string().optional().openapi({ description: "The table's catalog comment." }),
    key: z.boolean().optional().openapi({
      description:
        'True for a primary or foreign key column: it joins or names the client, it filters nothing.',
    }),
  })
  .openapi('CriterionColumn');

export type CriterionColumn = z.infer<typeof criterionColumnSchema>;

/** A past campaign a criterion was taken from: the bank's own record of a segment a person approved. */
export const criterionPrecedentSchema = z
  .object({
    id: z.string().openapi({ description: "The precedent's id in the service." }),
    campaign: z.string().openapi({ example: 'CM-2026-0912' }),
    approvedAt: z
      .string()
      .optional()
      .openapi({ description: 'ISO date it was approved, when known.', example: '2026-09-14' }),
    approvedBy: z.string().optional(),
  })
  .openapi('CriterionPrecedent');

export type CriterionPrecedent = z.infer<typeof criterionPrecedentSchema>;

/**
 * Where a criterion adopted from past campaigns comes from: the campaigns whose approved SQL has it,
 * nearest first, and how its threshold or values were taken from theirs.
 */
export const criterionProvenanceSchema = z
  .object({
    precedents: z.array(criterionPrecedentSchema).min(1),
    adapted: z.enum(['as_is', 'median', 'union']).openapi({
      description:
        'as_is: the campaigns agree; median: the median of their numbers; union: the union of their values.',
    }),
  })
  .openapi('CriterionProvenance');

export type CriterionProvenance = z.infer<typeof criterionProvenanceSchema>;

/**
 * One audience criterion as the service stores and shows it. The segment is the intersection of the
 * include criteria minus the union of the exclude ones, which is why each can carry its own count.
 */
export const criterionSchema = z
  .object({
    id: z.string().min(1).max(64).openapi({
      description: 'Stable within a segment across revisions when the text is unchanged.',
      example: 'c1',
    }),
    text: z.string().min(1).max(2_000).openapi({
      description: 'Readable criterion, in the language it was written in (ru/en).',
      example: 'Возраст 20-25 лет',
    }),
    kind: z.enum(CRITERION_KINDS),
    sql: z.string().optional().openapi({
      description: 'Fragment selecting the client ids that meet this criterion alone (one CTE of the query).',
    }),
    columns: z.array(criterionColumnSchema).optional().openapi({
      description:
        "The warehouse columns this criterion's SQL reads (from `sql`), so a reviewer sees what data it rests on.",
    }),
    count: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .openapi({ description: 'Clients meeting this criterion alone, when it has been executed.' }),
    source: z.enum(CRITERION_SOURCES).optional().openapi({
      description:
        'rule: offline baseline; llm: generated; person: written or edited by a person; precedent: adopted from past campaigns (see `provenance`).',
    }),
    provenance: criterionProvenanceSchema.optional().openapi({
      description: 'For a criterion adopted from past campaigns: which ones, and how it was adapted.',
    }),
    unparsed: z
      .array(z.string())
      .optional()
      .openapi({ description: 'Parts of the text that map to no warehouse data, so were not applied.' }),
    // The structured predicate (`expr`, as `criteriaSpec` takes it) and what the pipeline keeps beside it
    // (the linked tables, the prompt). Typed as unknown: an open object, checked where it is read.
    spec: z.unknown().optional().openapi({ description: 'Structured predicate; format not yet stable.' }),
  })
  .openapi('Criterion');

export type Criterion = z.infer<typeof criterionSchema>;

/** The criteria of a segment: the text a person reads and edits, and the list the pipeline derived from it. */
export const segmentCriteriaSchema = z
  .object({
    text: z.string(),
    items: z.array(criterionSchema),
    unparsed: z.array(z.string()).optional().openapi({
      deprecated: true,
      description:
        "The same list as the segment's `understanding.unparsed`, kept here for clients written before it; read `understanding`.",
    }),
  })
  .openapi('SegmentCriteria');

export type SegmentCriteria = z.infer<typeof segmentCriteriaSchema>;
