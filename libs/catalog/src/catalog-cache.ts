import type { Pool } from 'pg';
import { findAnnotationsFor } from './annotations';
import type { Catalog } from './catalog.schema';
import { introspectCatalog } from './introspect';

export interface CatalogCacheOptions {
  /** The warehouse owner's (or any catalog-reading) connection pool. */
  pool: Pool;
  /** The warehouses (schemas) this process serves; any other name is unknown. */
  schemas: readonly string[];
  /** How long an introspected catalog is served before it is read again (default 10 minutes). */
  ttlMs?: number;
  clock?: () => number;
  onWarning?: (message: string) => void;
}

export type CatalogLookup = (warehouse: string) => Promise<Catalog>;

/** Thrown for a warehouse name the process does not serve. */
export class UnknownWarehouseError extends Error {
  override readonly name = 'UnknownWarehouseError';
}

/**
 * Introspected catalogs by warehouse, with the warehouse's PII annotations applied, re-read after a TTL
 * so a schema change reaches long-running processes without a restart. Concurrent callers share one
 * introspection; a failed one is not cached.
 */
export function createCatalogCache(options: CatalogCacheOptions): CatalogLookup {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const clock = options.clock ?? Date.now;
  const entries = new Map<string, { at: number; catalog: Promise<Catalog> }>();

  const load = async (schema: string): Promise<Catalog> => {
    const client = await options.pool.connect();
    try {
      return await introspectCatalog(client, {
        schemas: [schema],
        annotations: findAnnotationsFor(schema),
        onWarning: options.onWarning,
      });
    } finally {
      client.release();
    }
  };

  return (warehouse) => {
    if (!options.schemas.includes(warehouse)) {
      return Promise.reject(new UnknownWarehouseError(`No warehouse ${JSON.stringify(warehouse)}`));
    }
    const cached = entries.get(warehouse);
    if (cached && clock() - cached.at < ttlMs) return cached.catalog;
    const catalog = load(warehouse);
    entries.set(warehouse, { at: clock(), catalog });
    catalog.catch(() => {
      if (entries.get(warehouse)?.catalog === catalog) entries.delete(warehouse);
    });
    return catalog;
  };
}
