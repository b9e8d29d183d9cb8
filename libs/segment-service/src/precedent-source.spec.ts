import { loadCatalogSnapshot } from '@t2s/catalog/testing';
import type { Offer } from '@t2s/contracts';
import { isMapped } from '@t2s/precedents';
import { findSemanticModelFile, SemanticModel } from '@t2s/semantic';
import { openTestStore, type TestStore } from '@t2s/service-store/testing';
import { PrecedentSource } from './precedent-source';

describe('PrecedentSource', () => {
  let store: TestStore;
  const catalog = loadCatalogSnapshot('bank');
  const model = new SemanticModel(findSemanticModelFile('bank')!, catalog, 'bank');
  const offer: Offer = { campaignId: 'CMP-1', product: { type: 'deposit' }, title: 'Вклад', channel: 'SMS' };

  beforeAll(async () => {
    store = await openTestStore('precedent_source');
  });
  afterAll(() => store?.close());

  /** Stores a precedent as an approval leaves it: its SQL not read yet. */
  async function unread(campaign: string, sql: string): Promise<string> {
    const [row] = await store.precedents.importMany([
      { warehouse: 'bank', campaign, offer, sql, criteria: [], coverage: 0 },
    ]);
    await store.pool.query(
      `update ${store.schema}.precedent set criteria = null, coverage = null where id = $1`,
      [row!.id],
    );
    return row!.id;
  }

  it('reads each unread SQL once, saves it, and lists a warehouse at most once per ttl', async () => {
    const id = await unread('CMP-1', "select client_id from client where client_status = 'ACTIVE'");
    let now = 0;
    const calls = { list: 0, save: 0 };
    const source = new PrecedentSource({
      store: {
        list: (w) => ((calls.list += 1), store.precedents.list(w)),
        saveCriteria: (...args) => ((calls.save += 1), store.precedents.saveCriteria(...args)),
      },
      model: async () => model,
      clock: () => now,
    });

    const [first] = await source.precedents('bank');
    expect(first).toMatchObject({ id, campaign: 'CMP-1', origin: 'import', offer });
    expect(first?.criteria.length).toBeGreaterThan(0);
    expect(first?.criteria.every(isMapped)).toBe(true);
    expect(calls).toEqual({ list: 1, save: 1 });
    const saved = (await store.precedents.list('bank')).find((p) => p.id === id);
    expect(saved?.criteria).toEqual(first?.criteria);
    expect(saved?.coverage).toBe(1);

    now = 59_999;
    expect(await source.precedents('bank')).toEqual([first]);
    expect(calls.list).toBe(1);
    now = 60_000;
    expect(await source.precedents('bank')).toEqual([first]);
    expect(calls).toEqual({ list: 2, save: 1 }); // listed again, read no more
    expect(await source.precedents('berka')).toEqual([]);
  });

  it('does not keep a failed list: the next call reads again', async () => {
    let fail = true;
    const source = new PrecedentSource({
      store: {
        list: async (w) => {
          if (fail) throw new Error('connection lost');
          return store.precedents.list(w);
        },
        saveCriteria: (...args) => store.precedents.saveCriteria(...args),
      },
      model: async () => model,
    });
    await expect(source.precedents('bank')).rejects.toThrow('connection lost');
    fail = false;
    expect((await source.precedents('bank')).map((p) => p.campaign)).toContain('CMP-1');
  });
});
