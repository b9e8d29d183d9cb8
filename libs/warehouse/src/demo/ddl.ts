import { quoteIdent, quoteLiteral } from '@t2s/db';
import type { TableDef } from './table-def';

const q = quoteIdent;

export function createTableSql(schema: string, table: TableDef): string {
  const columns = table.columns.map(
    (col) => `  ${q(col.name)} ${col.type}${col.nullable ? '' : ' not null'}`,
  );
  return `create table ${q(schema)}.${q(table.name)} (\n${columns.join(',\n')}\n)`;
}

/** The table comment as stored: the subject area in brackets first, so a reader can group tables. */
export function tableComment(table: TableDef): string {
  return `[${table.area}] ${table.comment}`;
}

export function primaryKeySql(schema: string, table: TableDef): string {
  return `alter table ${q(schema)}.${q(table.name)} add constraint ${q(`${table.name}_pkey`)} primary key (${table.primaryKey.map(q).join(', ')})`;
}

export function foreignKeySql(schema: string, table: TableDef): string[] {
  return table.foreignKeys.map(
    (fk) =>
      `alter table ${q(schema)}.${q(table.name)} add constraint ${q(`${table.name}_${fk.columns.join('_')}_fkey`)} ` +
      `foreign key (${fk.columns.map(q).join(', ')}) references ${q(schema)}.${q(fk.refTable)} (${fk.refColumns.map(q).join(', ')})`,
  );
}

/** Secondary indexes: the declared ones plus every single-column FK not already led by the PK or an index. */
export function indexSql(schema: string, table: TableDef): string[] {
  const indexes = [...table.indexes];
  for (const fk of table.foreignKeys) {
    const column = fk.columns[0]!;
    const covered = [table.primaryKey, ...indexes].some((cols) => cols[0] === column);
    if (!covered && !table.name.startsWith('ref_')) indexes.push(fk.columns);
  }
  return indexes.map(
    (cols) =>
      `create index ${q(`${table.name}_${cols.join('_')}_idx`.slice(0, 63))} on ${q(schema)}.${q(table.name)} (${cols.map(q).join(', ')})`,
  );
}

export function commentSql(schema: string, table: TableDef): string[] {
  const name = `${q(schema)}.${q(table.name)}`;
  return [
    `comment on table ${name} is ${quoteLiteral(tableComment(table))}`,
    ...table.columns.map((col) => `comment on column ${name}.${q(col.name)} is ${quoteLiteral(col.comment)}`),
  ];
}
