import { t2sErrorSchema } from './error-codes';
import { nullableRef } from './nullable-ref';
import { batchChangesSchema } from './run-diff.schema';
import { segmentLinksSchema } from './segment.schema';
import { segmentRequestSchema, type SegmentRequest } from './segment-request.schema';
import { SEGMENT_STATUSES, segmentStatusSchema, type SegmentStatus } from './stage';
import { z } from './zod-openapi';

export const BATCH_MAX_SEGMENTS = 500;
export const BATCH_MAX_RERUNS = 1_000;

const uuid = z.uuid();

/**
 * `POST /v1/batches`: new segment requests or segment ids to re-run, never both. A refined object
 * rather than a zod union: a union's error is "matches neither branch", while this reports
 * `segments: too small` or `rerun.3: invalid UUID` at the field itself.
 */
export const batchRequestSchema = z
  .strictObject({
    segments: z.array(segmentRequestSchema).min(1).max(BATCH_MAX_SEGMENTS).optional(),
    rerun: z
      .array(uuid)
      .min(1)
      .max(BATCH_MAX_RERUNS)
      .optional()
      .openapi({ description: 'Ids of existing segments to re-run on current data.' }),
  })
  .superRefine((body, ctx) => {
    const given = (body.segments === undefined ? 0 : 1) + (body.rerun === undefined ? 0 : 1);
    if (given !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `Provide exactly one of 'segments' (new segment requests) or 'rerun' (segment ids); ${
          given === 0 ? 'neither was given' : 'both were given'
        }`,
      });
    }
    // The same segment twice would run twice concurrently, racing on one record.
    const seen = new Set<string>();
    body.rerun?.forEach((id, index) => {
      if (seen.has(id))
        ctx.addIssue({ code: 'custom', path: ['rerun', index], message: 'Duplicate segment id' });
      seen.add(id);
    });
  })
  // Only narrows the type to what the refinement guarantees; the value is untouched.
  .transform((body) => body as BatchRequest)
  .openapi('BatchRequest', {
    description: `Exactly one of \`segments\` (1..${BATCH_MAX_SEGMENTS}) or \`rerun\` (1..${BATCH_MAX_RERUNS}).`,
    oneOf: [{ required: ['segments'] }, { required: ['rerun'] }],
  });

export type BatchRequest =
  { segments: SegmentRequest[]; rerun?: undefined } | { rerun: string[]; segments?: undefined };
export type BatchRequestInput = z.input<typeof batchRequestSchema>;

/** completed: every item reached a final status (a batch completes even when some items fail). */
export const BATCH_STATUSES = ['queued', 'running', 'completed'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const batchItemSchema = z
  .object({
    index: z.number().int().nonnegative().openapi({ description: 'Position in the request array.' }),
    segmentId: uuid,
    status: segmentStatusSchema,
    error: nullableRef(t2sErrorSchema),
    links: segmentLinksSchema,
  })
  .openapi('BatchItem');

const count = z.number().int().nonnegative();
// One count per segment status, so a status added to SEGMENT_STATUSES is counted here too.
const countPerStatus = Object.fromEntries(SEGMENT_STATUSES.map((status) => [status, count])) as {
  [S in SegmentStatus]: typeof count;
};

export const batchSchema = z
  .object({
    id: uuid,
    kind: z.enum(['segments', 'rerun']),
    status: z.enum(BATCH_STATUSES),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    progress: z
      .object({ total: count, ...countPerStatus })
      .openapi('BatchProgress', { description: 'Items per status (the keys are the segment statuses).' }),
    items: z.array(batchItemSchema).openapi({ description: 'In request order.' }),
    changes: nullableRef(batchChangesSchema),
    links: z.object({ self: z.string() }),
  })
  .openapi('Batch', { description: 'Answer to POST /v1/batches (202) and GET /v1/batches/{id}.' });

export type BatchItem = z.infer<typeof batchItemSchema>;
export type Batch = z.infer<typeof batchSchema>;

export const batchIdParamsSchema = z.object({
  id: uuid.openapi({ param: { description: 'Batch id.' } }),
});
