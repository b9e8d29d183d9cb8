import { z } from './zod-openapi';

export const CRITERION_KINDS = ['include', 'exclude'] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];

export const CRITERION_SOURCES = ['rule', 'llm', 'person'] as const;
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
      description: 'rule: offline baseline; llm: generated; person: written or edited by a person.',
    }),
    unparsed: z
      .array(z.string())
      .optional()
      .openapi({ description: 'Parts of the text that map to no warehouse data, so were not applied.' }),
    // Reserved for the structured predicate representation the next issue adds (column, operator,
    // values). Typed as unknown so records written now stay valid when that schema lands.
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
