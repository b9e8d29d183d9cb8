import type { Catalog } from '@t2s/catalog';
import type { GuardPolicy } from './guard.types';
import { DEFAULT_FUNCTIONS } from './default-functions';

export const DEFAULT_MAX_SQL_LENGTH = 20_000;

export interface PolicyOptions {
  /** 1 (the default) for segment queries, which return the client id only; null for any shape. */
  outputColumns?: 1 | null;
  functions?: ReadonlySet<string>;
  maxLength?: number;
}

/**
 * The guard's policy for one warehouse: every table and view of its catalog as `schema.name` (as
 * PostgreSQL stores the names, so matching is exact), its schemas as the search path.
 */
export function policyFromCatalog(catalog: Catalog, options: PolicyOptions = {}): GuardPolicy {
  return {
    relations: new Set(catalog.tables.map((table) => `${table.schema}.${table.name}`)),
    searchPath: [...catalog.schemas],
    functions: options.functions ?? DEFAULT_FUNCTIONS,
    outputColumns: options.outputColumns === undefined ? 1 : options.outputColumns,
    maxLength: options.maxLength ?? DEFAULT_MAX_SQL_LENGTH,
  };
}
