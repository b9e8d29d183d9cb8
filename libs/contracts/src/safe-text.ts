import { z } from './zod-openapi';

/**
 * A JSON (and JavaScript) string can hold two things PostgreSQL cannot store, and every string a client
 * sends ends up in the service database (the request, a revision, an audit row): NUL, which `text`
 * refuses as a byte and `jsonb` as the `\u0000` escape, and a lone UTF-16 surrogate (`"\ud800"` with no
 * pair), which is not a Unicode character: `jsonb` refuses its escape and the driver would write U+FFFD
 * into a `text` column instead. Refused at the contract, a client gets a 400 naming the field rather
 * than a 500 from the database after validation passed.
 */
export const UNSAFE_TEXT_REASONS = {
  nul: 'Must not contain the NUL character (U+0000)',
  surrogate: 'Must not contain a lone UTF-16 surrogate (U+D800 to U+DFFF without its pair)',
} as const;

// In `u` mode a well-formed surrogate pair is read as one astral code point, so only a lone half is in
// the Cs (surrogate) category.
const LONE_SURROGATE = /\p{Cs}/u;

/** Why PostgreSQL could not store this text, or null when it can. */
export function unsafeTextReason(value: string): string | null {
  if (value.includes('\u0000')) return UNSAFE_TEXT_REASONS.nul;
  if (LONE_SURROGATE.test(value)) return UNSAFE_TEXT_REASONS.surrogate;
  return null;
}

/**
 * The check itself, for string schemas of another kind (`z.url().check(safeTextCheck)`); a custom issue
 * on the field, so the 400's `details[].path` names it.
 */
export const safeTextCheck = z.superRefine<string>((value, ctx) => {
  const reason = unsafeTextReason(value);
  if (reason !== null) ctx.addIssue({ code: 'custom', message: reason });
});

/**
 * `z.string()` for every string a client sends (request bodies, query strings): chain the rest as usual,
 * `safeText().trim().min(1).max(300)`. Formats that cannot hold either character anyway (UUIDs, ISO
 * dates, enums, the ASCII patterns of warehouse names and idempotency keys) need not use it;
 * `safe-text.spec.ts` checks every string a route accepts, whatever its schema.
 */
export function safeText(): z.ZodString {
  return z.string().check(safeTextCheck);
}
