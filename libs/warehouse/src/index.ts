export {
  ensureExecutorRole,
  dropExecutorRole,
  type ColumnRef,
  type ExecutorRoleOptions,
} from './executor-role';
export {
  loadBerka,
  checkBerkaDataset,
  resolveBerkaDir,
  BerkaDatasetError,
  type LoadBerkaOptions,
  type LoadBerkaResult,
} from './berka/berka-loader';
export {
  loadBankMarketing,
  checkBankMarketingDataset,
  resolveBankMarketingDir,
  BankMarketingDatasetError,
  type LoadBankMarketingOptions,
  type LoadBankMarketingResult,
} from './bank-marketing/bank-marketing-loader';
export {
  BANK_MARKETING_TABLE,
  bankMarketingNotForTargeting,
  type BankMarketingColumn,
} from './bank-marketing/bank-marketing-schema';
export { BERKA_TABLES, type BerkaTable, type BerkaColumn, type BerkaForeignKey } from './berka/berka-schema';
export { seedDemoWarehouse, type SeedDemoOptions, type SeedDemoResult } from './demo/seed-demo';
export { DEMO_TABLES } from './demo/warehouse-schema';
export type { TableDef, ColumnDef } from './demo/table-def';
