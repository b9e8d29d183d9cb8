import { z } from './zod-openapi';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/**
 * Same key and same (parsed) body: the first answer again, no new run. Same key, other body: 409
 * IDEMPOTENCY_CONFLICT. Printable ASCII only, since the key is stored and compared byte for byte.
 */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'Must be printable ASCII without spaces')
  .openapi({
    param: {
      description:
        'Makes a retried POST safe: the same key with the same body returns the first answer; ' +
        'with a different body, 409 IDEMPOTENCY_CONFLICT. Use a fresh UUID per logical request.',
      example: '6f1c2a9e-8d3b-4c57-9a0e-2b7d4e5f6a81',
    },
  });

export const idempotencyHeadersSchema = z.object({
  [IDEMPOTENCY_KEY_HEADER]: idempotencyKeySchema.optional(),
});
