import type { Catalog, CatalogColumn, CatalogTable } from '../catalog.schema';
import { findEntities } from '../introspect';

/** Builders for hand-made catalogs in specs: every field valid, defaults overridable. */
export const catalogColumn = (name: string, extra: Partial<CatalogColumn> = {}): CatalogColumn => ({
  name,
  type: 'text',
  nullable: true,
  comment: null,
  pii: false,
  piiSource: 'none',
  distinctEstimate: null,
  ...extra,
});

export const catalogTable = (name: string, extra: Partial<CatalogTable> = {}): CatalogTable => ({
  schema: 'bank',
  name,
  kind: 'table',
  comment: null,
  rowEstimate: 0,
  primaryKey: [],
  columns: [catalogColumn('id')],
  foreignKeys: [],
  ...extra,
});

/** Entities as introspection finds them without annotations (a `client` table), unless given. */
export const catalogOf = (tables: CatalogTable[], extra: Partial<Catalog> = {}): Catalog => ({
  version: 1,
  database: 'warehouse',
  schemas: ['bank'],
  generatedAt: '2025-01-01T00:00:00.000Z',
  tables,
  entities: findEntities(tables, extra.schemas ?? ['bank']),
  ...extra,
});
