// The public API of @t2s/webhooks: Standard Webhooks signing with each API key's own secrets (sealed in
// the service database), the policy that keeps webhooks off internal targets, the `webhook` queue, the
// call that turns a finished revision into one stored event, and the worker that POSTs it.

export { signWebhook, type SignWebhookInput, type WebhookSignatureHeaders } from './signature';
export {
  DEFAULT_WEBHOOK_SECRET_ROLLOVER_MS,
  generateWebhookSecret,
  WebhookSecretCipher,
  WebhookSecretUnreadable,
  WebhookSecretVault,
  type IssuedWebhookSecret,
  type SecretBinding,
  type WebhookSecretVaultOptions,
} from './webhook-secrets';
export {
  allowedHostsEnvSchema,
  parseAllowedHosts,
  WebhookTargetPolicy,
  type AllowedHost,
  type ResolvedAddress,
  type TargetResolution,
  type UrlCheck,
  type WebhookResolver,
} from './webhook-target';
export {
  createWebhookQueue,
  enqueueWebhook,
  DEFAULT_WEBHOOK_JOB_OPTIONS,
  WEBHOOK_QUEUE_NAME,
  type WebhookJob,
  type WebhookQueue,
  type WebhookQueueOptions,
} from './webhook-queue';
export { notifySegmentFinished, type FinishedRevision, type NotifyDeps } from './notify';
export {
  deliverWebhookEvent,
  isDelivered,
  WEBHOOK_USER_AGENT,
  type DeliverOptions,
  type DeliveryResult,
} from './deliver';
export {
  startWebhookWorker,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  type WebhookAttemptReport,
  type WebhookGiveUpReport,
  type WebhookJobResult,
  type WebhookWorker,
  type WebhookWorkerOptions,
} from './webhook-worker';
