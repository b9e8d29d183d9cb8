import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogSchema, type Catalog } from '../catalog.schema';

/** The warehouses with a committed catalog snapshot (`snapshots/<name>.catalog.json`). */
export type SnapshotWarehouse = 'bank' | 'berka' | 'bank_marketing';

const SNAPSHOT_DIR = join(__dirname, 'snapshots');

export function catalogSnapshotPath(warehouse: SnapshotWarehouse): string {
  return join(SNAPSHOT_DIR, `${warehouse}.catalog.json`);
}

/**
 * A catalog under the warehouse's own schema name: tables, columns, types, keys, PII marks, entities,
 * comments and the value index; no statistics or dates, so it changes only when the warehouse's shape,
 * its documentation, its annotations or its reference data do. Specs that need a real warehouse (the
 * guard's corpus, the criteria parser, the model bootstrap) read it without a database; a warehouse
 * spec keeps it current.
 */
export function catalogSnapshot(catalog: Catalog, schema: string): Catalog {
  const rename = (name: string) => (catalog.schemas.includes(name) ? schema : name);
  return {
    version: 1,
    database: 'snapshot',
    schemas: [schema],
    generatedAt: '2000-01-01T00:00:00.000Z',
    tables: catalog.tables.map((table) => ({
      ...table,
      schema: rename(table.schema),
      rowEstimate: 0,
      columns: table.columns.map((column) => ({ ...column, distinctEstimate: null })),
      foreignKeys: table.foreignKeys.map((fk) => ({ ...fk, refSchema: rename(fk.refSchema) })),
    })),
    entities: catalog.entities.map((entity) => ({ ...entity, schema: rename(entity.schema) })),
  };
}

/** The committed snapshot of a warehouse's catalog, validated. */
export function loadCatalogSnapshot(warehouse: SnapshotWarehouse): Catalog {
  return catalogSchema.parse(JSON.parse(readFileSync(catalogSnapshotPath(warehouse), 'utf8')));
}
