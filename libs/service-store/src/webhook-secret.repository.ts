import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { isUuid, storeTables, type StoreTables } from './store-tables';
import { withTransaction } from './transaction';

/**
 * One webhook signing secret of an API key, as stored: sealed bytes only. Sealing and opening belong to
 * @t2s/webhooks, which holds the master key; this table never sees a secret in clear.
 */
export interface WebhookSecretRow {
  id: string;
  apiKeyId: string;
  sealed: Buffer;
  createdAt: Date;
  /** Null for the current secret; set on the ones a rotation replaced (the end of their rollover). */
  expiresAt: Date | null;
}

export interface WebhookSecretRotation {
  secret: WebhookSecretRow;
  /** When the secrets it replaced stop being used for signing; null when the key had none. */
  previousExpiresAt: Date | null;
}

interface Row {
  id: string;
  api_key_id: string;
  sealed: Buffer;
  created_at: Date;
  expires_at: Date | null;
}

const COLUMNS = 'id, api_key_id, sealed, created_at, expires_at';

const toRecord = (row: Row): WebhookSecretRow => ({
  id: row.id,
  apiKeyId: row.api_key_id,
  sealed: row.sealed,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

/**
 * The webhook secrets of each API key. A key has at most one current secret (no expiry) and, after a
 * rotation, the replaced ones until their rollover window ends; the worker signs with all of them.
 */
export class WebhookSecretRepository {
  private readonly t: StoreTables;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = storeTables(schema);
  }

  /**
   * Makes `seal(newId)` the key's current secret; the secrets still valid get an expiry at most
   * `previousValidMs` from now (an earlier expiry is kept: rotating twice never extends an old secret).
   * `seal` gets the new row's id before anything is written, so the caller can bind the ciphertext to it.
   * Returns null, writing nothing, for an unknown or revoked API key. Rows expired for good are deleted.
   * The key's row is locked for the transaction, so two concurrent rotations run one after the other.
   */
  async rotate(
    apiKeyId: string,
    seal: (secretId: string) => Buffer,
    previousValidMs: number,
  ): Promise<WebhookSecretRotation | null> {
    if (!isUuid(apiKeyId)) return null;
    return withTransaction(this.pool, async (client) => {
      const key = await client.query(
        `select id from ${this.t.apiKey} where id = $1 and revoked_at is null for update`,
        [apiKeyId],
      );
      if (key.rowCount !== 1) return null;
      await client.query(
        `delete from ${this.t.webhookSecret} where api_key_id = $1 and expires_at <= now()`,
        [apiKeyId],
      );
      const expired = await client.query<{ expires_at: Date }>(
        `update ${this.t.webhookSecret}
            set expires_at = least(coalesce(expires_at, 'infinity'), now() + $2 * interval '1 millisecond')
          where api_key_id = $1
          returning expires_at`,
        [apiKeyId, Math.max(0, Math.round(previousValidMs))],
      );
      const id = randomUUID();
      const { rows } = await client.query<Row>(
        `insert into ${this.t.webhookSecret} (id, api_key_id, sealed) values ($1, $2, $3) returning ${COLUMNS}`,
        [id, apiKeyId, seal(id)],
      );
      const previous = expired.rows.map((r) => r.expires_at.getTime());
      return {
        secret: toRecord(rows[0] as Row),
        previousExpiresAt: previous.length === 0 ? null : new Date(Math.max(...previous)),
      };
    });
  }

  /** The secrets to sign with now, newest first; empty for a key without one (or revoked). */
  async active(apiKeyId: string): Promise<WebhookSecretRow[]> {
    if (!isUuid(apiKeyId)) return [];
    const { rows } = await this.pool.query<Row>(
      `select ${COLUMNS} from ${this.t.webhookSecret}
        where api_key_id = $1 and (expires_at is null or expires_at > now())
          and exists (select 1 from ${this.t.apiKey} where id = $1 and revoked_at is null)
        order by created_at desc, id`,
      [apiKeyId],
    );
    return rows.map(toRecord);
  }
}
