import { Controller, Get, Inject, Query } from '@nestjs/common';
import { catalogQuerySchema, type CatalogResponse } from '@t2s/contracts';
import { describeWarehouse } from '@t2s/segment-service';
import { GATEWAY_SERVICES, type GatewayServices } from '../segments/gateway-services';
import { parseBody } from '../validation/parse-body';

/** What data the bank has, for the people writing criteria (any valid key may read it). */
@Controller('v1/catalog')
export class CatalogController {
  constructor(@Inject(GATEWAY_SERVICES) private readonly services: GatewayServices) {}

  @Get()
  get(@Query() query: unknown): Promise<CatalogResponse> {
    const { warehouse } = parseBody(catalogQuerySchema, query);
    return describeWarehouse(this.services.catalogs, warehouse);
  }
}
