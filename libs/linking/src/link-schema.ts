import { isHiddenPii, isNotForTargeting, type Catalog, type CatalogColumn } from '@t2s/catalog';
import type { SemanticModelFile } from '@t2s/semantic';

/**
 * What schema linking reads about a warehouse: tables, columns, keys and every word that may name
 * them (comments, the semantic model's terms and value labels, the value index). Built from our
 * catalog or from a Spider/BIRD `tables.json` entry, so the same linker runs on both.
 */
export interface LinkColumn {
  name: string;
  type: string;
  description?: string;
  /** Words that name the column beyond its comment (model terms, attribute terms). */
  terms?: string[];
  /** Known values (the value index) and their labels; never for PII columns. */
  values?: string[];
  /**
   * Personal data the bank approved for filtering only (a birth date): usable in conditions, never
   * returned. Personal data not approved is left out of the linked schema altogether, since segment
   * SQL may not read it at all.
   */
  pii?: boolean;
}

export interface LinkTable {
  name: string;
  description?: string;
  terms?: string[];
  primaryKey: string[];
  foreignKeys: { columns: string[]; refTable: string; refColumns: string[] }[];
  columns: LinkColumn[];
  /**
   * Columns generated segment SQL may not read at all: personal data, and what is known only during or
   * after the current campaign's contact or records its outcome (not for targeting). Never linked or
   * shown, only named here so that an SQL text reading them (a person's example) is recognised.
   */
  hidden?: string[];
  /** The column its rows are dated by, for questions with a time window. */
  date?: string;
}

export interface LinkSchema {
  tables: LinkTable[];
  /** Columns every query may need whatever it is about (the warehouse's report date). */
  always?: string[];
}

/** A Spider/BIRD `tables.json` entry. */
export interface SpiderDatabase {
  db_id: string;
  table_names_original: string[];
  table_names: string[];
  column_names_original: [number, string][];
  column_names: [number, string][];
  column_types: string[];
  primary_keys: (number | number[])[];
  foreign_keys: [number, number][];
}

export function schemaFromSpider(db: SpiderDatabase): LinkSchema {
  const tables: LinkTable[] = db.table_names_original.map((name, i) => ({
    name,
    description: db.table_names[i],
    primaryKey: [],
    foreignKeys: [],
    columns: [],
  }));
  db.column_names_original.forEach(([t, name], i) => {
    const table = tables[t];
    if (!table) return; // the `*` pseudo-column
    const readable = db.column_names[i]?.[1];
    table.columns.push({
      name,
      type: db.column_types[i] ?? 'text',
      ...(readable && readable.toLowerCase() !== name.toLowerCase() ? { description: readable } : {}),
    });
  });
  const columnAt = (i: number) => {
    const [t, name] = db.column_names_original[i] ?? [-1, ''];
    return { table: tables[t], name };
  };
  for (const key of db.primary_keys) {
    for (const i of Array.isArray(key) ? key : [key]) {
      const { table, name } = columnAt(i);
      table?.primaryKey.push(name);
    }
  }
  for (const [from, to] of db.foreign_keys) {
    const a = columnAt(from);
    const b = columnAt(to);
    if (a.table && b.table) {
      a.table.foreignKeys.push({ columns: [a.name], refTable: b.table.name, refColumns: [b.name] });
    }
  }
  return { tables };
}

/**
 * Our catalog of one schema, with the semantic model's words when there is one: attribute terms go
 * to the columns (or, for a count, the table) they are computed from; labels of coded values go with
 * the values; the model's column synonyms go to their columns.
 */
