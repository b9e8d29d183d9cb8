import { DEFAULT_WAREHOUSE, warehouseNameSchema } from './warehouse-name.schema';
import { safeText } from './safe-text';
import { z } from './zod-openapi';

/**
 * `POST /v1/sql/check`: the guard's verdict on an SQL text before anyone runs it (the review console
 * shows it while a marketer edits SQL). The same guard and policy as the execution stage; nothing runs.
 */
export const sqlCheckRequestSchema = z
  .strictObject({
    sql: safeText().trim().min(1).max(100_000),
    warehouse: warehouseNameSchema.default(DEFAULT_WAREHOUSE),
  })
  .openapi('SqlCheckRequest');

export const sqlCheckSchema = z
  .object({
    accepted: z.boolean(),
    code: z
      .string()
      .optional()
      .openapi({ description: "The guard's code when refused (e.g. NOT_SELECT, UNKNOWN_RELATION)." }),
    reason: z.string().optional().openapi({ description: 'Why it was refused, for people.' }),
    relations: z
      .array(z.string())
      .optional()
      .openapi({ description: 'Relations the SQL reads (`schema.table`), when accepted.' }),
  })
  .openapi('SqlCheck');

export type SqlCheckRequest = z.output<typeof sqlCheckRequestSchema>;
export type SqlCheck = z.infer<typeof sqlCheckSchema>;
