import { safeText } from './safe-text';
import { z } from './zod-openapi';

export const MEMBERS_DEFAULT_LIMIT = 1_000;
export const MEMBERS_MAX_LIMIT = 10_000;

/** With `Accept: text/csv` the page is the body, so its next cursor travels in this response header. */
export const MEMBERS_NEXT_CURSOR_HEADER = 'T2S-Next-Cursor';
/** The CSV body: this header line, then one id per line. */
export const MEMBERS_CSV_HEADER = 'client_id';

// Not strict: proxies and browsers add query parameters of their own (cache busters); ignore them.
export const membersQuerySchema = z.object({
  cursor: safeText()
    .min(1)
    .max(512)
    .optional()
    .openapi({ param: { description: 'Opaque; `nextCursor` of the previous page. Absent: first page.' } }),
  // Query values arrive as strings; coerce, then bound ("abc" and "" fail as not-a-number / below 1).
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MEMBERS_MAX_LIMIT)
    .default(MEMBERS_DEFAULT_LIMIT)
    .openapi({ param: { description: 'Ids per page.' } }),
});

export const membersPageSchema = z
  .object({
    ids: z.array(z.string()).openapi({
      description: 'Client ids as strings (bigint-safe), in a stable order.',
      example: ['10234', '10871'],
    }),
    nextCursor: z.string().nullable().openapi({ description: 'Null on the last page.' }),
  })
  .openapi('MembersPage');

export type MembersQuery = z.output<typeof membersQuerySchema>;
export type MembersPage = z.infer<typeof membersPageSchema>;
