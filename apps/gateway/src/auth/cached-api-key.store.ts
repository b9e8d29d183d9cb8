import { createHash } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyVerifier } from './api-key-store';

/**
 * How long an accepted key is remembered. Revocations are announced over Redis and dropped at once
 * (`forget`); this is the bound only while that subscription is down.
 */
export const API_KEY_CACHE_TTL_MS = 10_000;

/**
 * Remembers keys the store accepted for a few seconds, so a busy client's requests do not each cost a
 * database round trip. Only acceptances are cached (a new key works at once). A revoked key is dropped
 * when its revocation is heard (`forget`), and in any case after `ttlMs`. Entries are keyed by the key's
 * SHA-256, never the key itself.
 */
export class CachedApiKeyStore implements ApiKeyVerifier {
  private readonly accepted = new Map<string, { record: ApiKeyRecord; until: number }>();
  // Bumped by every forget/clear: a lookup that began before one must not cache what it read.
  private generation = 0;

  constructor(
    private readonly store: ApiKeyVerifier,
    private readonly ttlMs = API_KEY_CACHE_TTL_MS,
    private readonly maxEntries = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  async verify(key: string): Promise<ApiKeyRecord | null> {
    const id = createHash('sha256').update(key).digest('hex');
    const cached = this.accepted.get(id);
    if (cached && cached.until > this.now()) return cached.record;
    this.accepted.delete(id);
    const generation = this.generation;
    const record = await this.store.verify(key);
    // A revocation heard while the database answered: the answer may predate it, so it is not kept.
    if (record === null || generation !== this.generation) return record;
    // Oldest first out: a Map iterates in insertion order.
    if (this.accepted.size >= this.maxEntries)
      this.accepted.delete(this.accepted.keys().next().value as string);
    this.accepted.set(id, { record, until: this.now() + this.ttlMs });
    return record;
  }

  /** Drops the key with this id (a revocation was announced): its next request goes to the database. */
  forget(keyId: string): void {
    this.generation++;
    for (const [hash, entry] of this.accepted) if (entry.record.id === keyId) this.accepted.delete(hash);
  }

  /** Drops every key (revocations may have been missed while the announcements were not heard). */
  clear(): void {
    this.generation++;
    this.accepted.clear();
  }
}
