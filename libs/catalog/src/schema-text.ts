import { quoteIdent } from '@t2s/db';
import type { Catalog, CatalogColumn, CatalogTable } from './catalog.schema';

const CREATE: Record<CatalogTable['kind'], string> = {
  table: 'CREATE TABLE',
  partitioned_table: 'CREATE TABLE',
  view: 'CREATE VIEW',
  materialized_view: 'CREATE MATERIALIZED VIEW',
  foreign_table: 'CREATE FOREIGN TABLE',
};

function oneLine(comment: string | null): string | null {
  const text = comment?.replace(/\s+/g, ' ').trim();
  return text ? text : null;
}

function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

function columnList(columns: readonly string[]): string {
  return columns.map(quoteIdent).join(', ');
}

function columnClause(table: CatalogTable, column: CatalogColumn): string {
  const parts = [quoteIdent(column.name), column.type];
  if (!column.nullable) parts.push('NOT NULL');
  if (table.primaryKey.length === 1 && table.primaryKey[0] === column.name) parts.push('PRIMARY KEY');
  const fk = table.foreignKeys.find((key) => key.columns.length === 1 && key.columns[0] === column.name);
  if (fk) parts.push(`REFERENCES ${qualified(fk.refSchema, fk.refTable)}(${columnList(fk.refColumns)})`);
  return parts.join(' ');
}

/**
 * One table as DDL, every comment inline. Single-column keys sit on their column, composite ones
 * below the columns, so the text stays close to what a person would write.
 */
function tableDdl(table: CatalogTable): string {
  const items: Array<{ sql: string; comment: string | null }> = table.columns.map((column) => ({
    sql: columnClause(table, column),
    comment: oneLine(column.comment),
  }));
  if (table.primaryKey.length > 1)
    items.push({ sql: `PRIMARY KEY (${columnList(table.primaryKey)})`, comment: null });
  for (const fk of table.foreignKeys.filter((key) => key.columns.length > 1)) {
    const target = `${qualified(fk.refSchema, fk.refTable)}(${columnList(fk.refColumns)})`;
    items.push({ sql: `FOREIGN KEY (${columnList(fk.columns)}) REFERENCES ${target}`, comment: null });
  }
  const tableComment = oneLine(table.comment);
  const lines = [
    `${CREATE[table.kind]} ${qualified(table.schema, table.name)} (${tableComment ? ` -- ${tableComment}` : ''}`,
  ];
  items.forEach((item, i) => {
    const comma = i < items.length - 1 ? ',' : '';
    lines.push(`  ${item.sql}${comma}${item.comment ? ` -- ${item.comment}` : ''}`);
  });
  lines.push(');');
  return lines.join('\n');
}

/** The whole schema as the text one would have to paste into an LLM prompt without a catalog. */
export function renderSchemaDdl(catalog: Catalog): string {
  return `${catalog.tables.map(tableDdl).join('\n\n')}\n`;
}

export const TOKENIZER_NAME = 'o200k_base';

/**
 * Token count with OpenAI's o200k_base encoding (GPT-4o and later), a fair stand-in for any current
 * LLM. Special-token markers in the text are counted as plain text rather than rejected.
 */
export async function countTokens(text: string): Promise<{ tokenizer: string; tokens: number }> {
  // Loaded on first use: the encoding's tables take ~0.4 s to load, which every CLI start would pay.
  const { encode } = await import('gpt-tokenizer/encoding/o200k_base');
  return { tokenizer: TOKENIZER_NAME, tokens: encode(text, { disallowedSpecial: new Set() }).length };
}
