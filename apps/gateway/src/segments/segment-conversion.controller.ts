import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
import {
  AppError,
  outcomesCsvSchema,
  segmentIdParamsSchema,
  type ConversionReport,
  type OutcomeImport,
} from '@t2s/contracts';
import type { ApiKeyRecord } from '../auth/api-key-store';
import { CurrentApiKey } from '../auth/current-api-key.decorator';
import { parseBody } from '../validation/parse-body';
import { GATEWAY_SERVICES, type GatewayServices } from './gateway-services';
import { callerOf } from './request-parts';

/** Outcomes in (a CSV body, or the warehouse's campaign responses) and the conversion report out. */
@Controller('v1/segments/:id')
export class SegmentConversionController {
  constructor(@Inject(GATEWAY_SERVICES) private readonly services: GatewayServices) {}

  /** The body is the CSV text (the gateway reads text/csv as a string; any other type never gets here as one). */
  @Post('outcomes')
  @HttpCode(200)
  importCsv(
    @CurrentApiKey() apiKey: ApiKeyRecord,
    @Param() params: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
  ): Promise<OutcomeImport> {
    const { id } = parseBody(segmentIdParamsSchema, params);
    if (typeof body !== 'string' || !/^text\/csv\b/i.test(contentType ?? '')) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the outcomes as text/csv: client_id,converted_at');
    }
    return this.services.conversion.importCsv(callerOf(apiKey), id, parseBody(outcomesCsvSchema, body));
  }

  @Post('outcomes/warehouse')
  @HttpCode(200)
  importFromWarehouse(
    @CurrentApiKey() apiKey: ApiKeyRecord,
    @Param() params: unknown,
  ): Promise<OutcomeImport> {
    const { id } = parseBody(segmentIdParamsSchema, params);
    return this.services.conversion.importFromWarehouse(callerOf(apiKey), id);
  }

  @Get('conversion')
  report(@CurrentApiKey() apiKey: ApiKeyRecord, @Param() params: unknown): Promise<ConversionReport> {
    const { id } = parseBody(segmentIdParamsSchema, params);
    return this.services.conversion.report(callerOf(apiKey), id);
  }
}
