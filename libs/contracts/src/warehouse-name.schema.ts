import { z } from './zod-openapi';

export const DEFAULT_WAREHOUSE = 'bank';

/** A catalog schema name as PostgreSQL spells an unquoted identifier, so it is safe to use as one. */
export const warehouseNameSchema = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Must be a lower-case catalog schema name (letters, digits, _)');
