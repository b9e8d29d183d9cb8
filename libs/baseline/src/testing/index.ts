// Test support (import as `@t2s/baseline/testing`): the demo bank's semantic model over a real, seeded
// warehouse, for specs that execute SQL; a warehouse's model over its committed catalog snapshot, for
// specs that need no database.
export { openBankModel, REPORT_DATE, type BankModelFixture } from './bank-model.fixture';
export { snapshotModel } from './snapshot-model.fixture';
export type { ModelFixture } from './meaning';
