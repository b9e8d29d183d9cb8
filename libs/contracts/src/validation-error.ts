import { zodIssuesToDetails } from './api-error.schema';
import { AppError } from './app-error';
import type { z } from './zod-openapi';

/**
 * A failed request parse as the 400 AppError: INVALID_OFFER when every problem lies inside an offer
 * (the client must fix the campaign data, not its integration), INVALID_REQUEST otherwise.
 */
export function requestValidationError(issues: readonly z.core.$ZodIssue[]): AppError {
  const details = zodIssuesToDetails(issues);
  const offerOnly = issues.length > 0 && issues.every((issue) => issue.path.includes('offer'));
  const first = details[0];
  const summary = first === undefined ? '' : `: ${first.path || '(body)'}: ${first.reason}`;
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  return new AppError(offerOnly ? 'INVALID_OFFER' : 'INVALID_REQUEST', `Invalid request${summary}${more}`, {
    details,
  });
}
