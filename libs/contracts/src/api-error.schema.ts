import { errorCodeSchema } from './error-codes';
import { z } from './zod-openapi';

export const errorDetailSchema = z
  .object({
    path: z.string().openapi({
      description:
        'Dot-separated path into the request (body, query or params), array indexes as numbers: ' +
        '`offer.title`, `segments.3.webhook.url`. Empty for the request as a whole.',
      example: 'offer.channel',
    }),
    reason: z
      .string()
      .openapi({ example: 'Invalid option: expected one of "SMS"|"PUSH"|"EMAIL"|"CALL"|"MESSENGER"' }),
  })
  .openapi('ErrorDetail');

export const apiErrorSchema = z
  .object({
    error: z.object({
      code: errorCodeSchema,
      message: z.string(),
      details: z.array(errorDetailSchema).optional(),
      requestId: z.string().optional().openapi({ description: 'Quote it when reporting a problem.' }),
    }),
  })
  .openapi('ApiError', { description: 'The body of every 4xx/5xx response.' });

export type ErrorDetail = z.infer<typeof errorDetailSchema>;
export type ApiError = z.infer<typeof apiErrorSchema>;

/**
 * Zod issues as API error details. An unrecognised-keys issue sits on the object that holds the keys;
 * it becomes one detail per key so each path names the offending field itself.
 */
export function zodIssuesToDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.flatMap((issue) => {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), reason: 'Unrecognized key' }));
    }
    return [{ path: base.join('.'), reason: issue.message }];
  });
}
