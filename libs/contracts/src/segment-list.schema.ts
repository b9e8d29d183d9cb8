import { segmentStatusSchema } from './stage';
import { safeText } from './safe-text';
import { z } from './zod-openapi';

export const SEGMENTS_DEFAULT_LIMIT = 20;
export const SEGMENTS_MAX_LIMIT = 100;

// Not strict: proxies and browsers add query parameters of their own; ignore them.
export const segmentListQuerySchema = z.object({
  cursor: safeText()
    .min(1)
    .max(512)
    .optional()
    .openapi({ param: { description: 'Opaque; `nextCursor` of the previous page. Absent: the newest.' } }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(SEGMENTS_MAX_LIMIT)
    .default(SEGMENTS_DEFAULT_LIMIT)
    .openapi({ param: { description: 'Segments per page.' } }),
  status: segmentStatusSchema.optional().openapi({ param: { description: 'Only segments in this status.' } }),
});

/** One line of the list a marketer scans: what it is, where it stands, how big, whether approved. */
export const segmentSummarySchema = z
  .object({
    id: z.uuid(),
    title: z.string().openapi({ description: "The offer's title." }),
    status: segmentStatusSchema,
    stage: z.string(),
    revision: z.number().int().min(1),
    size: z.number().int().nonnegative().nullable(),
    approvedRevision: z.number().int().min(1).nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('SegmentSummary');

export const segmentListSchema = z
  .object({
    items: z.array(segmentSummarySchema).openapi({ description: 'Newest first.' }),
    nextCursor: z.string().nullable().openapi({ description: 'Null on the last page.' }),
  })
  .openapi('SegmentList');

export type SegmentListQuery = z.output<typeof segmentListQuerySchema>;
export type SegmentSummary = z.infer<typeof segmentSummarySchema>;
export type SegmentList = z.infer<typeof segmentListSchema>;
