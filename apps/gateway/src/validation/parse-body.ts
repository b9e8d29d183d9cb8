import { requestValidationError } from '@t2s/contracts';
import type { z } from 'zod';

/**
 * Parses a request part with a contract schema; a mismatch is the contract's 400 (INVALID_REQUEST, or
 * INVALID_OFFER when only the offer is wrong) with one `{path, reason}` detail per problem.
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) throw requestValidationError(result.error.issues);
  return result.data;
}
