import { idempotencyKeySchema } from '@t2s/contracts';
import type { ApiKeyRecord } from '../auth/api-key-store';
import type { Caller } from '@t2s/segment-service';
import { parseBody } from '../validation/parse-body';
import { z } from 'zod';

const headerSchema = z.object({ 'Idempotency-Key': idempotencyKeySchema.optional() });

/** The optional Idempotency-Key header, validated (400 names the header). */
export function idempotencyKey(value: string | undefined): string | undefined {
  return parseBody(headerSchema, { 'Idempotency-Key': value })['Idempotency-Key'];
}

export function callerOf(apiKey: ApiKeyRecord): Caller {
  return { id: apiKey.id, admin: apiKey.admin };
}
