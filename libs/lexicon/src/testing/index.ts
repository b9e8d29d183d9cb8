// Test support for specs that link values of the committed warehouses (import as `@t2s/lexicon/testing`).
export { snapshotEntries, type SnapshotWarehouse } from './snapshot-entries';
