// Test support (not exported by the lib): a small seeded demo warehouse in a throw-away schema of the
// test database, its catalog introspected the way the service does it (with the bank's PII marks), and
// the bank semantic model bound to it, for specs that execute SQL (the strategy's). Specs of the parser
// alone read the committed catalog snapshot instead (snapshot-model.fixture.ts), without a database.
// Meanings of criteria: meaning.ts.
import { findAnnotationsFor, introspectCatalog } from '@t2s/catalog';
import { createTestSchema, quoteIdent, type TestSchema } from '@t2s/db';
import { findSemanticModelFile, SemanticModel } from '@t2s/semantic';
import { seedDemoWarehouse } from '@t2s/warehouse';
import { modelFixture, NAMED_CODES, type ModelFixture, type Names } from './meaning';

export { stableKey, type Meaning, type ModelFixture, type Want } from './meaning';

export const REPORT_DATE = '2026-10-31';

export interface BankModelFixture extends ModelFixture {
  warehouse: TestSchema;
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
    // The test schema's name is random, so the model file is found by `bank`.
    const file = findSemanticModelFile('bank');
    if (!file) throw new Error('config/warehouses/bank.annotations.json declares no semantic model');
    const model = new SemanticModel(file, catalog, warehouse.schema);
    await warehouse.client.query(`set search_path = ${quoteIdent(warehouse.schema)}`);
    const query = async <T extends object>(sql: string) => (await warehouse.client.query<T>(sql)).rows;
    return {
      ...modelFixture(catalog, file, model, await namedCodes(query)),
      warehouse,
      query,
      close: () => warehouse.drop(),
    };
  } catch (error) {
    await warehouse.drop().catch(() => undefined);
    throw error;
  }
}

/** The codes of reference tables' names, as the warehouse's rows pair them. */
async function namedCodes(query: <T extends object>(sql: string) => Promise<T[]>): Promise<Names> {
  const names: Names = new Map();
  for (const [table, name, code] of NAMED_CODES) {
    const rows = await query<{ name: string; code: string }>(
      `select ${name} as name, ${code} as code from ${table}`,
    );
    names.set(`${table}.${name}`, {
      column: `${table}.${code}`,
      codes: new Map(rows.map((r) => [r.name, r.code])),
    });
  }
  return names;
}
