// Test support (not exported by the lib): a small seeded demo warehouse in a throw-away schema of the
// test database, its catalog introspected the way the service does it (with the bank's PII marks), and
// the bank semantic model bound to it. The parser's lexicon reads the catalog's comments and value
// index, so specs of the parser and the strategy need a real catalog, not a hand-made one.
import { findAnnotationsFor, introspectCatalog, type Catalog } from '@t2s/catalog';
import { createTestSchema, quoteIdent, type TestSchema } from '@t2s/db';
import { findSemanticModelFile, SemanticModel, type SemanticModelFile } from '@t2s/semantic';
import { seedDemoWarehouse } from '@t2s/warehouse';

export const REPORT_DATE = '2026-10-31';

export interface BankModelFixture {
  warehouse: TestSchema;
  catalog: Catalog;
  /** The bank's semantic model file; the test schema's name is random, so it is found by `bank`. */
  file: SemanticModelFile;
  model: SemanticModel;
  /** Rows of a query run as the admin over the warehouse schema (unqualified names resolve to it). */
  query<T extends object>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function openBankModel(prefix: string, clients = 300): Promise<BankModelFixture> {
  const warehouse = await createTestSchema(prefix);
  try {
    await seedDemoWarehouse({
      url: warehouse.url,
      schema: warehouse.schema,
      clients,
      seed: 7,
      reportDate: REPORT_DATE,
    });
    const catalog = await introspectCatalog(warehouse.client, {
      schemas: [warehouse.schema],
      annotations: findAnnotationsFor('bank'),
    });
    const file = findSemanticModelFile('bank');
    if (!file) throw new Error('config/warehouses/bank.annotations.json declares no semantic model');
    const model = new SemanticModel(file, catalog, warehouse.schema);
    await warehouse.client.query(`set search_path = ${quoteIdent(warehouse.schema)}`);
    return {
      warehouse,
      catalog,
      file,
      model,
      query: async <T extends object>(sql: string) => (await warehouse.client.query<T>(sql)).rows,
      close: () => warehouse.drop(),
    };
  } catch (error) {
    await warehouse.drop().catch(() => undefined);
    throw error;
  }
}
