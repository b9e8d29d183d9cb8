import type { ClientBase } from 'pg';
import { quoteIdent } from '@t2s/db';
import type { CatalogColumn, CatalogTable } from './catalog.schema';

export interface ValueIndexOptions {
  /**
   * A column of a table small enough to scan with more distinct values than this gets no value list.
   * Default 5,000: every place, brand or product name a marketer may write.
   */
  maxDistinct?: number;
  /**
   * The same for a large table, whose columns are chosen by their statistics alone (a scan of it costs
   * the same whatever the cap): low-cardinality codes only. Default 50.
   */
  largeTableMaxDistinct?: number;
  /** Longer values are cut to this many characters, the last one being `…`. Default 80. */
  maxValueLength?: number;
}

/** What the value index needs to know about a column beyond the catalog itself. */
export interface ValueIndexColumn {
  schema: string;
  table: string;
  tableKind: CatalogTable['kind'];
  /** pg_class.reltuples as is: -1 when the table was never vacuumed or analysed. */
  tableRowsRaw: number;
  tableBytes: number;
  /** text, varchar, char, name, citext, enums, and domains over them. */
  textLike: boolean;
  column: CatalogColumn;
  /** This column's own cap, from the annotations, over the defaults. */
  maxDistinct?: number;
}

export const DEFAULT_MAX_DISTINCT = 5_000;
export const DEFAULT_LARGE_TABLE_MAX_DISTINCT = 50;
export const DEFAULT_MAX_VALUE_LENGTH = 80;

/** Tables this small are scanned whatever their statistics say (a `select distinct` is cheap)... */
const SMALL_TABLE_ROWS = 200_000;
/** ...and, when even the row count is unknown, tables this small on disk (about 100k narrow rows). */
const SMALL_TABLE_BYTES = 16 * 1024 * 1024;

/** A table small enough to scan for every text column's values. */
export function isSmallTable(input: Pick<ValueIndexColumn, 'tableRowsRaw' | 'tableBytes'>): boolean {
  return input.tableRowsRaw >= 0
    ? input.tableRowsRaw < SMALL_TABLE_ROWS
    : input.tableBytes < SMALL_TABLE_BYTES;
}

/** The cap a column's values are collected under: its own, else the small or the large table default. */
export function valueIndexCap(input: ValueIndexColumn, options: Required<ValueIndexOptions>): number {
  return input.maxDistinct ?? (isSmallTable(input) ? options.maxDistinct : options.largeTableMaxDistinct);
}

/**
 * Whether a column is worth one `select distinct`. Views and foreign tables are skipped: the query
 * would run their whole definition or go to another server. PII is skipped before anything else, so
 * its values never reach the catalog. A small table's column is scanned unless its statistics say it
 * has more values than the cap; a large table's only when its statistics say it has no more.
 */
export function isValueIndexCandidate(input: ValueIndexColumn, maxDistinct: number): boolean {
  if (input.column.pii || !input.textLike) return false;
  if (input.tableKind === 'view' || input.tableKind === 'foreign_table') return false;
  if (input.column.distinctEstimate !== null) return input.column.distinctEstimate <= maxDistinct;
  return isSmallTable(input);
}

function truncate(value: string, maxLength: number): string {
  const chars = Array.from(value); // by code point, so a surrogate pair is never split
  return chars.length <= maxLength ? value : `${chars.slice(0, Math.max(maxLength - 1, 0)).join('')}…`;
}

/**
 * The column's distinct non-null values (as text, truncated, sorted by code point so the catalog is
 * the same on every machine), or null when there are more than `maxDistinct`. `limit` keeps the
 * transfer small; the planner still reads the table, which is why candidates are chosen first.
 */
export async function collectColumnValues(
  client: ClientBase,
  input: Pick<ValueIndexColumn, 'schema' | 'table' | 'column'>,
  options: Required<ValueIndexOptions>,
): Promise<string[] | null> {
  if (input.column.pii)
    throw new Error(`refusing to collect values of PII column ${input.table}.${input.column.name}`);
  const column = quoteIdent(input.column.name);
  const { rows } = await client.query<{ value: string }>(
    `select distinct ${column}::text as value from ${quoteIdent(input.schema)}.${quoteIdent(input.table)}
      where ${column} is not null limit ${options.maxDistinct + 1}`,
  );
  if (rows.length > options.maxDistinct) return null;
  const values = new Set(rows.map((row) => truncate(row.value, options.maxValueLength)));
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function resolveValueIndexOptions(options: ValueIndexOptions = {}): Required<ValueIndexOptions> {
  const resolved = {
    maxDistinct: options.maxDistinct ?? DEFAULT_MAX_DISTINCT,
    largeTableMaxDistinct: Math.min(
      options.largeTableMaxDistinct ?? DEFAULT_LARGE_TABLE_MAX_DISTINCT,
      options.maxDistinct ?? DEFAULT_MAX_DISTINCT,
    ),
    maxValueLength: options.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw new Error(`valueIndex.${name} must be a positive integer`);
  }
  return resolved;
}

/** Fills `column.values` in place for every candidate; returns how many columns got a list. */
export async function buildValueIndex(
  client: ClientBase,
  columns: readonly ValueIndexColumn[],
  options: ValueIndexOptions = {},
): Promise<number> {
  const resolved = resolveValueIndexOptions(options);
  let indexed = 0;
  for (const input of columns) {
    const own = { ...resolved, maxDistinct: valueIndexCap(input, resolved) };
    if (!isValueIndexCandidate(input, own.maxDistinct)) continue;
    const values = await collectColumnValues(client, input, own);
    // An all-null column has nothing to offer; leaving `values` out keeps "indexed" meaningful.
    if (values && values.length > 0) {
      input.column.values = values;
      indexed++;
    }
  }
  return indexed;
}
