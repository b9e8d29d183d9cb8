// The committed catalog snapshots (@t2s/catalog/testing) are the demo bank's and Berka's real shape,
// with their annotations: seeded and loaded here, introspected, compared. UPDATE_CATALOG_SNAPSHOTS=1
// writes them instead, after a change to the warehouse or its annotations.
import { writeFileSync } from 'node:fs';
import { findAnnotationsFor, introspectCatalog } from '@t2s/catalog';
import { catalogSnapshot, catalogSnapshotPath, loadCatalogSnapshot } from '@t2s/catalog/testing';
import { createTestSchema, type TestSchema } from '@t2s/db';
import { loadBerka, resolveBerkaDir } from './berka/berka-loader';
import { seedDemoWarehouse } from './demo/seed-demo';

const UPDATE = process.env['UPDATE_CATALOG_SNAPSHOTS'] === '1';

let bank: TestSchema;
let berka: TestSchema;

beforeAll(async () => {
  [bank, berka] = await Promise.all([createTestSchema('snap_bank'), createTestSchema('snap_berka')]);
  await seedDemoWarehouse({
    url: bank.url,
    schema: bank.schema,
    clients: 50,
    seed: 1,
    reportDate: '2026-10-31',
  });
  await loadBerka(berka.client, { schema: berka.schema, datasetDir: resolveBerkaDir() });
}, 120_000);

afterAll(async () => {
  await Promise.all([bank, berka].map((schema) => schema?.drop()));
});

describe.each([
  ['bank', () => bank],
  ['berka', () => berka],
] as const)('the %s catalog snapshot', (warehouse, schemaOf) => {
  it('is the warehouse as introspected with its annotations', async () => {
    const { client, schema } = schemaOf();
    const catalog = await introspectCatalog(client, {
      schemas: [schema],
      annotations: findAnnotationsFor(warehouse),
      valueIndex: { maxDistinct: 1 },
    });
    const snapshot = catalogSnapshot(catalog, warehouse);
    if (UPDATE) writeFileSync(catalogSnapshotPath(warehouse), `${JSON.stringify(snapshot, null, 2)}\n`);
    expect(snapshot).toEqual(loadCatalogSnapshot(warehouse));
  });
});
