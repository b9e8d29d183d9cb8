import type { Catalog, CatalogTable } from './catalog.schema';

export interface CatalogStats {
  /** Tables of every kind, views included. */
  tables: number;
  columns: number;
  commentedTables: number;
  commentedColumns: number;
  piiColumns: number;
  foreignKeys: number;
  indexedValueColumns: number;
  /** Values in the value index, all columns together. */
  indexedValues: number;
  /** Their size as UTF-8 text: what the value index adds to the catalog a process keeps in memory. */
  valueIndexBytes: number;
}

export function catalogStats(catalog: Catalog): CatalogStats {
  const stats: CatalogStats = {
    tables: catalog.tables.length,
    columns: 0,
    commentedTables: 0,
    commentedColumns: 0,
    piiColumns: 0,
    foreignKeys: 0,
    indexedValueColumns: 0,
    indexedValues: 0,
    valueIndexBytes: 0,
  };
  for (const table of catalog.tables) {
    if (hasText(table.comment)) stats.commentedTables++;
    stats.foreignKeys += table.foreignKeys.length;
    for (const column of table.columns) {
      stats.columns++;
      if (hasText(column.comment)) stats.commentedColumns++;
      if (column.pii) stats.piiColumns++;
      if (column.values && column.values.length > 0) stats.indexedValueColumns++;
      for (const value of column.values ?? []) {
        stats.indexedValues++;
        stats.valueIndexBytes += Buffer.byteLength(value, 'utf8');
      }
    }
  }
  return stats;
}

function hasText(text: string | null): text is string {
  return text !== null && text.trim().length > 0;
}

const MAX_WIDTH = 100;
const MAX_NAME_WIDTH = 30;
const OTHER_AREA = 'Other';

/** `[Клиенты] Клиенты банка. Одна строка на клиента.` → area `Клиенты`, sentence `Клиенты банка`. */
export function splitTableComment(comment: string | null): { area: string | null; sentence: string } {
  if (!hasText(comment)) return { area: null, sentence: '' };
  const tagged = /^\s*\[([^\]]+)\]\s*/.exec(comment);
  const area = tagged ? tagged[1]!.trim() : null;
  const rest = (tagged ? comment.slice(tagged[0].length) : comment).replace(/\s+/g, ' ').trim();
  // A sentence ends at . ! ? followed by a space; a lone "т. е." may cut early, which is fine for a summary.
  const sentence = (rest.split(/(?<=[.!?])\s/, 1)[0] ?? '').replace(/[.!?]$/, '');
  return { area, sentence };
}

function compactCount(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)}M`;
  return `${(n / 1_000_000_000).toFixed(1)}B`;
}

function rowsLabel(table: CatalogTable): string {
  switch (table.kind) {
    case 'view':
      return 'view';
    case 'foreign_table':
      return 'foreign';
    default:
      return `${compactCount(table.rowEstimate)} ${table.rowEstimate === 1 ? 'row' : 'rows'}`;
  }
}

function fit(text: string, width: number): string {
  const chars = Array.from(text);
  if (width <= 0) return '';
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}

function kilobytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`;
}

function tableLine(table: CatalogTable, nameWidth: number, sentence: string): string {
  const pii = table.columns.filter((column) => column.pii).length;
  const head = [
    `    ${fit(table.name, nameWidth).padEnd(nameWidth)}`,
    rowsLabel(table).padStart(12),
    `${table.columns.length} cols`.padStart(9),
    (pii > 0 ? `${pii} PII` : '').padStart(7),
  ].join(' ');
  return sentence ? `${head}  ${fit(sentence, MAX_WIDTH - Array.from(head).length - 2)}` : head.trimEnd();
}

function schemaSection(catalog: Catalog, schema: string): string[] {
  const tables = catalog.tables.filter((table) => table.schema === schema);
  const stats = catalogStats({ ...catalog, tables });
  const lines = [
    `Schema ${schema}: ${tables.length} tables, ${stats.columns} columns, ${stats.piiColumns} PII`,
  ];
  if (tables.length === 0) return [...lines, '    (no tables)'];
  const nameWidth = Math.min(MAX_NAME_WIDTH, Math.max(...tables.map((table) => table.name.length)));

  const areas = new Map<string, string[]>();
  for (const table of tables) {
    const { area, sentence } = splitTableComment(table.comment);
    const key = area ?? OTHER_AREA;
    const group = areas.get(key) ?? [];
    group.push(tableLine(table, nameWidth, sentence));
    areas.set(key, group);
  }
  const tagged = [...areas.keys()].some((area) => area !== OTHER_AREA);
  // Subject areas in order of first appearance, untagged tables last.
  const keys = [...areas.keys()].filter((area) => area !== OTHER_AREA);
  if (areas.has(OTHER_AREA)) keys.push(OTHER_AREA);
  for (const key of keys) {
    if (tagged) lines.push(`  ${key}`);
    lines.push(...(areas.get(key) ?? []));
  }
  return lines;
}

/** "What data the bank has": a terminal-width overview of the catalog, per schema and subject area. */
export function summarizeCatalog(catalog: Catalog): string {
  const stats = catalogStats(catalog);
  const lines = [
    `Catalog of database "${catalog.database}", schema ${catalog.schemas.join(', ')} (generated ${catalog.generatedAt})`,
    '',
  ];
  for (const schema of catalog.schemas) lines.push(...schemaSection(catalog, schema), '');
  lines.push(
    `Totals: ${stats.tables} tables, ${stats.columns} columns, ${stats.foreignKeys} foreign keys`,
    `  commented: ${stats.commentedTables} of ${stats.tables} tables (${percent(stats.commentedTables, stats.tables)}), ` +
      `${stats.commentedColumns} of ${stats.columns} columns (${percent(stats.commentedColumns, stats.columns)})`,
    `  PII columns: ${stats.piiColumns}`,
    `  value-indexed columns: ${stats.indexedValueColumns} (${stats.indexedValues} values, ${kilobytes(stats.valueIndexBytes)})`,
  );
  return `${lines.join('\n')}\n`;
}
