// Test support for specs that need the demo bank's semantic model over a real, seeded warehouse
// (import as `@t2s/baseline/testing`).
export { openBankModel, REPORT_DATE, type BankModelFixture } from './bank-model.fixture';
