/**
 * The demo warehouse's tables as data: every table and column carries its Russian comment, keys and
 * PII mark. The DDL, the comments, the PII annotation file and the generator's row layout all come
 * from these definitions.
 */
export interface ColumnDef {
  name: string;
  type: string;
  comment: string;
  nullable: boolean;
  pii: boolean;
}

export interface ForeignKeyDef {
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export interface TableDef {
  name: string;
  /** Subject area, shown first in the table comment, e.g. "Карты". */
  area: string;
  comment: string;
  columns: ColumnDef[];
  primaryKey: string[];
  foreignKeys: ForeignKeyDef[];
  /** Extra secondary indexes (FK columns of large tables are indexed automatically). */
  indexes: string[][];
}

/** `c('amount', 'numeric(14,2)', 'Сумма, руб.')`; flags: `null` = nullable, `pii` = personal data. */
export function c(name: string, type: string, comment: string, ...flags: Array<'null' | 'pii'>): ColumnDef {
  return { name, type, comment, nullable: flags.includes('null'), pii: flags.includes('pii') };
}

export interface TableOptions {
  pk: string[];
  /** `{ client_id: 'client', mcc_code: 'ref_mcc' }`: column -> referenced table (its PK of the same name). */
  fk?: Record<string, string | [string, string]>;
  /** Composite foreign keys. */
  compositeFk?: ForeignKeyDef[];
  indexes?: string[][];
}

export function t(
  name: string,
  area: string,
  comment: string,
  columns: ColumnDef[],
  options: TableOptions,
): TableDef {
  const foreignKeys: ForeignKeyDef[] = Object.entries(options.fk ?? {}).map(([column, ref]) => {
    const [refTable, refColumn] = typeof ref === 'string' ? [ref, column] : ref;
    return { columns: [column], refTable, refColumns: [refColumn] };
  });
  return {
    name,
    area,
    comment,
    columns,
    primaryKey: options.pk,
    foreignKeys: [...foreignKeys, ...(options.compositeFk ?? [])],
    indexes: options.indexes ?? [],
  };
}
