import { SpanKind } from '@opentelemetry/api';
import { inSpan, markFailed, traceHeaders } from '@t2s/telemetry';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { WebhookEventRecord } from '@t2s/service-store';
import { signWebhook } from './signature';
import {
  systemResolver,
  WebhookResolveError,
  WebhookTargetPolicy,
  type ResolvedAddress,
  type WebhookResolver,
} from './webhook-target';

export const WEBHOOK_USER_AGENT = 't2s-webhooks/2';

export interface DeliverOptions {
  /** Every secret valid now for the event's API key, newest first (`WebhookSecretVault.signingSecrets`). */
  secrets: readonly string[];
  /** Covers resolving, connecting and the response headers; the body is never read. */
  timeoutMs: number;
  /** Where webhooks may go; default: no allow-list, every internal target refused. */
  targets?: WebhookTargetPolicy;
  /** DNS for the target's host name; tests inject their own answers. */
  resolver?: WebhookResolver;
  /** For the signature's timestamp. */
  clock?: () => Date;
  userAgent?: string;
}

/** One attempt's outcome: a status code when the receiver answered, an error text when it did not. */
export interface DeliveryResult {
  statusCode?: number;
  error?: string;
  /**
   * Refused before any connection: the target is, or its name resolved to, an address webhooks may not
   * reach. Permanent for the event: retrying would only ask DNS again for the same internal address.
   */
  refused?: boolean;
  durationMs: number;
}

export function isDelivered(result: DeliveryResult): boolean {
  return result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300;
}

const DEFAULT_POLICY = new WebhookTargetPolicy();

/**
 * POSTs the stored event once. Never throws for the receiver's faults (refused, reset, timed out, bad
 * URL, unresolvable name): they come back as `error`, so the caller records the attempt either way.
 *
 * The target is checked first (WebhookTargetPolicy.resolve: the URL, then every address the name
 * resolves to), and the connection goes to the address that was checked: the request's `lookup`
 * answers with it instead of asking DNS again, so a name rebound to 127.0.0.1 between the check and the
 * connection is never followed. TLS still verifies the certificate against the host name.
 *
 * Redirects are not followed: a signed POST replayed to a place the receiver chose is not what the client
 * registered (and could point inside the network); a 3xx is recorded, with its Location, as a failure.
 * Each attempt is signed at send time, so a retry 10 minutes later still falls inside the receiver's
 * replay tolerance; the id signed is the event id, the same on every attempt.
 */
export function deliverWebhookEvent(
  event: WebhookEventRecord,
  options: DeliverOptions,
): Promise<DeliveryResult> {
  // The event id and the receiver's host only: a URL's path or query can hold the receiver's token.
  const attributes = { 't2s.webhook.event_id': event.id, 'server.address': hostOf(event.url) };
  return inSpan(
    'webhook.deliver',
    attributes,
    async (span) => {
      const result = await deliver(event, options);
      if (result.statusCode !== undefined) span.setAttribute('http.response.status_code', result.statusCode);
      if (!isDelivered(result)) markFailed(span, result.refused ? 'WEBHOOK_REFUSED' : 'WEBHOOK_FAILED');
      return result;
    },
    SpanKind.CLIENT,
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

async function deliver(event: WebhookEventRecord, options: DeliverOptions): Promise<DeliveryResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const signal = AbortSignal.timeout(options.timeoutMs);
  const timedOut = () => ({ error: `timed out after ${options.timeoutMs} ms`, durationMs: elapsed() });

  const policy = options.targets ?? DEFAULT_POLICY;
  let target: Awaited<ReturnType<WebhookTargetPolicy['resolve']>>;
  try {
    target = await untilAborted(policy.resolve(event.url, options.resolver ?? systemResolver), signal);
  } catch (error) {
    if (signal.aborted) return timedOut();
    if (error instanceof WebhookResolveError) return { error: error.message, durationMs: elapsed() };
    throw error;
  }
  if (!target.ok) return { refused: true, error: `refused: ${target.reason}`, durationMs: elapsed() };

  const body = JSON.stringify(event.body);
  const sentAt = (options.clock ?? (() => new Date()))();
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': options.userAgent ?? WEBHOOK_USER_AGENT,
    // The segment's trace goes on to the receiver (W3C traceparent), as any traced HTTP call does.
    ...traceHeaders(),
    ...signWebhook({ id: event.id, sentAt, body, secrets: options.secrets }),
  };
  try {
    const { statusCode, location } = await post(target.url, target.address, headers, body, signal);
    const durationMs = elapsed();
    if (statusCode >= 300 && statusCode < 400) {
      return { statusCode, error: `redirect${location ? ` to ${location}` : ''} not followed`, durationMs };
    }
    return { statusCode, durationMs };
  } catch (error) {
    if (signal.aborted) return timedOut();
    return { error: describeError(error), durationMs: elapsed() };
  }
}

/** One POST to `address`, whatever the URL's host name resolves to by now; resolves on the status line. */
function post(
  url: URL,
  address: ResolvedAddress,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<{ statusCode: number; location: string | undefined }> {
  // Called by net.connect instead of dns.lookup, for host names only (an IP literal needs no lookup).
  const pinned = ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, [{ address: address.address, family: address.family }]);
    else callback(null, address.address, address.family);
  }) as unknown as LookupFunction;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      // No agent: a fresh connection each time, never a pooled socket opened for an earlier answer.
      { method: 'POST', headers, agent: false, lookup: pinned, signal },
      (response) => {
        const location = response.headers.location;
        // The answer's body means nothing to us: drop the connection instead of reading it.
        response.destroy();
        resolve({ statusCode: response.statusCode ?? 0, location });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Duck-typed: errors may come from another realm (Jest's VM context), where `instanceof Error` is false. */
function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as { message?: unknown; code?: unknown };
  if (typeof e.message === 'string' && e.message !== '') return e.message;
  return typeof e.code === 'string' ? e.code : String(error);
}
