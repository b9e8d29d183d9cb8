// The public API of @t2s/webhooks: signing (and, for receivers, verifying) deliveries, the `webhook`
// queue, the call that turns a finished revision into one stored event, and the worker that POSTs it.

export {
  signWebhookBody,
  verifyWebhookSignature,
  type VerifyWebhookSignatureInput,
  type WebhookRawBody,
  type WebhookSecrets,
  type WebhookVerification,
  type WebhookVerificationFailure,
} from './signature';
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
