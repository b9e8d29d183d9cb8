import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { sqlCheckRequestSchema, type SqlCheck } from '@t2s/contracts';
import { checkSegmentSql } from '@t2s/segment-service';
import { GATEWAY_SERVICES, type GatewayServices } from '../segments/gateway-services';
import { parseBody } from '../validation/parse-body';

/** The guard's verdict on SQL before it runs, for people editing a segment's SQL. */
@Controller('v1/sql')
export class SqlCheckController {
  constructor(@Inject(GATEWAY_SERVICES) private readonly services: GatewayServices) {}

  @Post('check')
  @HttpCode(200)
  check(@Body() body: unknown): Promise<SqlCheck> {
    const { sql, warehouse } = parseBody(sqlCheckRequestSchema, body);
    return checkSegmentSql(this.services.catalogs, warehouse, sql);
  }
}
