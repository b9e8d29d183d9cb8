// The public API of @t2s/contracts: the HTTP API, the job payloads and the error codes that the
// gateway, the workers, the webhooks and the eval harness share. Import from here only.

export * from './stage';
export * from './error-codes';
export { AppError, type AppErrorOptions } from './app-error';
export { StageSuspended } from './stage-suspended';
export * from './api-error.schema';
export { requestValidationError } from './validation-error';
export { safeText, UNSAFE_TEXT_REASONS } from './safe-text';
export {
  IDEMPOTENCY_KEY_HEADER,
  idempotencyKeySchema,
  idempotencyHeadersSchema,
} from './http-headers.schema';
export * from './warehouse-name.schema';

export * from './offer.schema';
export * from './criterion.schema';
export * from './criteria-spec.schema';
export * from './understanding';
export * from './segment-request.schema';
export * from './revision.schema';
export * from './approval.schema';
export * from './sql-check.schema';
export * from './segment-list.schema';
export * from './pipeline-observer';
export * from './segment.schema';
export * from './members.schema';
export * from './run-diff.schema';
export * from './insights.schema';
export * from './conversion.schema';
export * from './batch.schema';
export * from './catalog-response.schema';
export * from './health.schema';
export * from './webhook-event.schema';
export * from './webhook-secret.schema';

export * from './job-payloads';
export * from './sql-audit';
export { buildOpenApiDocument, type OpenApiDocument, type OpenApiDocumentOptions } from './openapi';
