import { UnknownWarehouseError, type CatalogLookup } from '@t2s/catalog';
import { AppError, type SqlCheck } from '@t2s/contracts';
import { checkSql, loadSqlGuard, policyFromCatalog } from '@t2s/sql-guard';

/**
 * `POST /v1/sql/check`: the guard's verdict on a person's SQL against a warehouse's catalog, with the
 * policy the execution stage applies (its relations, one output column), so an edit can be judged
 * before it runs. Nothing is sent to the warehouse. NOT_FOUND for a warehouse this deployment lacks.
 */
export async function checkSegmentSql(
  catalogs: CatalogLookup,
  warehouse: string,
  sql: string,
): Promise<SqlCheck> {
  let catalog;
  try {
    catalog = await catalogs(warehouse);
  } catch (error) {
    if (error instanceof UnknownWarehouseError) throw new AppError('NOT_FOUND', error.message);
    throw error;
  }
  await loadSqlGuard();
  const verdict = checkSql(sql, policyFromCatalog(catalog));
  return verdict.ok
    ? { accepted: true, relations: verdict.relations }
    : { accepted: false, code: verdict.code, reason: verdict.reason };
}
