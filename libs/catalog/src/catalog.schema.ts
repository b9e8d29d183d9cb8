import { z } from 'zod';

/**
 * The catalog: what a PostgreSQL warehouse holds, as the rest of t2s sees it. Produced by
 * introspection, validated with these schemas, serialised as JSON by `t2s catalog --out`.
 */
export const foreignKeySchema = z.object({
  name: z.string(),
  columns: z.array(z.string()).min(1),
  refSchema: z.string(),
  refTable: z.string(),
  refColumns: z.array(z.string()).min(1),
});

export const columnSchema = z.object({
  name: z.string(),
  /** As PostgreSQL prints it (format_type): `integer`, `numeric(18,2)`, `character varying(20)`. */
  type: z.string(),
  nullable: z.boolean(),
  comment: z.string().nullable(),
  pii: z.boolean(),
  /** Where the PII mark came from: the warehouse's annotation file, or the name/comment fallback. */
  piiSource: z.enum(['annotation', 'name', 'none']),
  /**
   * PII the bank approved for filtering (WHERE, JOIN, HAVING...), never for a query's output: the
   * annotations' `piiFilterable`. Segment SQL may not read any other PII column at all.
   */
  piiFilterable: z.boolean().optional(),
  /**
   * Known only during or after the current campaign's contact, or recording its outcome (the
   * annotations' `notForTargeting`): generated segment SQL may not read it at all; a person's may.
   * Present (true) only on such columns.
   */
  notForTargeting: z.boolean().optional(),
  /** Planner's estimate of distinct values (pg_stats), null before ANALYZE. */
  distinctEstimate: z.number().nullable(),
  /** The value index: every distinct value of a low-cardinality, non-PII text column. */
  values: z.array(z.string()).optional(),
});

export const tableSchema = z.object({
  schema: z.string(),
  name: z.string(),
  kind: z.enum(['table', 'view', 'materialized_view', 'foreign_table', 'partitioned_table']),
  comment: z.string().nullable(),
  rowEstimate: z.number().int().nonnegative(),
  primaryKey: z.array(z.string()),
  columns: z.array(columnSchema).min(1),
  foreignKeys: z.array(foreignKeySchema),
});

/** The segment entity (the client) of one schema: a segment query returns its key. */
export const entityRefSchema = z.object({
  schema: z.string(),
  table: z.string(),
  column: z.string(),
});

export const catalogSchema = z.object({
  version: z.literal(1),
  database: z.string(),
  schemas: z.array(z.string()).min(1),
  generatedAt: z.string(),
  tables: z.array(tableSchema),
  /**
   * Each schema's client entity: from the annotations' `entity`, else a table named client(s) or
   * customer(s) with a one-column primary key. A schema with none cannot answer segment queries.
   */
  entities: z.array(entityRefSchema).default([]),
});

/**
 * Per-warehouse annotations kept with the project's configuration (`config/warehouses/*.json`), not
 * in code. Column references are `table.column` (or `schema.table.column`).
 */
export const catalogAnnotationsSchema = z.object({
  warehouse: z.string(),
  pii: z.array(z.string()).default([]),
  /** Columns the name-based fallback would flag but that are not personal data. */
  notPii: z.array(z.string()).default([]),
  /**
   * `table.column` -> how many distinct values its value index may hold, for columns people name by
   * value that have more than the default cap (the 53 cities of the demo bank). PII is never indexed.
   */
  valueIndex: z.record(z.string(), z.number().int().min(1).max(10_000)).optional(),
  /**
   * PII columns (listed in `pii`) the bank approved for filtering only: segment SQL may compare them
   * (an age from `birth_date`) but never return them. Empty unless the bank says so.
   */
  piiFilterable: z.array(z.string()).optional(),
  /**
   * Columns known only during or after the current campaign's contact, or recording its outcome (the
   * call's duration, whether the client subscribed): an offer's segment must not be chosen by them, so
   * no strategy reads them. An analyst's own SQL may (outcomes are what campaigns are studied by).
   */
  notForTargeting: z.array(z.string()).optional(),
  /** The client entity (the semantic model's own field): the table and its key column. */
  entity: z.object({ table: z.string().min(1), id: z.string().min(1) }).optional(),
  /** Several schemas' entities, `schema.table` qualified (what mergeAnnotations makes of each `entity`). */
  entities: z.array(z.object({ table: z.string().min(1), id: z.string().min(1) })).optional(),
});

export type ForeignKey = z.infer<typeof foreignKeySchema>;
export type CatalogColumn = z.infer<typeof columnSchema>;
export type CatalogTable = z.infer<typeof tableSchema>;
export type Catalog = z.infer<typeof catalogSchema>;
export type CatalogAnnotations = z.infer<typeof catalogAnnotationsSchema>;
export type EntityRef = z.infer<typeof entityRefSchema>;
