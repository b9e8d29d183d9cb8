// The public API of @t2s/sql-guard: check that an SQL text is one read-only SELECT over the catalog.
export { GUARD_CODES, type GuardCode, type GuardPolicy, type GuardVerdict } from './guard.types';
export { loadSqlGuard, checkSql } from './sql-guard';
export { DEFAULT_FUNCTIONS } from './default-functions';
export {
  catalogGuards,
  policyFromCatalog,
  DEFAULT_MAX_SQL_LENGTH,
  type PolicyOptions,
  type SqlOrigin,
} from './guard-policy';
export { loadParser, parseSql, scanSql, type ParseOutcome, type ScanOutcome } from './pg-parser';
