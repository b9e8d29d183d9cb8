import { assertPlainName } from '@t2s/db';

/**
 * How every t2s command behaves at its edges: progress goes to stderr, results to stdout, and a
 * failure ends the process with a one-line reason and a non-zero exit code.
 */
export class UsageError extends Error {}

export function progress(message: string): void {
  process.stderr.write(`t2s: ${message}\n`);
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim() || 'unknown error';
}

/** Wraps a command action: exit 2 on bad input (UsageError), 1 on any other failure. */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<unknown>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      process.stderr.write(`t2s: error: ${oneLine(error)}\n`);
      process.exitCode = error instanceof UsageError ? 2 : 1;
    }
  };
}

/** Parses a positive integer option, or throws a UsageError naming the option. */
export function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new UsageError(`${name} must be a positive integer, got "${raw}"`);
  }
  return Number(raw);
}

/** `fn()`, with what it throws turned into the operator's input error (exit 2), after `label: ` if given. */
export function asUsageError<T>(fn: () => T, label?: string): T {
  try {
    return fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(label === undefined ? message : `${label}: ${message}`);
  }
}

/** Checks a schema or role name given on the command line. */
export function plainName(option: string, value: string): string {
  return asUsageError(() => assertPlainName(option, value));
}

/** Parses `--schema a,b`: at least one plain name, duplicates dropped. */
export function parseSchemas(raw: string): string[] {
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError('--schema needs at least one schema name');
  return [...new Set(names.map((name) => plainName('--schema', name)))];
}
