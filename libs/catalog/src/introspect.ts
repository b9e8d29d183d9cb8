import type { ClientBase } from 'pg';
import {
  catalogSchema,
  type Catalog,
  type CatalogAnnotations,
  type CatalogColumn,
  type CatalogTable,
  type EntityRef,
  type ForeignKey,
} from './catalog.schema';
import { markPii, unmatchedAnnotationRefs } from './pii';
import { markTargeting } from './targeting';
import { buildValueIndex, type ValueIndexColumn, type ValueIndexOptions } from './value-index';

export interface IntrospectOptions {
  schemas: string[];
  annotations?: CatalogAnnotations;
  valueIndex?: ValueIndexOptions;
  /** Told about annotation references that match no column (a typo there leaves PII unmarked). */
  onWarning?: (message: string) => void;
}

const KINDS: Record<string, CatalogTable['kind']> = {
  r: 'table',
  v: 'view',
  m: 'materialized_view',
  f: 'foreign_table',
  p: 'partitioned_table',
};

interface RelationRow {
  oid: number;
  schema: string;
  name: string;
  relkind: string;
  comment: string | null;
  reltuples: number;
  bytes: string;
}

// A partitioned table's own reltuples is not maintained; its rows and bytes are its leaves' sums
// (-1 when any leaf was never analysed). Partitions themselves are left out: the parent stands for them.
const RELATIONS_SQL = `
  select c.oid::int as oid, n.nspname as schema, c.relname as name, c.relkind::text as relkind,
         obj_description(c.oid, 'pg_class') as comment,
         case when c.relkind = 'p' then coalesce(leaves.reltuples, 0) else c.reltuples end as reltuples,
         case when c.relkind = 'p' then coalesce(leaves.bytes, 0) else pg_relation_size(c.oid) end::text as bytes
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    left join lateral (
      select case when bool_or(l.reltuples < 0) then -1 else sum(l.reltuples) end as reltuples,
             sum(pg_relation_size(l.oid)) as bytes
        from pg_partition_tree(case when c.relkind = 'p' then c.oid end) t join pg_class l on l.oid = t.relid
       where t.isleaf
    ) leaves on true
   where n.nspname = any($1) and c.relkind in ('r', 'v', 'm', 'f', 'p') and not c.relispartition
   order by n.nspname, c.relname`;

interface ColumnRow {
  oid: number;
  name: string;
  type: string;
  nullable: boolean;
  comment: string | null;
  text_like: boolean;
}

const COLUMNS_SQL = `
  select a.attrelid::int as oid, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
         not a.attnotnull as nullable, col_description(a.attrelid, a.attnum) as comment,
         coalesce(b.typcategory, t.typcategory) in ('S', 'E') as text_like
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_type t on t.oid = a.atttypid
    left join pg_type b on t.typtype = 'd' and b.oid = t.typbasetype
   where n.nspname = any($1) and c.relkind in ('r', 'v', 'm', 'f', 'p') and not c.relispartition
     and a.attnum > 0 and not a.attisdropped
   order by a.attrelid, a.attnum`;

interface ConstraintRow {
  oid: number;
  type: 'p' | 'f';
  name: string;
  columns: string[];
  ref_schema: string | null;
  ref_table: string | null;
  ref_columns: string[] | null;
}

// conkey/confkey keep the declared column order; unnest ... with ordinality preserves it.
// conparentid <> 0 are the copies PostgreSQL makes for partitions; the parent's constraint is enough.
const CONSTRAINTS_SQL = `
  select con.conrelid::int as oid, con.contype::text as type, con.conname as name,
         array(select a.attname::text from unnest(con.conkey) with ordinality k(num, ord)
                 join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.num order by k.ord) as columns,
         fn.nspname as ref_schema, fc.relname as ref_table,
         case when con.contype = 'f' then
           array(select a.attname::text from unnest(con.confkey) with ordinality k(num, ord)
                   join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.num order by k.ord)
         end as ref_columns
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_class fc on fc.oid = con.confrelid
    left join pg_namespace fn on fn.oid = fc.relnamespace
   where n.nspname = any($1) and con.contype in ('p', 'f') and con.conparentid = 0 and not c.relispartition
   order by con.conrelid, con.conname`;

interface StatsRow {
  schema: string;
  table: string;
  column: string;
  n_distinct: number;
}

// Inherited statistics (over a parent and its children) describe what a query on the parent sees.
const STATS_SQL = `
  select distinct on (schemaname, tablename, attname)
         schemaname as schema, tablename as table, attname as column, n_distinct
    from pg_stats
   where schemaname = any($1)
   order by schemaname, tablename, attname, inherited desc`;

/** pg_stats.n_distinct: positive is a count, negative is minus the fraction of rows that are distinct. */
function distinctEstimate(nDistinct: number | undefined, rows: number): number | null {
  if (nDistinct === undefined) return null;
  return nDistinct >= 0 ? Math.round(nDistinct) : Math.round(-nDistinct * rows);
}

async function checkSchemas(client: ClientBase, schemas: string[]): Promise<string> {
  const { rows } = await client.query<{ database: string; found: string[] }>(
    `select current_database() as database,
            array(select nspname::text from pg_namespace where nspname = any($1)) as found`,
    [schemas],
  );
  const database = rows[0]!.database;
  const missing = schemas.filter((schema) => !rows[0]!.found.includes(schema));
  if (missing.length > 0) {
    const list = missing.map((schema) => `"${schema}"`).join(', ');
    throw new Error(`schema ${list} does not exist in database "${database}"`);
  }
  return database;
}

