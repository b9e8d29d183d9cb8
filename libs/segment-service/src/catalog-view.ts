import { UnknownWarehouseError, type Catalog, type CatalogLookup } from '@t2s/catalog';
import { AppError, type CatalogResponse } from '@t2s/contracts';

/** The public view of a catalog: tables and columns with comments and PII marks, no values, no keys. */
export function toCatalogResponse(warehouse: string, catalog: Catalog): CatalogResponse {
  return {
    warehouse,
    generatedAt: new Date(catalog.generatedAt).toISOString(),
    tables: catalog.tables.map((table) => ({
      schema: table.schema,
      name: table.name,
      comment: table.comment,
      rowEstimate: table.rowEstimate,
      columns: table.columns.map((column) => ({
        name: column.name,
        type: column.type,
        comment: column.comment,
        pii: column.pii,
      })),
    })),
  };
}

/** A warehouse's catalog for an API call: NOT_FOUND for a warehouse this deployment does not serve. */
export async function catalogOf(catalogs: CatalogLookup, warehouse: string): Promise<Catalog> {
  try {
    return await catalogs(warehouse);
  } catch (error) {
    if (error instanceof UnknownWarehouseError) throw new AppError('NOT_FOUND', error.message);
    throw error;
  }
}

/** `GET /v1/catalog`. */
export async function describeWarehouse(
  catalogs: CatalogLookup,
  warehouse: string,
): Promise<CatalogResponse> {
  return toCatalogResponse(warehouse, await catalogOf(catalogs, warehouse));
}
