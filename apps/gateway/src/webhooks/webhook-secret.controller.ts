import { Body, Controller, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { AppError, webhookSecretRotationSchema, type WebhookSecret } from '@t2s/contracts';
import type { ApiKeyRecord } from '../auth/api-key-store';
import { CurrentApiKey } from '../auth/current-api-key.decorator';
import { GATEWAY_SERVICES, type GatewayServices } from '../segments/gateway-services';
import { parseBody } from '../validation/parse-body';

/** The calling key's webhook signing secret: a new one, shown once, with the old one rolling over. */
@Controller('v1/webhook-secret')
export class WebhookSecretController {
  constructor(@Inject(GATEWAY_SERVICES) private readonly services: GatewayServices) {}

  @Post('rotate')
  @HttpCode(200)
  // The answer is a credential: no cache between here and the client may keep it.
  @Header('cache-control', 'no-store')
  async rotate(@CurrentApiKey() apiKey: ApiKeyRecord, @Body() body: unknown): Promise<WebhookSecret> {
    const request = parseBody(webhookSecretRotationSchema, body ?? {});
    const seconds = request.previousSecretValidSeconds;
    const issued = await this.services.webhookSecrets.rotate(
      apiKey.id,
      seconds === undefined ? {} : { previousValidMs: seconds * 1000 },
    );
    // The key was revoked between authentication and the rotation.
    if (issued === null) throw new AppError('UNAUTHORIZED', 'The API key is not valid');
    return {
      secret: issued.secret,
      createdAt: issued.createdAt.toISOString(),
      previousSecretsExpireAt: issued.previousExpiresAt?.toISOString() ?? null,
    };
  }
}
