import { z } from './zod-openapi';

export const DEFAULT_WAREHOUSE = 'bank';

/** A catalog schema name as PostgreSQL spells an unquoted identifier, so it is safe to use as one. */
export const warehouseNameSchema = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Must be a lower-case catalog schema name (letters, digits, _)');

/** `GET /v1/warehouses`: the warehouses this deployment serves, for a client's picker. */
export const warehouseListSchema = z
  .object({ items: z.array(z.object({ name: warehouseNameSchema })) })
  .openapi('WarehouseList');

export type WarehouseList = z.infer<typeof warehouseListSchema>;
