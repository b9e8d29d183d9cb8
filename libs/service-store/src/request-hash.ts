import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/**
 * sha256 (hex) of a parsed request in canonical JSON (keys sorted, undefined dropped), for idempotency:
 * the same body sent with its keys in another order, or with defaults spelt out, hashes the same.
 */
export function hashRequest(request: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(request)), 'utf8')
    .digest('hex');
}
