import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import {
  clientExplainParamsSchema,
  insightQuerySchema,
  segmentIdParamsSchema,
  type ClientExplanationView,
  type SegmentPortraitView,
} from '@t2s/contracts';
import type { ApiKeyRecord } from '../auth/api-key-store';
import { CurrentApiKey } from '../auth/current-api-key.decorator';
import { parseBody } from '../validation/parse-body';
import { GATEWAY_SERVICES, type GatewayServices } from './gateway-services';
import { callerOf } from './request-parts';

/** Why a client is in a segment or out of it, and the segment's portrait against the whole base. */
@Controller('v1/segments/:id')
export class SegmentInsightsController {
  constructor(@Inject(GATEWAY_SERVICES) private readonly services: GatewayServices) {}

  @Get('clients/:clientId/explain')
  explain(
    @CurrentApiKey() apiKey: ApiKeyRecord,
    @Param() params: unknown,
    @Query() query: unknown,
  ): Promise<ClientExplanationView> {
    const { id, clientId } = parseBody(clientExplainParamsSchema, params);
    const { lang } = parseBody(insightQuerySchema, query);
    return this.services.insights.explain(callerOf(apiKey), id, clientId, lang);
  }

  @Get('portrait')
  portrait(
    @CurrentApiKey() apiKey: ApiKeyRecord,
    @Param() params: unknown,
    @Query() query: unknown,
  ): Promise<SegmentPortraitView> {
    const { id } = parseBody(segmentIdParamsSchema, params);
    const { lang } = parseBody(insightQuerySchema, query);
    return this.services.insights.portrait(callerOf(apiKey), id, lang);
  }
}
