import { z } from 'zod';
import { offerSchema, warehouseNameSchema } from '@t2s/contracts';

/**
 * One evaluation case: an offer or a marketer's criteria text, and the segment an analyst would build
 * for it, as a hand-written target SQL. Cases live in `eval/cases/<warehouse>/*.json`, one per file.
 *
 * Target SQL conventions: one read-only SELECT returning one column of client ids (named `client_id`),
 * table names unqualified (the harness sets `search_path` to the case's warehouse schema), and "now"
 * is the warehouse's report date (`etl_load_info.report_date` on the demo bank), never `current_date`.
 */
export const evalCaseSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,80}$/, 'Must be a lower-case slug'),
    warehouse: warehouseNameSchema,
    kind: z.enum(['offer', 'criteria']),
    /** Always present: the offer the segment is for (for `criteria` cases, the context of the text). */
    offer: offerSchema,
    /** The marketer's criteria text; required for `criteria` cases, absent for `offer` cases. */
    criteria: z.string().trim().min(1).max(5_000).optional(),
    target: z.strictObject({
      sql: z.string().trim().min(1),
      /** Where the target's choices could be argued (thresholds, windows, exclusions). */
      note: z.string().trim().min(1),
    }),
    /** Subject areas the case touches (the catalog's areas, as the table comments name them). */
    areas: z.array(z.string().min(1)).min(1),
    language: z.enum(['ru', 'en']),
  })
  .superRefine((value, ctx) => {
    if (value.kind === 'criteria' && value.criteria === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['criteria'],
        message: 'A criteria case needs its criteria text',
      });
    }
    if (value.kind === 'offer' && value.criteria !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'An offer case has no criteria text' });
    }
  });

export type EvalCase = z.infer<typeof evalCaseSchema>;
