import { Readable } from 'node:stream';
import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { segmentIdParamsSchema, type MemberChange, type RunDiff } from '@t2s/contracts';
import { membersCsv } from '@t2s/segment-service';
import type { ApiKeyRecord } from '../auth/api-key-store';
import { CurrentApiKey } from '../auth/current-api-key.decorator';
import { parseBody } from '../validation/parse-body';
import { GATEWAY_SERVICES, type GatewayServices } from './gateway-services';
import { callerOf } from './request-parts';
import { started } from './started-iterable';

/** What changed between a segment's previous result and its visible one, and who entered and left. */
@Controller('v1/segments/:id/diff')
export class SegmentDiffController {
  constructor(@Inject(GATEWAY_SERVICES) private readonly services: GatewayServices) {}

  @Get()
  get(@CurrentApiKey() apiKey: ApiKeyRecord, @Param() params: unknown): Promise<RunDiff> {
    const { id } = parseBody(segmentIdParamsSchema, params);
    return this.services.diffs.get(callerOf(apiKey), id);
  }

  @Get('entered')
  entered(
    @CurrentApiKey() apiKey: ApiKeyRecord,
    @Param() params: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    return this.export(apiKey, params, 'entered', reply);
  }

  @Get('left')
  left(
    @CurrentApiKey() apiKey: ApiKeyRecord,
    @Param() params: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    return this.export(apiKey, params, 'left', reply);
  }

  /**
   * Streamed CSV, as the members export: the type is set only once the first batch is read, so an unknown
   * or foreign segment, one without a result or without a diff gets the contract's JSON error instead.
   */
  private async export(
    apiKey: ApiKeyRecord,
    params: unknown,
    change: MemberChange,
    reply: FastifyReply,
  ): Promise<Readable> {
    const { id } = parseBody(segmentIdParamsSchema, params);
    const batches = await started(await this.services.diffs.changes(callerOf(apiKey), id, change));
    void reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="segment-${id}-${change}.csv"`);
    return Readable.from(membersCsv(batches));
  }
}
