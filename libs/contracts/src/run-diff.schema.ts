import { z } from './zod-openapi';

/**
 * Why the members changed between two results: `data` when the same definition (the same SQL and the
 * same criteria items) ran again on newer warehouse data, `definition` when a revision changed either.
 */
export const DIFF_ATTRIBUTIONS = ['data', 'definition'] as const;
export type DiffAttribution = (typeof DIFF_ATTRIBUTIONS)[number];

/** The two exports of a diff: who entered the segment, who left it. */
export const MEMBER_CHANGES = ['entered', 'left'] as const;
export type MemberChange = (typeof MEMBER_CHANGES)[number];

const count = z.number().int().nonnegative();
const uuid = z.uuid();

export const diffAttributionSchema = z.enum(DIFF_ATTRIBUTIONS).openapi('DiffAttribution', {
  description:
    '`data`: the same SQL and criteria ran again, so the change comes from the warehouse data. `definition`: a revision changed the SQL or the criteria.',
});

/** `GET /v1/segments/{id}/diff`: the visible result against the segment's result before it. */
export const runDiffSchema = z
  .object({
    segmentId: uuid,
    runId: uuid.openapi({ description: 'The execution whose ids are the visible result.' }),
    previousRunId: uuid.openapi({ description: 'The execution of the result before it.' }),
    revision: z.number().int().min(1).openapi({ description: 'The revision the visible result ran.' }),
    previousRevision: z
      .number()
      .int()
      .min(1)
      .openapi({ description: 'The revision the previous result ran.' }),
    attribution: diffAttributionSchema,
    entered: count.openapi({ description: 'Clients in this result and not in the previous one.' }),
    left: count.openapi({ description: 'Clients in the previous result and not in this one.' }),
    stayed: count.openapi({ description: 'Clients in both.' }),
    at: z.iso.datetime().openapi({ description: 'When the result completed and the diff was taken.' }),
    links: z.object({
      entered: z.string().openapi({ example: '/v1/segments/{id}/diff/entered' }),
      left: z.string().openapi({ example: '/v1/segments/{id}/diff/left' }),
    }),
  })
  .openapi('RunDiff', {
    description:
      "What changed between the segment's previous result and its visible one. The first result has no diff (404), nor does a segment whose newer revision is still running.",
  });

/**
 * The diffs of a re-run batch's items summed: only items whose run from this batch completed with a
 * diff count (`compared`); an item still running, failed, or re-run again since is left out.
 */
export const batchChangesSchema = z
  .object({
    compared: count.openapi({
      description: "Items whose re-run from this batch is the segment's visible result and has a diff.",
    }),
    entered: count,
    left: count,
    stayed: count,
    attribution: z
      .object({ data: count, definition: count })
      .openapi({ description: 'How many compared items changed by data, how many by definition.' }),
  })
  .openapi('BatchChanges', {
    description:
      'Membership changes summed over the items of a re-run batch (null for a batch of new segments).',
  });

export type RunDiff = z.infer<typeof runDiffSchema>;
export type BatchChanges = z.infer<typeof batchChangesSchema>;

/** Where a diff's exports are served. */
export function runDiffLinks(segmentId: string): RunDiff['links'] {
  return {
    entered: `/v1/segments/${segmentId}/diff/entered`,
    left: `/v1/segments/${segmentId}/diff/left`,
  };
}
