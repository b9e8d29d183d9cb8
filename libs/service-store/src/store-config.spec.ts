import { loadStoreConfig } from './store-config';

describe('loadStoreConfig', () => {
  it('defaults to the embedded database and the t2s schema', () => {
    expect(loadStoreConfig({})).toEqual({ databaseUrl: undefined, schema: 't2s', poolMax: 10 });
    expect(loadStoreConfig({ SERVICE_DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('reads the URL, schema and pool size', () => {
    const env = {
      SERVICE_DATABASE_URL: 'postgres://t2s:secret@db:5432/t2s',
      SERVICE_DATABASE_SCHEMA: 'svc',
      SERVICE_DATABASE_POOL_MAX: '20',
    };
    expect(loadStoreConfig(env)).toEqual({
      databaseUrl: env.SERVICE_DATABASE_URL,
      schema: 'svc',
      poolMax: 20,
    });
  });

  it('names the variable of a bad value', () => {
    expect(() => loadStoreConfig({ SERVICE_DATABASE_URL: 'http://x' })).toThrow(/SERVICE_DATABASE_URL/);
    expect(() => loadStoreConfig({ SERVICE_DATABASE_SCHEMA: 'a-b' })).toThrow(/SERVICE_DATABASE_SCHEMA/);
  });
});
