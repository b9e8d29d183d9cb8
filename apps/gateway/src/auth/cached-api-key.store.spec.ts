import type { ApiKeyRecord } from './api-key-store';
import { CachedApiKeyStore } from './cached-api-key.store';

const record = { id: 'k1', name: 'co-marketer', admin: false } as unknown as ApiKeyRecord;

describe('CachedApiKeyStore', () => {
  it('asks the store once per key within the TTL, again after it, and never caches a refusal', async () => {
    let now = 0;
    const asked: string[] = [];
    const store = {
      verify: async (key: string) => {
        asked.push(key);
        return key === 'good' ? record : null;
      },
    };
    const cached = new CachedApiKeyStore(store, 10_000, 1_000, () => now);
    expect(await cached.verify('good')).toBe(record);
    expect(await cached.verify('good')).toBe(record);
    expect(await cached.verify('bad')).toBeNull();
    expect(await cached.verify('bad')).toBeNull();
    now = 10_001;
    expect(await cached.verify('good')).toBe(record);
    expect(asked).toEqual(['good', 'bad', 'bad', 'good']);
  });

  it('keeps at most maxEntries keys, dropping the oldest', async () => {
    const asked: string[] = [];
    const store = { verify: async (key: string) => (asked.push(key), record) };
    const cached = new CachedApiKeyStore(store, 10_000, 2);
    for (const key of ['a', 'b', 'c', 'a']) await cached.verify(key);
    expect(asked).toEqual(['a', 'b', 'c', 'a']);
  });

  it('drops a key at once when its revocation is heard, and keeps the others', async () => {
    const other = { ...record, id: 'k2' } as ApiKeyRecord;
    const revoked = new Set<string>();
    const asked: string[] = [];
    const store = {
      verify: async (key: string) => {
        asked.push(key);
        const found = key === 'good' ? record : key === 'other' ? other : null;
        return found && !revoked.has(found.id) ? found : null;
      },
    };
    const cached = new CachedApiKeyStore(store, 10_000, 1_000, () => 0);
    expect(await cached.verify('good')).toBe(record);
    expect(await cached.verify('other')).toBe(other);
    revoked.add('k1');
    cached.forget('k1');
    expect(await cached.verify('good')).toBeNull();
    expect(await cached.verify('other')).toBe(other);
    expect(asked).toEqual(['good', 'other', 'good']);
  });

  it('does not keep an answer read before a revocation it heard meanwhile', async () => {
    let answer: (value: ApiKeyRecord | null) => void = () => undefined;
    let calls = 0;
    const store = {
      verify: (_key: string) => {
        calls++;
        return new Promise<ApiKeyRecord | null>((resolve) => (answer = resolve));
      },
    };
    const cached = new CachedApiKeyStore(store, 10_000, 1_000, () => 0);
    const inFlight = cached.verify('good');
    cached.forget('k1'); // the database already answered "active"; the announcement overtakes the answer
    answer(record);
    expect(await inFlight).toBe(record);
    const next = cached.verify('good');
    answer(null);
    expect(await next).toBeNull();
    expect(calls).toBe(2);
  });

  it('clear() sends every key back to the database', async () => {
    const asked: string[] = [];
    const store = { verify: async (key: string) => (asked.push(key), record) };
    const cached = new CachedApiKeyStore(store, 10_000, 1_000, () => 0);
    await cached.verify('a');
    await cached.verify('a');
    cached.clear();
    await cached.verify('a');
    expect(asked).toEqual(['a', 'a']);
  });
});
