import { WEBHOOK_SECRET_PREFIX } from './webhook-event.schema';
import { z } from './zod-openapi';

/** The longest rollover a deployment may configure (WEBHOOK_SECRET_ROLLOVER_SECONDS): a week. */
export const MAX_WEBHOOK_SECRET_ROLLOVER_SECONDS = 7 * 24 * 3600;

/** `POST /v1/webhook-secret/rotate`; an empty body (or none) takes the deployment's rollover window. */
export const webhookSecretRotationSchema = z
  .strictObject({
    previousSecretValidSeconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_WEBHOOK_SECRET_ROLLOVER_SECONDS)
      .optional()
      .openapi({
        description:
          "How long the secrets being replaced keep signing deliveries, capped at the deployment's " +
          'rollover window (24 h by default), which is also the default. 0 retires them at once ' +
          '(a leaked secret).',
      }),
  })
  .openapi('WebhookSecretRotation');

export const webhookSecretSchema = z
  .object({
    secret: z
      .string()
      .startsWith(WEBHOOK_SECRET_PREFIX)
      .openapi({
        description:
          'The new Standard Webhooks secret (`whsec_` + base64 of 32 random bytes), shown this once. ' +
          'Verify deliveries with it, e.g. `new Webhook(secret).verify(rawBody, headers)`.',
        example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      }),
    createdAt: z.iso.datetime(),
    previousSecretsExpireAt: z.iso
      .datetime()
      .nullable()
      .openapi({
        description:
          'Until then deliveries carry one signature per secret (space-separated in `webhook-signature`), ' +
          'so a receiver holding either verifies them. Null when the key had no secret.',
      }),
  })
  .openapi('WebhookSecret');

export type WebhookSecretRotation = z.output<typeof webhookSecretRotationSchema>;
export type WebhookSecret = z.output<typeof webhookSecretSchema>;
