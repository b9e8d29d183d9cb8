import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { batchIdParamsSchema, batchRequestSchema, type Batch } from '@t2s/contracts';
import type { ApiKeyRecord } from '../auth/api-key-store';
import { CurrentApiKey } from '../auth/current-api-key.decorator';
import { parseBody } from '../validation/parse-body';
import { GATEWAY_SERVICES, type GatewayServices } from '../segments/gateway-services';
import { callerOf, idempotencyKey } from '../segments/request-parts';

/** Many segment requests or re-runs at once, and their progress. */
@Controller('v1/batches')
export class BatchesController {
  constructor(@Inject(GATEWAY_SERVICES) private readonly services: GatewayServices) {}

  @Post()
  @HttpCode(202)
  async create(
    @CurrentApiKey() apiKey: ApiKeyRecord,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Batch> {
    const request = parseBody(batchRequestSchema, body);
    const batch = await this.services.batches.create(callerOf(apiKey), request, idempotencyKey(key));
    void reply.header('location', batch.links.self);
    return batch;
  }

  @Get(':id')
  get(@CurrentApiKey() apiKey: ApiKeyRecord, @Param() params: unknown): Promise<Batch> {
    const { id } = parseBody(batchIdParamsSchema, params);
    return this.services.batches.get(callerOf(apiKey), id);
  }
}
