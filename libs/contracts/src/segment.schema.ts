import { approvalSchema } from './approval.schema';
import { segmentCriteriaSchema } from './criterion.schema';
import { t2sErrorSchema } from './error-codes';
import { nullableRef } from './nullable-ref';
import { offerSchema } from './offer.schema';
import { revisionSchema } from './revision.schema';
import { segmentOptionsSchema } from './segment-request.schema';
import { STAGES, segmentStatusSchema, stageSchema, type Stage } from './stage';
import { understandingSchema } from './understanding';
import { z } from './zod-openapi';

/** An object with one optional key per stage, so the schema (and the OpenAPI) name the stages. */
function perStage<T extends z.ZodType>(value: T) {
  const shape = Object.fromEntries(STAGES.map((stage) => [stage, value.optional()]));
  return z.object(shape as { [S in Stage]: z.ZodOptional<T> });
}

const uuid = z.uuid();
const timestamp = z.iso.datetime();

/** Paths relative to the server URL, so they survive proxies that rewrite the host. */
export const segmentLinksSchema = z
  .object({
    self: z.string().openapi({ example: '/v1/segments/5b0e8a52-2b1c-4f4e-9d55-0d6d3c1f9a10' }),
    members: z.string(),
    revisions: z.string(),
    rerun: z.string(),
    approval: z.string(),
  })
  .openapi('SegmentLinks');

export const stageTimingSchema = z
  .object({
    startedAt: timestamp,
    finishedAt: timestamp.nullable().openapi({ description: 'Null while the stage runs.' }),
    ms: z.number().int().nonnegative().nullable(),
    attempts: z.number().int().min(1).openapi({
      description: 'Passes of the stage in the current revision: 1, and one more per repair round.',
    }),
  })
  .openapi('StageTiming');

export const tokenUsageSchema = z
  .object({
    total: z.number().int().nonnegative().openapi({
      description: 'LLM tokens of the current run, cached prompt tokens excluded (what the budget counts).',
    }),
    byStage: perStage(z.number().int().nonnegative()),
  })
  .openapi('TokenUsage');

export const segmentResultSchema = z
  .object({
    size: z.number().int().nonnegative(),
    // Strings: warehouse ids are bigint, and JSON numbers above 2^53 lose digits in JavaScript clients.
    sampleIds: z.array(z.string()).openapi({ example: ['10234', '10871'] }),
    perCriterionCounts: z.record(z.string(), z.number().int().nonnegative()).optional().openapi({
      description: 'Criterion id -> clients meeting that criterion alone, from the executed query.',
    }),
    funnel: z
      .array(z.object({ criterion: z.string(), remaining: z.number().int().nonnegative() }))
      .optional()
      .openapi({
        description:
          "How the segment narrows: inclusions intersected in order, then exclusions removed in order, with the clients left after each. Absent for a person's SQL.",
      }),
  })
  .openapi('SegmentResult');

/** `GET /v1/segments/{id}`: the segment as of its latest revision, with the full history. */
export const segmentSchema = z
  .object({
    id: uuid,
    status: segmentStatusSchema,
    stage: stageSchema.openapi({
      description:
        'The stage running now; when queued, the one that will run; when finished, the last one reached.',
    }),
    revision: z.number().int().min(1).openapi({ description: 'Number of the revision being shown.' }),
    createdAt: timestamp,
    updatedAt: timestamp,
    offer: offerSchema,
    options: segmentOptionsSchema,
    criteria: nullableRef(segmentCriteriaSchema).openapi({
      description: 'Null until the criteria stage finishes.',
    }),
    understanding: nullableRef(understandingSchema).openapi({
      description:
        'What of the text became criteria and what did not (`unparsed`); null until the criteria stage finishes. A meaningful unparsed fragment makes the run end `needs_review`.',
    }),
    sql: z.string().nullable(),
    result: nullableRef(segmentResultSchema),
    timings: perStage(stageTimingSchema).openapi('StageTimings'),
    tokens: tokenUsageSchema,
    error: nullableRef(t2sErrorSchema).openapi({ description: 'Set when status is failed.' }),
    revisions: z.array(revisionSchema).openapi({ description: 'Oldest first; never rewritten.' }),
    approval: nullableRef(approvalSchema).openapi({
      description:
        'The latest approval, null when none; it may name an older revision than the one shown (compare `revision`).',
    }),
    prompts: perStage(z.string()).openapi('StagePrompts', {
      description:
        'The prompt file version (e.g. `sql.v1`) that wrote each stage of the current run; stages a deterministic strategy ran are absent.',
    }),
    links: segmentLinksSchema,
  })
  .openapi('Segment');

/** The 202 answer to every request that starts a run (create, revision, re-run). */
export const segmentAcceptedSchema = z
  .object({
    id: uuid,
    status: segmentStatusSchema,
    revision: z
      .object({ id: uuid, number: z.number().int().min(1) })
      .openapi({ description: 'The revision this run executes; webhook events name it too.' }),
    links: segmentLinksSchema,
  })
  .openapi('SegmentAccepted');

export type SegmentLinks = z.infer<typeof segmentLinksSchema>;
export type StageTiming = z.infer<typeof stageTimingSchema>;
export type TokenUsage = z.infer<typeof tokenUsageSchema>;
export type SegmentResult = z.infer<typeof segmentResultSchema>;
export type Segment = z.infer<typeof segmentSchema>;
export type SegmentAccepted = z.infer<typeof segmentAcceptedSchema>;

export const segmentIdParamsSchema = z.object({
  id: uuid.openapi({ param: { description: 'Segment id.' } }),
});

export function segmentLinks(segmentId: string): SegmentLinks {
  const self = `/v1/segments/${segmentId}`;
  return {
    self,
    members: `${self}/members`,
    revisions: `${self}/revisions`,
    rerun: `${self}/rerun`,
    approval: `${self}/approval`,
  };
}
