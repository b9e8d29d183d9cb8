import { safeText } from './safe-text';
import { z } from './zod-openapi';

/**
 * `POST /v1/segments/{id}/approval`: a person accepts the segment as it is now. `revision` is the
 * number the person reviewed; when a newer revision landed since, the approval is refused rather than
 * applied to something the person never saw.
 */
export const approvalRequestSchema = z
  .strictObject({
    revision: z.number().int().min(1).optional().openapi({
      description: 'The revision number reviewed; refused (409) when it is no longer the current one.',
    }),
    author: safeText()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'Who approves (a login); the API key only names the calling system.' }),
  })
  .openapi('ApprovalRequest');

/** An approved revision: its criteria and SQL become examples for the LLM strategy on this warehouse. */
export const approvalSchema = z
  .object({
    revision: z.number().int().min(1).openapi({ description: 'The revision approved.' }),
    author: z.string().optional(),
    approvedAt: z.iso.datetime(),
  })
  .openapi('Approval');

export type ApprovalRequest = z.infer<typeof approvalRequestSchema>;
export type Approval = z.infer<typeof approvalSchema>;