export function schemaFromCatalog(catalog: Catalog, schema: string, model?: SemanticModelFile): LinkSchema {
  const columnTerms = new Map<string, string[]>();
  const tableTerms = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, words: string[]) =>
    map.set(key, [...(map.get(key) ?? []), ...words]);
  const tablesOfSchema = catalog.tables.filter((t) => t.schema === schema);
  const known = new Set(tablesOfSchema.flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`)));
  for (const attr of model?.attributes ?? []) {
    // "ипотека" names the loan table and the columns its measure reads (the loan type, the status).
    const words = [attr.label.ru, attr.label.en, ...attr.terms.ru, ...attr.terms.en];
    add(tableTerms, attr.measure.table, words);
    for (const column of measureColumns(attr.measure, known)) add(columnTerms, column, words);
  }
  for (const [column, terms] of Object.entries(model?.columns ?? {})) {
    add(columnTerms, column, [...terms.ru, ...terms.en]);
  }
  for (const [table, terms] of Object.entries(model?.tables ?? {})) {
    const words = [terms.label?.ru, terms.label?.en, ...(terms.terms?.ru ?? []), ...(terms.terms?.en ?? [])];
    add(
      tableTerms,
      table,
      words.filter((w): w is string => w !== undefined),
    );
  }
  const labels = model?.labels ?? {};
  return {
    ...(model?.now ? { always: sqlColumns(model.now, known) } : {}),
    tables: tablesOfSchema.map((t) => ({
      ...(model?.tables[t.name]?.date ? { date: model.tables[t.name]?.date } : {}),
      name: t.name,
      ...(t.comment ? { description: t.comment } : {}),
      ...(tableTerms.has(t.name) ? { terms: tableTerms.get(t.name) } : {}),
      primaryKey: t.primaryKey,
      foreignKeys: t.foreignKeys
        .filter((fk) => fk.refSchema === schema)
        .map((fk) => ({ columns: fk.columns, refTable: fk.refTable, refColumns: fk.refColumns })),
      ...(t.columns.some(isUnlinked) ? { hidden: t.columns.filter(isUnlinked).map((c) => c.name) } : {}),
      columns: t.columns
        .filter((c) => !isUnlinked(c))
        .map((c) => {
          const key = `${t.name}.${c.name}`;
          const labelled = Object.entries(labels[key] ?? {}).flatMap(([value, words]) => [
            value,
            ...words.ru,
            ...words.en,
          ]);
          const values = c.pii ? [] : [...(c.values ?? []), ...labelled];
          return {
            name: c.name,
            type: c.type,
            ...(c.comment ? { description: c.comment } : {}),
            ...(columnTerms.has(key) ? { terms: columnTerms.get(key) } : {}),
            ...(values.length > 0 ? { values } : {}),
            ...(c.pii ? { pii: true } : {}),
          };
        }),
    })),
  };
}

/** Never offered to a prompt: personal data not approved for filtering, and what is not for targeting. */
function isUnlinked(column: CatalogColumn): boolean {
  return isHiddenPii(column) || isNotForTargeting(column);
}

/** The `table.column`s a measure reads: its conditions' columns and those in its SQL template. */
function measureColumns(measure: { table: string }, known: ReadonlySet<string>): string[] {
  const json = JSON.stringify(measure);
  const found = [...json.matchAll(/"column":"([a-z_0-9]+\.[a-z_0-9]+)"/g)].map((m) => m[1] as string);
  const sql = (measure as { sql?: string }).sql;
  if (sql) {
    for (const m of sql.matchAll(/\{t\}\.([a-z_0-9]+)/g)) found.push(`${measure.table}.${m[1]}`);
    found.push(...sqlColumns(sql, known));
  }
  return [...new Set(found)].filter((c) => known.has(c));
}

/** Columns an SQL snippet names, through `from table alias` and `alias.column`, or bare in its one table. */
function sqlColumns(sql: string, known: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const froms = [...sql.matchAll(/from\s+(?:[a-z_0-9]+\.)?([a-z_0-9]+)(?:\s+(?:as\s+)?([a-z_0-9]+))?/gi)];
  for (const [, table, alias] of froms) {
    for (const m of sql.matchAll(/\b([a-z_0-9]+)\.([a-z_0-9]+)/gi)) {
      if (m[1] === alias || m[1] === table) found.push(`${table}.${m[2]}`);
    }
    for (const m of sql.matchAll(/\b([a-z_][a-z_0-9]*)\b/gi)) found.push(`${table}.${m[1]}`);
  }
  return [...new Set(found)].filter((c) => known.has(c));
}
