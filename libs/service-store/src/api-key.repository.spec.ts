import { createHash } from 'node:crypto';
import { PgApiKeyStore } from './api-key.repository';
import { openTestStore, type TestStore } from './store.fixture';

describe('PgApiKeyStore', () => {
  let store: TestStore;
  let keys: PgApiKeyStore;

  beforeAll(async () => {
    store = await openTestStore('store_keys');
    keys = store.apiKeys;
  });
  afterAll(() => store?.close());

  it('creates a t2s_ key that verifies to its record', async () => {
    const { record, key } = await keys.create('co-marketer');
    expect(key).toMatch(/^t2s_[A-Za-z0-9_-]{43}$/);
    expect(record).toEqual({
      id: expect.any(String),
      name: 'co-marketer',
      admin: false,
      createdAt: expect.any(Date),
    });
    expect(await keys.verify(key)).toEqual(record);
  });

  it('stores only the sha256 of the key and a short prefix', async () => {
    const { record, key } = await keys.create('ops', { admin: true });
    const { rows } = await store.test.client.query(`select * from ${store.schema}.api_key where id = $1`, [
      record.id,
    ]);
    const row = rows[0] as Record<string, unknown>;
    expect(row.key_hash).toEqual(createHash('sha256').update(key).digest());
    expect(row.prefix).toBe(key.slice(0, 10));
    expect(row.admin).toBe(true);
    expect(JSON.stringify(row)).not.toContain(key.slice(10));
  });

  it('returns null for a wrong or malformed key', async () => {
    const { key } = await keys.create('x');
    const wrong = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    expect(await keys.verify(wrong)).toBeNull();
    expect(await keys.verify('')).toBeNull();
    expect(await keys.verify('Bearer nonsense')).toBeNull();
  });

  it('revokes a key: it no longer verifies, and a second revoke reports false', async () => {
    const { record, key } = await keys.create('to-revoke');
    expect(await keys.revoke(record.id)).toBe(true);
    expect(await keys.verify(key)).toBeNull();
    expect(await keys.revoke(record.id)).toBe(false);
    expect(await keys.revoke('not-a-uuid')).toBe(false);
  });
});
