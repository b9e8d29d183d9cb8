export * from './catalog.schema';
export { introspectCatalog, type IntrospectOptions } from './introspect';
export { markPii, looksLikePii, hiddenPiiColumns, isHiddenPii, type PiiMark, type PiiColumnRef } from './pii';
export { isNotForTargeting, markTargeting, type TargetingMark } from './targeting';
export {
  DEFAULT_MAX_DISTINCT,
  DEFAULT_MAX_VALUE_LENGTH,
  isValueIndexCandidate,
  type ValueIndexOptions,
} from './value-index';
export { summarizeCatalog, catalogStats, type CatalogStats } from './summary';
export { renderSchemaDdl, countTokens, TOKENIZER_NAME } from './schema-text';
export { loadAnnotations, findAnnotationsFor, annotationsForSchemas } from './annotations';
export {
  createCatalogCache,
  UnknownWarehouseError,
  type CatalogCacheOptions,
  type CatalogLookup,
} from './catalog-cache';
