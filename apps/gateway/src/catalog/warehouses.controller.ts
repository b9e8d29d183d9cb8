import { Controller, Get, Inject, Param } from '@nestjs/common';
import { warehouseNameParamsSchema, type WarehouseAttributes, type WarehouseList } from '@t2s/contracts';
import { warehouseAttributes } from '@t2s/segment-service';
import { GATEWAY_SERVICES, type GatewayServices } from '../segments/gateway-services';
import { parseBody } from '../validation/parse-body';

/** The warehouses a segment may name, for pickers, and what a criteria builder completes from (any valid key). */
@Controller('v1/warehouses')
export class WarehousesController {
  constructor(@Inject(GATEWAY_SERVICES) private readonly services: GatewayServices) {}

  @Get()
  list(): WarehouseList {
    return { items: this.services.warehouses.map((name) => ({ name })) };
  }

  /** The semantic model's attributes and the coded columns' values, labelled. */
  @Get(':name/attributes')
  attributes(@Param() params: unknown): Promise<WarehouseAttributes> {
    const { name } = parseBody(warehouseNameParamsSchema, params);
    return warehouseAttributes(this.services.models, name);
  }
}
