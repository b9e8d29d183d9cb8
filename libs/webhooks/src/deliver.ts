import { performance } from 'node:perf_hooks';
import { WEBHOOK_EVENT_ID_HEADER, WEBHOOK_SIGNATURE_HEADER } from '@t2s/contracts';
import type { WebhookEventRecord } from '@t2s/service-store';
import { signWebhookBody, type WebhookSecrets } from './signature';

export const WEBHOOK_USER_AGENT = 't2s-webhooks/1';

export interface DeliverOptions {
  secret: WebhookSecrets;
  /** Covers connecting and the response headers; the body is never read. */
  timeoutMs: number;
  fetch?: typeof fetch;
  /** For the signature's timestamp. */
  clock?: () => Date;
  userAgent?: string;
}

/** One attempt's outcome: a status code when the receiver answered, an error text when it did not. */
export interface DeliveryResult {
  statusCode?: number;
  error?: string;
  durationMs: number;
}

export function isDelivered(result: DeliveryResult): boolean {
  return result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
}

/**
 * POSTs the stored event once. Never throws for the receiver's faults (refused, reset, timed out, bad
 * URL): they come back as `error`, so the caller records the attempt either way. Redirects are not
 * followed: a signed POST replayed to a place the receiver chose is not what the client registered, and
 * a 3xx is recorded (with its Location) as a failed attempt.
 *
 * Each attempt is signed at send time, not at event creation: a retry 10 minutes later must still fall
 * inside the receiver's replay tolerance.
 */
export async function deliverWebhookEvent(
  event: WebhookEventRecord,
  options: DeliverOptions,
): Promise<DeliveryResult> {
  const body = JSON.stringify(event.body);
  const sentAt = (options.clock ?? (() => new Date()))();
  const signature = signWebhookBody(options.secret, Math.floor(sentAt.getTime() / 1000), body);
  const doFetch = options.fetch ?? fetch;
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  try {
    const response = await doFetch(event.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': options.userAgent ?? WEBHOOK_USER_AGENT,
        [WEBHOOK_SIGNATURE_HEADER]: signature,
        [WEBHOOK_EVENT_ID_HEADER]: event.id,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const durationMs = elapsed();
    // The answer's body means nothing to us; dropping it frees the connection without buffering it.
    await response.body?.cancel().catch(() => undefined);
    const statusCode = response.status;
    if (statusCode >= 300 && statusCode < 400) {
      const location = response.headers.get('location');
      return { statusCode, error: `redirect${location ? ` to ${location}` : ''} not followed`, durationMs };
    }
    return { statusCode, durationMs };
  } catch (error) {
    return { error: describeFetchError(error, options.timeoutMs), durationMs: elapsed() };
  }
}

/**
 * fetch reports most network faults as `TypeError: fetch failed` with the useful part (`connect
 * ECONNREFUSED ...`) in `cause`. Duck-typed: the errors may come from another realm (Jest's VM context),
 * where `instanceof Error` is false.
 */
function describeFetchError(error: unknown, timeoutMs: number): string {
  const e = asErrorLike(error);
  if (e === undefined) return String(error);
  if (e.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  const cause = asErrorLike(e.cause);
  const detail = cause ? cause.message || cause.code : undefined;
  return detail ? `${e.message}: ${detail}` : e.message;
}

interface ErrorLike {
  name: string;
  message: string;
  code?: string;
  cause?: unknown;
}

function asErrorLike(value: unknown): ErrorLike | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  // Read one by one: an Error's message and cause are own but not enumerable, so a spread drops them.
  const v = value as Partial<ErrorLike>;
  if (typeof v.message !== 'string') return undefined;
  const code = typeof v.code === 'string' ? v.code : undefined;
  return { name: String(v.name ?? 'Error'), message: v.message, code, cause: v.cause };
}
