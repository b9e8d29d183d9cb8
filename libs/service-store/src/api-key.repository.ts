import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { isUuid, storeTables } from './store-tables';

/**
 * The contract the gateway authenticates against (implemented in this file by the store engineer).
 * Keys are random secrets shown once at creation; only their SHA-256 is stored.
 */
export interface ApiKeyRecord {
  id: string;
  name: string;
  /** Admin keys may use ops endpoints (bull-board) and read every segment. */
  admin: boolean;
  createdAt: Date;
}

export interface ApiKeyStore {
  /** Creates a key; returns its record and the plaintext key (the only time it exists). */
  create(name: string, options?: { admin?: boolean }): Promise<{ record: ApiKeyRecord; key: string }>;
  /** The key's record if it exists and is not revoked, else null. Constant-time with respect to the key. */
  verify(key: string): Promise<ApiKeyRecord | null>;
  revoke(id: string): Promise<boolean>;
}

export const API_KEY_PREFIX = 't2s_';
/** Characters of the key kept in clear (`t2s_` + 6), so ops can tell keys apart in the table. */
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 6;
// A key is `t2s_` + base64url of 32 bytes (43 chars); anything else is refused before hashing.
const KEY_SHAPE = /^t2s_[A-Za-z0-9_-]{43}$/;

interface ApiKeyRow {
  id: string;
  name: string;
  admin: boolean;
  created_at: Date;
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return { id: row.id, name: row.name, admin: row.admin, createdAt: row.created_at };
}

function keyHash(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/**
 * Keys have 256 bits of entropy, so a plain SHA-256 (not a slow password hash) is enough, and it lets
 * `verify` look the key up by its hash: the timing of an index lookup on a hash tells an attacker
 * nothing about the key itself, which is the constant-time property that matters.
 */
export class PgApiKeyStore implements ApiKeyStore {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = storeTables(schema).apiKey;
  }

  async create(
    name: string,
    options: { admin?: boolean } = {},
  ): Promise<{ record: ApiKeyRecord; key: string }> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 200)
      throw new Error('API key name must be 1-200 characters');
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const { rows } = await this.pool.query<ApiKeyRow>(
      `insert into ${this.table} (name, key_hash, prefix, admin) values ($1, $2, $3, $4)
       returning id, name, admin, created_at`,
      [trimmed, keyHash(key), key.slice(0, SHOWN_PREFIX_LENGTH), options.admin ?? false],
    );
    return { record: toRecord(rows[0] as ApiKeyRow), key };
  }

  async verify(key: string): Promise<ApiKeyRecord | null> {
    if (!KEY_SHAPE.test(key)) return null;
    const { rows } = await this.pool.query<ApiKeyRow>(
      `select id, name, admin, created_at from ${this.table} where key_hash = $1 and revoked_at is null`,
      [keyHash(key)],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** True when this call revoked the key; false for an unknown or already revoked id. */
  async revoke(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { rowCount } = await this.pool.query(
      `update ${this.table} set revoked_at = now() where id = $1 and revoked_at is null`,
      [id],
    );
    return rowCount === 1;
  }
}
