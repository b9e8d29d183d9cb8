import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  WEBHOOK_TOLERANCE_SECONDS,
  formatWebhookSignature,
  parseWebhookSignature,
  webhookSignedContent,
} from '@t2s/contracts';

/**
 * One secret, or several while a secret is being rotated: the sender signs with every one it holds
 * (one `v1=` each) and a receiver accepts a match against any one it holds, so either side can switch
 * first.
 */
export type WebhookSecrets = string | readonly string[];

/** The raw request body exactly as received; bytes avoid a decode and re-encode that could alter it. */
export type WebhookRawBody = string | Uint8Array;

export type WebhookVerificationFailure =
  'missing_header' | 'malformed_header' | 'timestamp_too_old' | 'timestamp_in_future' | 'signature_mismatch';

export type WebhookVerification = { ok: true } | { ok: false; reason: WebhookVerificationFailure };

export interface VerifyWebhookSignatureInput {
  secret: WebhookSecrets;
  /** The `T2S-Signature` header value; undefined or null when the request had none. */
  header: string | undefined | null;
  rawBody: WebhookRawBody;
  /** Defaults to the current time. */
  nowSeconds?: number;
  toleranceSeconds?: number;
}

/** The `T2S-Signature` header value for a body sent at `timestampSeconds`. */
export function signWebhookBody(secret: WebhookSecrets, timestampSeconds: number, rawBody: string): string {
  const t = Math.floor(timestampSeconds);
  return formatWebhookSignature(
    t,
    secretList(secret).map((s) => hmacHex(s, t, rawBody)),
  );
}

/**
 * What a receiver runs before trusting a delivery. The timestamp is checked before the HMAC: it is
 * signed, so a replayed request cannot move it, and an old capture is refused however valid its MAC.
 */
export function verifyWebhookSignature(input: VerifyWebhookSignatureInput): WebhookVerification {
  if (!input.header) return { ok: false, reason: 'missing_header' };
  const parsed = parseWebhookSignature(input.header);
  if (parsed === null) return { ok: false, reason: 'malformed_header' };

  const now = Math.floor(input.nowSeconds ?? Date.now() / 1000);
  const tolerance = input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  if (parsed.timestamp < now - tolerance) return { ok: false, reason: 'timestamp_too_old' };
  if (parsed.timestamp > now + tolerance) return { ok: false, reason: 'timestamp_in_future' };

  const received = parsed.signatures.map((hex) => Buffer.from(hex, 'hex'));
  for (const secret of secretList(input.secret)) {
    const expected = hmac(secret, parsed.timestamp, input.rawBody);
    // Every pair is compared, match or not, so the time taken says nothing about which one matched.
    let match = false;
    for (const candidate of received) match = timingSafeEqual(expected, candidate) || match;
    if (match) return { ok: true };
  }
  return { ok: false, reason: 'signature_mismatch' };
}

function secretList(secret: WebhookSecrets): readonly string[] {
  const list = typeof secret === 'string' ? [secret] : secret;
  if (list.length === 0 || list.some((s) => s.length === 0)) {
    throw new Error('A webhook secret must be a non-empty string');
  }
  return list;
}

function hmacHex(secret: string, timestampSeconds: number, rawBody: string): string {
  return hmac(secret, timestampSeconds, rawBody).toString('hex');
}

function hmac(secret: string, timestampSeconds: number, rawBody: WebhookRawBody): Buffer {
  const mac = createHmac('sha256', secret);
  if (typeof rawBody === 'string')
    return mac.update(webhookSignedContent(timestampSeconds, rawBody)).digest();
  // Same bytes as webhookSignedContent, without decoding a body that may not be valid UTF-8.
  return mac.update(webhookSignedContent(timestampSeconds, '')).update(rawBody).digest();
}
