// The demo bank (50 clients), Berka and Bank Marketing, seeded and loaded here, introspected with their
// annotations:
//   - the committed catalog snapshots (@t2s/catalog/testing) are their real shape, PII and targeting
//     marks included (UPDATE_CATALOG_SNAPSHOTS=1 writes them instead, after a change to a warehouse or
//     its annotations);
//   - the executor role cannot read the personal data of the demo bank and Berka whatever the SQL:
//     every attack of the guard's independent PII corpus, run past the guard as the role, is refused by
//     PostgreSQL itself, but for those that return data approved for filtering, which only the guard
//     can tell from a condition. Bank Marketing holds no personal data; what is not for targeting stays
//     readable to the role, since a person's SQL may read it (the guard keeps it from generated SQL).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { findAnnotationsFor, hiddenPiiColumns, introspectCatalog, type Catalog } from '@t2s/catalog';
import { catalogSnapshot, catalogSnapshotPath, loadCatalogSnapshot } from '@t2s/catalog/testing';
import { createTestSchema, quoteIdent, type TestSchema } from '@t2s/db';
import { loadBankMarketing, resolveBankMarketingDir } from './bank-marketing/bank-marketing-loader';
import { loadBerka, resolveBerkaDir } from './berka/berka-loader';
import { seedDemoWarehouse } from './demo/seed-demo';
import { ensureExecutorRole } from './executor-role';
import { createTestExecutorRole, type TestExecutorRole } from './testing/test-executor-role';

const UPDATE = process.env['UPDATE_CATALOG_SNAPSHOTS'] === '1';
const attacks = JSON.parse(
  readFileSync(join(__dirname, '../../sql-guard/src/corpus/pii-attacks.json'), 'utf8'),
) as { id: string; warehouse: string; sql: string; expect: string }[];
const WAREHOUSES = ['bank', 'berka', 'bank_marketing'] as const;
type Warehouse = (typeof WAREHOUSES)[number];
const WITH_PII = ['bank', 'berka'] as const;

const seeded = new Map<Warehouse, { db: TestSchema; catalog: Catalog }>();
const roles: TestExecutorRole[] = [];

beforeAll(async () => {
  const [bank, berka, bankMarketing] = await Promise.all([
    createTestSchema('seeded_bank'),
    createTestSchema('seeded_berka'),
    createTestSchema('seeded_bm'),
  ]);
  await seedDemoWarehouse({
    url: bank.url,
    schema: bank.schema,
    clients: 50,
    // Seed 2: at 50 clients its sample holds every request topic (specs parse "качество обслуживания"
    // through the value index) and, as a bank of this size usually does, no premium brokerage tariff.
    seed: 2,
    reportDate: '2026-10-31',
  });
  await loadBerka(berka.client, { schema: berka.schema, datasetDir: resolveBerkaDir() });
  await loadBankMarketing(bankMarketing.client, {
    schema: bankMarketing.schema,
    datasetDir: resolveBankMarketingDir(),
  });
  for (const [warehouse, db] of [
    ['bank', bank],
    ['berka', berka],
    ['bank_marketing', bankMarketing],
  ] as const) {
    const catalog = await introspectCatalog(db.client, {
      schemas: [db.schema],
      annotations: findAnnotationsFor(warehouse),
    });
    seeded.set(warehouse, { db, catalog });
  }
}, 120_000);

afterAll(async () => {
  for (const role of roles) await role.drop();
  await Promise.all([...seeded.values()].map(({ db }) => db.drop()));
});

describe.each(WAREHOUSES)('the %s warehouse', (warehouse) => {
  it('is what its committed catalog snapshot says', () => {
    const snapshot = catalogSnapshot(seeded.get(warehouse)!.catalog, warehouse);
    if (UPDATE) writeFileSync(catalogSnapshotPath(warehouse), `${JSON.stringify(snapshot, null, 2)}\n`);
    expect(snapshot).toEqual(loadCatalogSnapshot(warehouse));
  });
});

describe('the bank_marketing warehouse', () => {
  it('hides nothing from the executor role and keeps the campaign outcome from targeting', () => {
    const { catalog } = seeded.get('bank_marketing')!;
    expect(hiddenPiiColumns(catalog)).toEqual([]);
    const client = catalog.tables.find((t) => t.name === 'client')!;
    expect(client.columns.filter((c) => c.notForTargeting).map((c) => c.name)).toEqual([
      'contact',
      'day',
      'month',
      'duration',
      'campaign',
      'y',
    ]);
  });
});

describe.each(WITH_PII)('the %s warehouse', (warehouse) => {
  it('keeps its personal data from the executor role, whatever SQL gets past the guard', async () => {
    const { db, catalog } = seeded.get(warehouse)!;
    const limits = { statementTimeout: '2s', tempFileLimit: '16MB' };
    const role = await createTestExecutorRole(db.client, db.schema, { prefix: 'pii_wall', ...limits });
    roles.push(role);
    await ensureExecutorRole(db.client, {
      role: role.role,
      password: decodeURIComponent(new URL(role.url).password),
      schemas: [db.schema],
      connectionLimit: 100,
      hiddenColumns: hiddenPiiColumns(catalog),
      ...limits,
    });
    const client = new Client({ connectionString: role.url });
    await client.connect();
    // The corpus names the warehouse's schema (`bank.client_pii`, `BANK.CLIENT_PII`, `"bank"`).
    const qualifier = new RegExp(`(?<![\\w"])"?${warehouse}"?\\.`, 'gi');
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    try {
      for (const attack of attacks.filter((a) => a.warehouse === warehouse && a.expect === 'PII_COLUMN')) {
        const sql = attack.sql.replace(qualifier, `${quoteIdent(db.schema)}.`);
        await client.query('begin read only');
        outcomes[attack.id] = await client.query(sql).then(
          () => 'ran',
          (error: { code?: string }) => (error.code === '42501' ? 'denied' : `error ${error.code}`),
        );
        await client.query('rollback');
        // Returning data approved for filtering is a matter of the query's shape: the guard's alone.
        expected[attack.id] = /-pii-allowed-/.test(attack.id) ? outcomes[attack.id]! : 'denied';
      }
    } finally {
      await client.end();
    }
    expect(Object.keys(outcomes).length).toBeGreaterThan(30);
    expect(outcomes).toEqual(expected);
  });
});
