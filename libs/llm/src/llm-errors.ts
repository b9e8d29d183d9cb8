import { AppError } from '@t2s/contracts';

/** An LLM call's failure; `retryAfterMs` when the provider said how long to wait (429, 503). */
export class LlmCallError extends AppError {
  constructor(
    code: 'LLM_TIMEOUT' | 'LLM_UNAVAILABLE' | 'LLM_BAD_OUTPUT' | 'LLM_REFUSED' | 'BUDGET_EXCEEDED',
    message: string,
    readonly retryAfterMs?: number,
    cause?: unknown,
  ) {
    super(code, message, cause === undefined ? {} : { cause });
  }
}

/**
 * A provider client's error as one of ours: timeouts, rate limits, overload and unreachable servers are
 * retryable (`LLM_TIMEOUT`, `LLM_UNAVAILABLE`); the message never carries the prompt.
 */
export function classifyLlmError(error: unknown, backend: string): LlmCallError {
  if (error instanceof LlmCallError) return error;
  const e = (error ?? {}) as {
    name?: string;
    status?: number;
    message?: string;
    headers?: unknown;
    code?: string;
  };
  const status = typeof e.status === 'number' ? e.status : undefined;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || /timed? ?out/i.test(e.message ?? '')) {
    return new LlmCallError('LLM_TIMEOUT', `${backend}: no answer in time`, undefined, error);
  }
  if (status !== undefined) {
    const retryAfter = retryAfterMs(e.headers);
    const what =
      status === 429 ? 'rate limited' : status >= 500 ? 'overloaded or failing' : 'refused the call';
    return new LlmCallError('LLM_UNAVAILABLE', `${backend}: ${what} (HTTP ${status})`, retryAfter, error);
  }
  return new LlmCallError(
    'LLM_UNAVAILABLE',
    `${backend}: unreachable (${e.code ?? e.name ?? 'error'})`,
    undefined,
    error,
  );
}

/** `Retry-After` in seconds or as an HTTP date, from a Headers object or a plain record. */
function retryAfterMs(headers: unknown): number | undefined {
  const value =
    headers && typeof (headers as Headers).get === 'function'
      ? (headers as Headers).get('retry-after')
      : ((headers as Record<string, string> | undefined)?.['retry-after'] ?? null);
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
