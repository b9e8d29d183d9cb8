import type { Offer } from '@t2s/contracts';
import type { PrecedentImport } from './precedent.store';
import { openTestStore, type TestStore } from './store.fixture';

describe('PrecedentStore', () => {
  let store: TestStore;

  beforeAll(async () => {
    store = await openTestStore('store_precedent');
  });
  afterAll(() => store?.close());

  const offer = (campaignId: string): Offer => ({
    campaignId,
    product: { type: 'deposit' },
    title: 'Вклад на 12 месяцев',
    channel: 'CALL',
  });

  function item(campaign: string, overrides: Partial<PrecedentImport> = {}): PrecedentImport {
    return {
      warehouse: 'bank',
      campaign,
      offer: offer(campaign),
      sql: `select client_id from client -- ${campaign}`,
      criteria: [{ kind: 'include', sql: 'client_status = $$ACTIVE$$' }],
      coverage: 0,
      ...overrides,
    };
  }

  it('imports precedents, newest first; importing a campaign again replaces it in place', async () => {
    const first = await store.precedents.importMany([
      item('CMP-1', { approvedAt: '2025-03-01', approvedBy: 'anna' }),
      item('CMP-2', { approvedAt: '2025-06-01T10:00:00Z' }),
      item('CMP-3', { warehouse: 'berka', approvedAt: '2025-01-01' }),
    ]);
    expect(first.map((r) => r.replaced)).toEqual([false, false, false]);

    const listed = await store.precedents.list('bank');
    expect(listed.map((p) => p.campaign)).toEqual(['CMP-2', 'CMP-1']);
    expect(listed[1]).toMatchObject({
      id: first[0]?.id,
      warehouse: 'bank',
      offer: offer('CMP-1'),
      approvedBy: 'anna',
      origin: 'import',
      criteria: [{ kind: 'include', sql: 'client_status = $$ACTIVE$$' }],
      coverage: 0,
    });
    expect(listed[1]?.approvedAt).toMatch(/^2025-0[23]-/);

    const expr = { kind: 'include' as const, expr: { attr: 'age', op: '>=', value: 21 } };
    const again = await store.precedents.importMany([
      item('CMP-1', { sql: 'select 1', criteria: [expr], coverage: 1 }),
    ]);
    expect(again).toEqual([{ id: first[0]?.id, warehouse: 'bank', campaign: 'CMP-1', replaced: true }]);
    const replaced = (await store.precedents.list('bank')).find((p) => p.campaign === 'CMP-1');
    expect(replaced).toMatchObject({ sql: 'select 1', criteria: [expr], coverage: 1 });
    expect(replaced?.approvedAt).toBeUndefined();
    expect(await store.precedents.list('bank')).toHaveLength(2);
    expect((await store.precedents.list('berka')).map((p) => p.campaign)).toEqual(['CMP-3']);
  });

  it('stores all of one call or none of it; a campaign given twice keeps the later', async () => {
    const bad = item('CMP-BAD', { coverage: 2 }); // outside 0..1: the table refuses the row
    await expect(store.precedents.importMany([item('CMP-OK'), bad])).rejects.toThrow();
    expect((await store.precedents.list('bank')).map((p) => p.campaign)).not.toContain('CMP-OK');

    const twice = await store.precedents.importMany([item('CMP-9', { sql: 'select 9' }), item('CMP-9')]);
    expect(twice[0]?.id).toBe(twice[1]?.id);
    const stored = (await store.precedents.list('bank')).filter((p) => p.campaign === 'CMP-9');
    expect(stored.map((p) => p.sql)).toEqual([item('CMP-9').sql]);
    expect(await store.precedents.importMany([])).toEqual([]);
  });

  it('saves the criteria of an unread precedent once', async () => {
    const [row] = await store.precedents.importMany([item('CMP-READ')]);
    // An imported precedent was read before it was stored: nothing to save.
    expect(await store.precedents.saveCriteria(row!.id, [], 1)).toBe(false);
    await store.pool.query(
      `update ${store.schema}.precedent set criteria = null, coverage = null where id = $1`,
      [row!.id],
    );
    const criteria = [{ kind: 'exclude' as const, sql: 'exists (select 1 from stop_list)' }];
    expect(await store.precedents.saveCriteria(row!.id, criteria, 0.5)).toBe(true);
    expect(await store.precedents.saveCriteria(row!.id, [], 1)).toBe(false);
    const saved = (await store.precedents.list('bank')).find((p) => p.id === row!.id);
    expect(saved).toMatchObject({ criteria, coverage: 0.5 });
    expect(await store.precedents.saveCriteria('nope', [], 1)).toBe(false);
  });
});
