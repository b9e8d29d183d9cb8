import type { Catalog } from '@t2s/catalog';
import { quoteIdent } from '@t2s/db';
import { referenceRows, type ReferenceValues } from '@t2s/semantic';
import type { OfferRules } from './offer-rules';

/** Reference tables are small; a bigger one is read this far and no further. */
const MAX_ROWS = 10_000;

/**
 * The reference rows the offer rules look values up in (a product's age limits in `ref_product`), read
 * once from the warehouse so that criteria show "от 21 до 70 лет" rather than what the rule names. Only
 * the tables a rule's lookup names, only their columns that hold no personal data; a table's name column
 * (`product_name`, `name`) names its keys.
 */
export async function readReferences(
  query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }>,
  catalog: Catalog,
  rules: OfferRules | undefined,
): Promise<ReferenceValues> {
  const schema = catalog.schemas[0];
  if (!schema || !rules) return referenceRows({});
  const looked = new Set(
    [...JSON.stringify(rules).matchAll(/"lookup":\{"column":"([a-z_][a-z0-9_]*)\./g)].map(
      (m) => m[1] as string,
    ),
  );
  const rows: Record<string, Record<string, unknown>[]> = {};
  const names: Record<string, string> = {};
  for (const name of looked) {
    const table = catalog.tables.find((t) => t.schema === schema && t.name === name);
    const columns = table?.columns.filter((c) => !c.pii).map((c) => c.name) ?? [];
    if (!table || columns.length === 0) continue;
    const sql = `select ${columns.map(quoteIdent).join(', ')} from ${quoteIdent(schema)}.${quoteIdent(name)} limit ${MAX_ROWS}`;
    rows[name] = (await query(sql)).rows;
    const named = columns.find((c) => /(^|_)name$/.test(c));
    if (named) names[name] = named;
  }
  return referenceRows(rows, names);
}
