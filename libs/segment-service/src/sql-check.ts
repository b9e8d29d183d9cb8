import type { CatalogLookup } from '@t2s/catalog';
import type { SqlCheck } from '@t2s/contracts';
import { checkSql, loadSqlGuard, policyFromCatalog } from '@t2s/sql-guard';
import { catalogOf } from './catalog-view';

/**
 * `POST /v1/sql/check`: the guard's verdict on a person's SQL against a warehouse's catalog, with the
 * policy the execution stage applies to a person's SQL (its relations, no personal data, the client
 * key as the one output column, recursion only with a visible limit), so an edit can be judged before
 * it runs. Nothing is sent to the warehouse. NOT_FOUND for a warehouse this deployment lacks.
 */
export async function checkSegmentSql(
  catalogs: CatalogLookup,
  warehouse: string,
  sql: string,
): Promise<SqlCheck> {
  const catalog = await catalogOf(catalogs, warehouse);
  await loadSqlGuard();
  const verdict = checkSql(sql, policyFromCatalog(catalog, { origin: 'person' }));
  return verdict.ok
    ? { accepted: true, relations: verdict.relations }
    : { accepted: false, code: verdict.code, reason: verdict.reason };
}
