import {
  WEBHOOK_ID_HEADER,
  WEBHOOK_SECRET_PREFIX,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from '@t2s/contracts';
import { Webhook } from 'standardwebhooks';

/** The Standard Webhooks headers of one delivery. */
export interface WebhookSignatureHeaders {
  [WEBHOOK_ID_HEADER]: string;
  [WEBHOOK_TIMESTAMP_HEADER]: string;
  [WEBHOOK_SIGNATURE_HEADER]: string;
}

export interface SignWebhookInput {
  /** The event id: the same on every redelivery, so receivers deduplicate on it. */
  id: string;
  sentAt: Date;
  /** The exact bytes sent. */
  body: string;
  /**
   * Every secret valid now (`whsec_...`), newest first: one `v1,` signature each, space-separated, so a
   * receiver that still holds the old secret during a rotation verifies as well as one with the new.
   */
  secrets: readonly string[];
}

/**
 * Signs with `standardwebhooks` itself (the library receivers verify with), so the two cannot disagree
 * on the signed content or the encoding.
 */
export function signWebhook(input: SignWebhookInput): WebhookSignatureHeaders {
  if (input.secrets.length === 0) throw new Error('No webhook secret to sign with');
  const signatures = input.secrets.map((secret) => {
    if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new Error('A webhook secret must start with whsec_');
    return new Webhook(secret).sign(input.id, input.sentAt, input.body);
  });
  return {
    [WEBHOOK_ID_HEADER]: input.id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(Math.floor(input.sentAt.getTime() / 1000)),
    [WEBHOOK_SIGNATURE_HEADER]: signatures.join(' '),
  };
}
