// The public API of @t2s/service-store: the service's own PostgreSQL database (segments, revisions,
// stage runs, members, API keys, batches, webhooks, the SQL audit table). Import from here only.

export { runMigrations, migrationChecksum, type MigrateOptions, type MigrateResult } from './migrate';
export { MIGRATIONS, type Migration } from './migrations';
export { loadStoreConfig, openServiceDatabase, type StoreConfig } from './store-config';
export { openServiceStore, createRepositories, type ServiceStore } from './service-store';
export { withTransaction } from './transaction';
export { hashRequest } from './request-hash';

export { PgApiKeyStore, API_KEY_PREFIX, type ApiKeyStore, type ApiKeyRecord } from './api-key.repository';
export {
  SegmentRepository,
  type CreateSegmentInput,
  type RevisionChange,
  type StageRef,
  type StageFinish,
  type SegmentSuccess,
} from './segment.repository';
export {
  currentRevision,
  criteriaTextOf,
  criteriaSpecOf,
  sqlIsFromPerson,
  type SegmentRecord,
  type StoredCriteria,
  type CriterionSqlRecord,
  type RevisionRecord,
  type StageRunRecord,
  type StageOutcome,
  type ApprovalRecord,
} from './segment.record';
export { approvalView, toApiView } from './segment.view';
export { SegmentListRepository } from './segment-list';
export { ApprovalRepository, type ApproveInput, type ApprovedExample } from './approval.repository';
export { MemberStore } from './member.store';
export { RunDiffStore, type RunDiffRecord } from './run-diff.store';
export {
  OutcomeStore,
  type OutcomeRow,
  type GroupCounts,
  type OutcomeSummary,
  type OfferSibling,
} from './outcome.store';
export {
  PrecedentStore,
  type PrecedentImport,
  type StoredPrecedent,
  type StoredPrecedentCriterion,
} from './precedent.store';
export { controlGroupOf, controlGroupSql, controlShareOf, controlThreshold } from './control-group';
export { BatchRepository, type BatchKind, type NewBatchItem } from './batch.repository';
export {
  WebhookDeliveryRepository,
  type WebhookEventRecord,
  type WebhookDeliveryRecord,
  type DeliveryAttempt,
} from './webhook-delivery.repository';
export {
  WebhookSecretRepository,
  type WebhookSecretRow,
  type WebhookSecretRotation,
} from './webhook-secret.repository';
export { PgAuditSink } from './sql-audit.repository';
export { IdempotencyRepository, type IdempotencyRef, type IdempotencyClaim } from './idempotency.repository';
