// What a lookup reads (`{lookup: {column, where}}`: a product's age limits) as the warehouse holds it, for
// the renderer. The renderer is pure and reads no warehouse, so whoever has the reference rows (a query of
// the warehouse, a committed fixture, the offer's own product name) hands them in through this interface.
import type { LookupValue } from './representation';

export type ReferenceScalar = string | number | boolean | null;

export interface ReferenceValues {
  /**
   * The value a lookup reads from its reference row (21 for a product's minimum age); null when the row
   * (or its value) is not there, so the lookup bounds nothing; undefined when the table was not read.
   */
  value(lookup: LookupValue): ReferenceScalar | undefined;
  /** What a key value is called ("CC_CASHBACK": "Кредитная карта с кешбэком"); undefined when unknown. */
  name(column: string, key: string | number | boolean): string | undefined;
}

export const NO_REFERENCES: ReferenceValues = { value: () => undefined, name: () => undefined };

/** Two sources of references stacked: the first that knows answers. */
export function orElse(first: ReferenceValues, then: ReferenceValues): ReferenceValues {
  return {
    value: (lookup) => {
      const known = first.value(lookup);
      return known === undefined ? then.value(lookup) : known;
    },
    name: (column, key) => first.name(column, key) ?? then.name(column, key),
  };
}

/**
 * References from reference rows as read (`{ref_product: [{product_code: 'CC_CASHBACK', min_age: 21,
 * ...}]}`): a lookup's value is its column of the row whose key column holds the key, and a key's name
 * the row's column `names` gives for its table (`{ref_product: 'product_name'}`). Reference tables are
 * small, so a caller with the warehouse reads them once, as it reads the catalog.
 */
export function referenceRows(
  rows: Readonly<Record<string, readonly Record<string, unknown>[]>>,
  names: Readonly<Record<string, string>> = {},
): ReferenceValues {
  const rowOf = (column: string, key: unknown) => {
    const [table = '', keyColumn = ''] = column.split('.');
    return { table, row: rows[table]?.find((r) => String(r[keyColumn]) === String(key)) };
  };
  const scalar = (value: unknown): ReferenceScalar | undefined =>
    value === null || ['string', 'number', 'boolean'].includes(typeof value)
      ? (value as ReferenceScalar)
      : undefined;
  return {
    value: ({ lookup }) => {
      const { table: keyTable, row } = rowOf(lookup.where.column, lookup.where.value);
      const [table = '', column = ''] = lookup.column.split('.');
      if (!lookup.where.column.startsWith(`${table}.`)) return undefined;
      // A table that was read but has no row for the key holds no value for it: null, not unknown.
      if (!row) return rows[keyTable] === undefined ? undefined : null;
      return scalar(row[column]);
    },
    name: (column, key) => {
      const { table, row } = rowOf(column, key);
      const name = row?.[names[table] ?? ''];
      return typeof name === 'string' && name.length > 0 ? name : undefined;
    },
  };
}
