import { resolve } from 'node:path';
import { catalogStats, findAnnotationsFor, introspectCatalog, summarizeCatalog } from '@t2s/catalog';
import { createTestSchema, type TestSchema } from '@t2s/db';
import { loadBerka, resolveBerkaDir } from './berka-loader';

// The catalog must describe a warehouse nobody here designed, from its own comments alone.
describe('catalog of the Berka warehouse', () => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createTestSchema('berka_cat');
    const datasetDir = resolveBerkaDir(undefined, process.env, resolve(__dirname, '../../../..'));
    await loadBerka(db.client, { schema: db.schema, datasetDir });
  });

  afterAll(() => db?.drop());

  it('reads tables, keys, comments, PII marks and coded values', async () => {
    const catalog = await introspectCatalog(db.client, {
      schemas: [db.schema],
      annotations: findAnnotationsFor('berka'),
    });
    const stats = catalogStats(catalog);
    expect(stats.tables).toBe(7);
    expect(stats.commentedColumns).toBe(stats.columns);
    expect(stats.foreignKeys).toBe(7);

    const table = (name: string) => catalog.tables.find((t) => t.name === name)!;
    expect(table('loan').foreignKeys).toEqual([
      expect.objectContaining({ columns: ['account_id'], refTable: 'account', refColumns: ['account_id'] }),
    ]);
    expect(table('loan').rowEstimate).toBe(682);
    expect(table('account').columns.find((c) => c.name === 'frequency')!.values).toEqual([
      'POPLATEK MESICNE',
      'POPLATEK PO OBRATU',
      'POPLATEK TYDNE',
    ]);
    expect(table('client').columns.find((c) => c.name === 'birth_date')!.pii).toBe(true);
    expect(summarizeCatalog(catalog)).toContain('district');
  });
});
