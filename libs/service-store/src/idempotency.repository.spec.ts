import { AppError } from '@t2s/contracts';
import { openTestStore, type TestStore } from './store.fixture';

describe('IdempotencyRepository', () => {
  let store: TestStore;
  let apiKeyId: string;

  beforeAll(async () => {
    store = await openTestStore('store_idem');
    apiKeyId = (await store.apiKeys.create('idem')).record.id;
  });
  afterAll(() => store?.close());

  const ref = (key: string, scope = 'rerun:s1') => ({ apiKeyId, scope, key });

  it('acts once and replays the stored answer for the same request', async () => {
    let calls = 0;
    const act = async () => ({ n: ++calls });
    expect(await store.idempotency.once(ref('k1'), 'h', act)).toEqual({ n: 1 });
    expect(await store.idempotency.once(ref('k1'), 'h', act)).toEqual({ n: 1 });
    expect(calls).toBe(1);
    // The same key in another scope is another request.
    expect(await store.idempotency.once(ref('k1', 'batch'), 'h', act)).toEqual({ n: 2 });
  });

  it('refuses the key with another request body, and while the first is in flight', async () => {
    await store.idempotency.once(ref('k2'), 'h1', async () => 'done');
    await expect(store.idempotency.once(ref('k2'), 'h2', async () => 'other')).rejects.toMatchObject({
      code: 'IDEMPOTENCY_CONFLICT',
    });

    await store.idempotency.claim(ref('k3'), 'h');
    const second = store.idempotency.once(ref('k3'), 'h', async () => 'twice');
    await expect(second).rejects.toBeInstanceOf(AppError);
    await expect(second).rejects.toThrow(/still being processed/);
  });

  it('releases the key when the action fails, so a retry runs it', async () => {
    await expect(
      store.idempotency.once(ref('k4'), 'h', async () => {
        throw new Error('warehouse down');
      }),
    ).rejects.toThrow('warehouse down');
    expect(await store.idempotency.once(ref('k4'), 'h', async () => 'second try')).toBe('second try');
  });

  it('runs without a key every time', async () => {
    let calls = 0;
    await store.idempotency.once(null, 'h', async () => ++calls);
    await store.idempotency.once(null, 'h', async () => ++calls);
    expect(calls).toBe(2);
  });
});
