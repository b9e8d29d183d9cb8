export { SandboxExecutor, type SandboxExecutorOptions, type ExecuteOptions } from './sandbox-executor';
export type {
  SandboxResult,
  SandboxFailure,
  SandboxErrorCode,
  ExplainResult,
  SandboxContext,
} from './sandbox-result';
export {
  PgAuditSink,
  MemoryAuditSink,
  SQL_AUDIT_DDL,
  sqlHash,
  type AuditSink,
  type AuditEntry,
} from './audit';
