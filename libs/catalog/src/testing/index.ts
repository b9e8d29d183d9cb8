// Test support for specs of this lib and the ones that read catalogs (import as `@t2s/catalog/testing`).
export { catalogColumn, catalogOf, catalogTable } from './catalog-builders';
export {
  catalogSnapshot,
  catalogSnapshotPath,
  loadCatalogSnapshot,
  type SnapshotWarehouse,
} from './catalog-snapshot';
