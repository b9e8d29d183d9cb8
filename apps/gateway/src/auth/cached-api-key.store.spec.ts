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
});
