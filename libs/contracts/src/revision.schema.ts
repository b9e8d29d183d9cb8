import { criteriaSpecSchema, criterionSpecInputSchema } from './criteria-spec.schema';
import { safeText } from './safe-text';
import { z } from './zod-openapi';

/**
 * initial: the request that created the segment; criteria / sql: a person's edit; rerun: the latest
 * criteria and SQL run again (fresh warehouse data), no edit.
 */
export const REVISION_KINDS = ['initial', 'criteria', 'sql', 'rerun'] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

const uuid = z.uuid();
const criteriaText = safeText().trim().min(1).max(20_000);
const sqlText = safeText().trim().min(1).max(100_000);
const author = safeText()
  .trim()
  .min(1)
  .max(200)
  .openapi({ description: 'Who made the change (a login); the API key only names the calling system.' });

/** One entry of a segment's history; revisions are never rewritten, only appended. */
export const revisionSchema = z
  .object({
    id: uuid,
    number: z
      .number()
      .int()
      .min(1)
      .openapi({ description: '1 for the initial request, then +1 per revision.' }),
    kind: z.enum(REVISION_KINDS),
    createdAt: z.iso.datetime(),
    author: author.optional(),
    criteria: z
      .string()
      .optional()
      .openapi({ description: 'The criteria text this revision set, if it set one.' }),
    criteriaSpec: z.array(criterionSpecInputSchema).optional().openapi({
      description: 'The criteria as structure this revision set, if it set them (a criteria builder).',
    }),
    sql: z.string().optional().openapi({ description: 'The SQL this revision set, if it set one.' }),
    generatedSql: z.string().optional().openapi({
      description:
        "The SQL the service generated for this revision, once its SQL stage ran (absent for a person's SQL and for a re-run, which executes the SQL before it again).",
    }),
  })
  .openapi('Revision');

/**
 * `POST /v1/segments/{id}/revisions`: a person's edit of exactly one of the two things a person
 * reviews. A criteria edit reruns from the criteria stage (the text is parsed, not regenerated; given as
 * structure, `criteriaSpec`, it is not parsed at all); an SQL edit goes straight to execution. A
 * revision posted while a run is in flight supersedes it.
 */
export const revisionRequestSchema = z
  .strictObject({
    criteria: criteriaText.optional().openapi({ description: 'New criteria text (replaces the old text).' }),
    criteriaSpec: criteriaSpecSchema.optional(),
    sql: sqlText.optional().openapi({ description: 'New SQL; it passes the same guard as generated SQL.' }),
    author: author.optional(),
  })
  .superRefine((body, ctx) => {
    const criteria = body.criteria !== undefined || body.criteriaSpec !== undefined;
    const given = (criteria ? 1 : 0) + (body.sql === undefined ? 0 : 1);
    if (given !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          given === 0
            ? "Provide exactly one of 'criteria' or 'sql' ('criteriaSpec' counts as criteria); neither was given"
            : "Provide exactly one of 'criteria' or 'sql' ('criteriaSpec' counts as criteria); both were given (post two revisions to change both)",
      });
    }
  })
  .openapi('RevisionRequest', {
    description:
      'Criteria (`criteria` text, `criteriaSpec` structure, or both: the structure runs and the text is kept) or `sql`.',
    oneOf: [{ anyOf: [{ required: ['criteria'] }, { required: ['criteriaSpec'] }] }, { required: ['sql'] }],
  });

export type Revision = z.infer<typeof revisionSchema>;
export type RevisionRequest = z.infer<typeof revisionRequestSchema>;
