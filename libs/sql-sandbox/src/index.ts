export {
  SandboxExecutor,
  type SandboxExecutorOptions,
  type ExecuteOptions,
  type OriginLimits,
} from './sandbox-executor';
export type {
  SandboxResult,
  SandboxFailure,
  SandboxErrorCode,
  ExplainResult,
  SandboxContext,
} from './sandbox-result';
export { MemoryAuditSink, sqlHash, type AuditSink, type AuditEntry, type AuditVerdict } from './audit';
