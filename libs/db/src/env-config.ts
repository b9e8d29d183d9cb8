import { z } from 'zod';

// Compose files and .env files often pass `VAR=` for "not set": an empty value means the default.
const unsetIfEmpty = (value: unknown): unknown => (value === '' ? undefined : value);

/** An environment variable's schema where an empty value counts as unset. */
export const envVar = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema);

/** A comma-separated list (`a, b,,a`) as its distinct non-empty items, in order (`['a', 'b']`). */
export function commaList(value: string): string[] {
  return [
    ...new Set(
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  ];
}

export const postgresUrl = z.url({ protocol: /^postgres(ql)?$/, error: 'Must be a postgres:// URL' });

/**
 * Parses the environment once with a zod schema. On failure, every problem as `VARIABLE: reason`, so a
 * process can name all the bad variables at once.
 */
export function parseEnvironment<S extends z.ZodType>(
  schema: S,
  source: NodeJS.ProcessEnv,
): { ok: true; data: z.output<S> } | { ok: false; problems: string[] } {
  const parsed = schema.safeParse(source);
  if (parsed.success) return { ok: true, data: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
  };
}
