import { Controller, Get, Inject } from '@nestjs/common';
import type { WarehouseList } from '@t2s/contracts';
import { GATEWAY_SERVICES, type GatewayServices } from '../segments/gateway-services';

/** The warehouses a segment may name, for pickers (any valid key may read it). */
@Controller('v1/warehouses')
export class WarehousesController {
  constructor(@Inject(GATEWAY_SERVICES) private readonly services: GatewayServices) {}

  @Get()
  list(): WarehouseList {
    return { items: this.services.warehouses.map((name) => ({ name })) };
  }
}