function groupBy<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

/**
 * Reads the catalog of the given schemas: five catalogue queries whatever the warehouse's size, then
 * one `select distinct` per low-cardinality text column for the value index.
 */
export async function introspectCatalog(client: ClientBase, options: IntrospectOptions): Promise<Catalog> {
  if (options.schemas.length === 0) throw new Error('no schema given to introspect');
  const schemas = [...new Set(options.schemas)];
  const database = await checkSchemas(client, schemas);

  const [relations, columns, constraints, stats] = [
    (await client.query<RelationRow>(RELATIONS_SQL, [schemas])).rows,
    (await client.query<ColumnRow>(COLUMNS_SQL, [schemas])).rows,
    (await client.query<ConstraintRow>(CONSTRAINTS_SQL, [schemas])).rows,
    (await client.query<StatsRow>(STATS_SQL, [schemas])).rows,
  ];
  const columnsByTable = groupBy(columns, (row) => row.oid);
  const constraintsByTable = groupBy(constraints, (row) => row.oid);
  const nDistinct = new Map(stats.map((row) => [`${row.schema}.${row.table}.${row.column}`, row.n_distinct]));

  const tables: CatalogTable[] = [];
  const valueIndexInput: ValueIndexColumn[] = [];
  const order = (schema: string) => schemas.indexOf(schema);
  for (const rel of [...relations].sort((a, b) => order(a.schema) - order(b.schema))) {
    const kind = KINDS[rel.relkind];
    const tableColumns = columnsByTable.get(rel.oid) ?? [];
    // A table with no columns at all is legal in PostgreSQL but says nothing to a segment query.
    if (!kind || tableColumns.length === 0) continue;
    const rowEstimate = Math.max(0, Math.round(rel.reltuples));
    const own = constraintsByTable.get(rel.oid) ?? [];

    const catalogColumns = tableColumns.map((col): CatalogColumn => {
      const ref = {
        schema: rel.schema,
        table: rel.name,
        column: col.name,
        type: col.type,
        comment: col.comment,
      };
      const mark = { ...markPii(ref, options.annotations), ...markTargeting(ref, options.annotations) };
      const column: CatalogColumn = {
        name: col.name,
        type: col.type,
        nullable: col.nullable,
        comment: col.comment,
        ...mark,
        distinctEstimate: distinctEstimate(
          nDistinct.get(`${rel.schema}.${rel.name}.${col.name}`),
          rowEstimate,
        ),
      };
      const cap =
        options.annotations?.valueIndex?.[`${rel.schema}.${rel.name}.${col.name}`] ??
        options.annotations?.valueIndex?.[`${rel.name}.${col.name}`];
      valueIndexInput.push({
        schema: rel.schema,
        table: rel.name,
        tableKind: kind,
        tableRowsRaw: rel.reltuples,
        tableBytes: Number(rel.bytes),
        textLike: col.text_like,
        column,
        ...(cap === undefined ? {} : { maxDistinct: cap }),
      });
      return column;
    });

    const foreignKeys: ForeignKey[] = own
      .filter((con) => con.type === 'f')
      .map((con) => ({
        name: con.name,
        columns: con.columns,
        refSchema: con.ref_schema ?? '',
        refTable: con.ref_table ?? '',
        refColumns: con.ref_columns ?? [],
      }));

    tables.push({
      schema: rel.schema,
      name: rel.name,
      kind,
      comment: rel.comment,
      rowEstimate,
      primaryKey: own.find((con) => con.type === 'p')?.columns ?? [],
      columns: catalogColumns,
      foreignKeys,
    });
  }

  if (options.annotations && options.onWarning) {
    const refs = valueIndexInput.map((input) => ({
      schema: input.schema,
      table: input.table,
      column: input.column.name,
    }));
    for (const ref of unmatchedAnnotationRefs(options.annotations, refs)) {
      options.onWarning(`annotation "${ref}" matches no column in schema ${schemas.join(', ')}`);
    }
  }

  await buildValueIndex(client, valueIndexInput, options.valueIndex);

  return catalogSchema.parse({
    version: 1,
    database,
    schemas,
    generatedAt: new Date().toISOString(),
    tables,
    entities: findEntities(tables, schemas, options.annotations),
  });
}

/** Words a warehouse names its client table by, when no annotation says which it is. */
const ENTITY_TABLE_NAMES = ['client', 'clients', 'customer', 'customers'];

/**
 * Each schema's client entity: the one the annotations name (`entity`, or a merged file's
 * `entities`), else the first table named like a client table with a one-column primary key.
 */
export function findEntities(
  tables: readonly CatalogTable[],
  schemas: readonly string[],
  annotations?: CatalogAnnotations,
): EntityRef[] {
  const named = [...(annotations?.entity ? [annotations.entity] : []), ...(annotations?.entities ?? [])];
  return schemas.flatMap((schema): EntityRef[] => {
    const own = tables.filter((t) => t.schema === schema);
    for (const entity of named) {
      const [first, second] = entity.table.split('.');
      const table = second === undefined ? first : first === schema ? second : undefined;
      const found = own.find((t) => t.name === table && t.columns.some((c) => c.name === entity.id));
      if (found) return [{ schema, table: found.name, column: entity.id }];
    }
    for (const name of ENTITY_TABLE_NAMES) {
      const found = own.find((t) => t.name === name && t.primaryKey.length === 1);
      if (found) return [{ schema, table: found.name, column: found.primaryKey[0] as string }];
    }
    return [];
  });
}
