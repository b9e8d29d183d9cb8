import { DEFAULT_WAREHOUSE, warehouseNameSchema } from './warehouse-name.schema';
import { z } from './zod-openapi';

/**
 * `GET /v1/catalog`: what a marketer may write criteria about, the warehouse as the service sees it.
 * A public view of the catalog library's model (which contracts cannot import): no value index, no
 * foreign keys, PII columns marked so nobody writes a criterion the service will refuse to send to an LLM.
 */
export const catalogColumnViewSchema = z
  .object({
    name: z.string(),
    type: z.string().openapi({ example: 'numeric(18,2)' }),
    comment: z.string().nullable(),
    pii: z.boolean(),
  })
  .openapi('CatalogColumn');

export const catalogTableViewSchema = z
  .object({
    schema: z.string(),
    name: z.string(),
    comment: z.string().nullable(),
    rowEstimate: z.number().int().nonnegative(),
    columns: z.array(catalogColumnViewSchema),
  })
  .openapi('CatalogTable');

export const catalogResponseSchema = z
  .object({
    warehouse: z.string(),
    generatedAt: z.iso.datetime(),
    tables: z.array(catalogTableViewSchema),
  })
  .openapi('Catalog');

export const catalogQuerySchema = z.object({
  warehouse: warehouseNameSchema
    .default(DEFAULT_WAREHOUSE)
    .openapi({ param: { description: 'Catalog schema (warehouse) name.' } }),
});

export type CatalogColumnView = z.infer<typeof catalogColumnViewSchema>;
export type CatalogTableView = z.infer<typeof catalogTableViewSchema>;
export type CatalogResponse = z.infer<typeof catalogResponseSchema>;
export type CatalogQuery = z.output<typeof catalogQuerySchema>;
