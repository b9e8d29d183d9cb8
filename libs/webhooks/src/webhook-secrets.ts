import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { WEBHOOK_SECRET_PREFIX } from '@t2s/contracts';
import type { WebhookSecretRepository } from '@t2s/service-store';

/** How long a replaced secret keeps signing after a rotation unless configured otherwise. */
export const DEFAULT_WEBHOOK_SECRET_ROLLOVER_MS = 24 * 3600 * 1000;

/** 32 random bytes, base64, behind Standard Webhooks' `whsec_` prefix. */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Whose secret a sealed value is: the ciphertext only opens for the same key and row. */
export interface SecretBinding {
  apiKeyId: string;
  secretId: string;
}

/**
 * Seals webhook secrets for the service database: AES-256-GCM under a key derived (HKDF-SHA256) from
 * the deployment's master key, WEBHOOK_SECRET. The API key and row ids are the additional authenticated
 * data, so a sealed secret copied onto another key's row does not open. Layout: version byte, IV, tag,
 * ciphertext.
 *
 * Why sealed rather than hashed or in clear: the worker needs the secret itself for the HMAC, so it
 * cannot be hashed like API keys; in clear, anyone who reads the database (a backup, a replica, a
 * support query) could sign deliveries that every receiver would trust.
 */
export class WebhookSecretCipher {
  private readonly key: Buffer;

  constructor(masterKey: string) {
    if (masterKey.length < 16) throw new Error('The webhook master key must be at least 16 characters');
    this.key = Buffer.from(hkdfSync('sha256', masterKey, 't2s', 'webhook-secret aes-256-gcm v1', 32));
  }

  seal(secret: string, binding: SecretBinding): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(aad(binding));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Throws WebhookSecretUnreadable when the master key, the binding or the bytes differ. */
  open(sealed: Buffer, binding: SecretBinding): string {
    if (sealed.length <= 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_V1) {
      throw new WebhookSecretUnreadable(binding);
    }
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv).setAAD(aad(binding));
      decipher.setAuthTag(tag);
      const clear = Buffer.concat([
        decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
      return clear.toString('utf8');
    } catch {
      throw new WebhookSecretUnreadable(binding);
    }
  }
}

export class WebhookSecretUnreadable extends Error {
  override readonly name = 'WebhookSecretUnreadable';
  constructor(binding: SecretBinding) {
    super(
      `webhook secret ${binding.secretId} of API key ${binding.apiKeyId} does not open: ` +
        'WEBHOOK_SECRET is not the master key it was sealed with',
    );
  }
}

function aad(binding: SecretBinding): Buffer {
  return Buffer.from(`t2s-webhook-secret:${binding.apiKeyId}:${binding.secretId}`, 'utf8');
}

export interface IssuedWebhookSecret {
  apiKeyId: string;
  /** In clear: shown to the client once, never stored so. */
  secret: string;
  createdAt: Date;
  /** When the replaced secrets stop signing; null when the key had none. */
  previousExpiresAt: Date | null;
}

export interface WebhookSecretVaultOptions {
  /** The longest (and default) time a replaced secret keeps signing. */
  rolloverMs?: number;
}

/**
 * Each API key's webhook secrets: issued at key creation, rotated on request, and what the worker signs
 * with. The gateway, the CLI and the webhook worker build one over the same table and master key.
 */
export class WebhookSecretVault {
  readonly rolloverMs: number;

  constructor(
    private readonly secrets: Pick<WebhookSecretRepository, 'rotate' | 'active'>,
    private readonly cipher: WebhookSecretCipher,
    options: WebhookSecretVaultOptions = {},
  ) {
    this.rolloverMs = options.rolloverMs ?? DEFAULT_WEBHOOK_SECRET_ROLLOVER_MS;
  }

  /**
   * A new current secret for the key. The ones it replaces keep signing for `previousValidMs` (at most,
   * and by default, the rollover window; 0 retires them now). Null for an unknown or revoked key. Also
   * how a key created without one (before per-key secrets) gets its first.
   */
  async rotate(
    apiKeyId: string,
    options: { previousValidMs?: number } = {},
  ): Promise<IssuedWebhookSecret | null> {
    const secret = generateWebhookSecret();
    const previousValidMs = Math.min(options.previousValidMs ?? this.rolloverMs, this.rolloverMs);
    const rotated = await this.secrets.rotate(
      apiKeyId,
      (secretId) => this.cipher.seal(secret, { apiKeyId, secretId }),
      previousValidMs,
    );
    if (rotated === null) return null;
    return {
      apiKeyId,
      secret,
      createdAt: rotated.secret.createdAt,
      previousExpiresAt: rotated.previousExpiresAt,
    };
  }

  /** The secrets to sign the key's deliveries with now, newest first; empty when it has none. */
  async signingSecrets(apiKeyId: string): Promise<string[]> {
    const rows = await this.secrets.active(apiKeyId);
    return rows.map((row) => this.cipher.open(row.sealed, { apiKeyId, secretId: row.id }));
  }
}
