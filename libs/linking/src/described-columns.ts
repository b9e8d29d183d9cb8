import type { Catalog, CatalogTable } from '@t2s/catalog';
import type { CriterionColumn } from '@t2s/contracts';
import { schemaFromCatalog, type LinkSchema } from './link-schema';
import { columnsOfSql } from './sql-columns';

/**
 * For each SQL text, the warehouse columns it reads with their catalog comments (and their tables'),
 * so a reviewer sees what data a criterion rests on; an empty list for SQL that does not parse. Tables
 * are matched by name across the catalog's schemas (a warehouse's catalog holds one). Call
 * `loadParser()` from @t2s/sql-guard first.
 */
export function describedColumns(sqls: readonly string[], catalog: Catalog): CriterionColumn[][] {
  const tables = new Map<string, CatalogTable>();
  for (const table of catalog.tables) {
    const name = table.name.toLowerCase();
    if (catalog.schemas.includes(table.schema) && !tables.has(name)) tables.set(name, table);
  }
  const linkSchema: LinkSchema = {
    tables: catalog.schemas
      .flatMap((schema) => schemaFromCatalog(catalog, schema).tables)
      .filter((t) => tables.get(t.name.toLowerCase())?.name === t.name),
  };
  return sqls.map((sql) =>
    (columnsOfSql(sql, linkSchema) ?? []).map((ref) => {
      const [tableName, columnName] = ref.split('.') as [string, string];
      const table = tables.get(tableName);
      const column = table?.columns.find((c) => c.name.toLowerCase() === columnName);
      return {
        table: table?.name ?? tableName,
        column: column?.name ?? columnName,
        ...(column?.comment ? { description: column.comment } : {}),
        ...(table?.comment ? { tableDescription: table.comment } : {}),
        ...(table && isKey(table, columnName) ? { key: true } : {}),
      };
    }),
  );
}

function isKey(table: CatalogTable, column: string): boolean {
  const keys = [...table.primaryKey, ...table.foreignKeys.flatMap((fk) => fk.columns)];
  return keys.some((k) => k.toLowerCase() === column);
}
