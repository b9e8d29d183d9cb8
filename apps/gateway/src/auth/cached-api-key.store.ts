import { createHash } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyVerifier } from './api-key-store';

/**
 * Remembers keys the store accepted for a few seconds, so a busy client's requests do not each cost a
 * database round trip. Only acceptances are cached (a new key works at once); a revoked key keeps
 * working for at most `ttlMs`. Entries are keyed by the key's SHA-256, never the key itself.
 */
export class CachedApiKeyStore implements ApiKeyVerifier {
  private readonly accepted = new Map<string, { record: ApiKeyRecord; until: number }>();

  constructor(
    private readonly store: ApiKeyVerifier,
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  async verify(key: string): Promise<ApiKeyRecord | null> {
    const id = createHash('sha256').update(key).digest('hex');
    const cached = this.accepted.get(id);
    if (cached && cached.until > this.now()) return cached.record;
    this.accepted.delete(id);
    const record = await this.store.verify(key);
    if (record === null) return null;
    // Oldest first out: a Map iterates in insertion order.
    if (this.accepted.size >= this.maxEntries)
      this.accepted.delete(this.accepted.keys().next().value as string);
    this.accepted.set(id, { record, until: this.now() + this.ttlMs });
    return record;
  }
}
