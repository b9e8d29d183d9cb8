import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteIdent, quoteLiteral } from '@t2s/db';
import { resolveDatasetDir } from '../dataset-dir';
import { BERKA_TABLES, type BerkaTable } from './berka-schema';

/** The data set is missing or not what the schema expects; nothing in the database was touched. */
export class BerkaDatasetError extends Error {}

export interface LoadBerkaOptions {
  schema: string;
  datasetDir: string;
  onProgress?: (message: string) => void;
}

export interface LoadBerkaResult {
  tables: Array<{ name: string; rows: number }>;
}

/** Where the data set is: the explicit option, else `BERKA_DIR`, else ../shared/datasets/berka. */
export function resolveBerkaDir(
  option?: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): string {
  return resolveDatasetDir({ name: 'berka', envVar: 'BERKA_DIR' }, option, env, cwd);
}

/** Checks that every CSV is there with the expected header, before anything is dropped. */
export async function checkBerkaDataset(datasetDir: string): Promise<void> {
  const dir = await stat(datasetDir).catch(() => null);
  if (!dir?.isDirectory()) throw new BerkaDatasetError(`Berka data set directory not found: ${datasetDir}`);
  for (const table of BERKA_TABLES) {
    const file = csvPath(datasetDir, table);
    const header = await readHeader(file);
    const expected = table.columns.map((c) => c.name);
    // The CSV says `A2`; the table says `a2`.
    if (header.length !== expected.length || header.some((h, i) => h.toLowerCase() !== expected[i])) {
      throw new BerkaDatasetError(
        `${file}: header "${header.join(',')}" does not match the expected columns "${expected.join(',')}"`,
      );
    }
  }
}

function csvPath(datasetDir: string, table: BerkaTable): string {
  return join(datasetDir, `${table.name}.csv`);
}

async function readHeader(file: string): Promise<string[]> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new BerkaDatasetError(`Berka data set file not found: ${file}`);
    throw new BerkaDatasetError(`cannot read ${file}: ${error.message}`);
  });
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const firstLine =
      buffer
        .toString('utf8', 0, bytesRead)
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)[0] ?? '';
    // Header names are plain words, so a split on commas is a complete CSV parser for this line.
    return firstLine.split(',').map((name) => name.trim().replace(/^"(.*)"$/, '$1'));
  } finally {
    await handle.close();
  }
}

// `order` is reserved; quoteIdent quotes reserved words.
function tableName(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/**
 * Replaces `schema` with the Berka tables: creates them bare, COPYs each CSV in, then adds keys,
 * comments and statistics (constraints after the data, so the load does not check row by row).
 * One transaction: a failure leaves the previous contents of the schema as they were.
 */
export async function loadBerka(client: ClientBase, options: LoadBerkaOptions): Promise<LoadBerkaResult> {
  const { schema, datasetDir, onProgress } = options;
  await checkBerkaDataset(datasetDir);
  const s = quoteIdent(schema);
  await client.query('begin');
  try {
    await client.query(`drop schema if exists ${s} cascade`);
    await client.query(`create schema ${s}`);
    for (const table of BERKA_TABLES) await client.query(createTableSql(schema, table));

    const tables: LoadBerkaResult['tables'] = [];
    for (const table of BERKA_TABLES) {
      const rows = await copyCsv(client, schema, table, csvPath(datasetDir, table));
      tables.push({ name: table.name, rows });
      onProgress?.(`loaded ${schema}.${table.name}: ${rows} rows`);
    }

    for (const sql of BERKA_TABLES.flatMap((t) => keySql(schema, t))) await client.query(sql);
    for (const sql of BERKA_TABLES.flatMap((t) => foreignKeySql(schema, t))) await client.query(sql);
    for (const sql of BERKA_TABLES.flatMap((t) => commentSql(schema, t))) await client.query(sql);
    for (const table of BERKA_TABLES) await client.query(`analyze ${tableName(schema, table.name)}`);
    await client.query('commit');
    return { tables };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

function createTableSql(schema: string, table: BerkaTable): string {
  const columns = table.columns.map((c) => `${quoteIdent(c.name)} ${c.type}${c.nullable ? '' : ' not null'}`);
  return `create table ${tableName(schema, table.name)} (${columns.join(', ')})`;
}

async function copyCsv(client: ClientBase, schema: string, table: BerkaTable, file: string): Promise<number> {
  const columns = table.columns.map((c) => quoteIdent(c.name)).join(', ');
  // null '' makes unquoted empty fields NULL; force_null does the same for quoted ones (order.k_symbol
  // is `""` when there is no characterization), so no column ever holds an empty string and the
  // not-null columns reject a missing value instead of storing ''.
  const sql =
    `copy ${tableName(schema, table.name)} (${columns}) from stdin ` +
    `with (format csv, header true, null '', force_null (${columns}))`;
  const stream = client.query(copyFrom(sql));
  try {
    await pipeline(createReadStream(file), stream);
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return stream.rowCount;
}

function keySql(schema: string, table: BerkaTable): string[] {
  const name = tableName(schema, table.name);
  return [
    `alter table ${name} add constraint ${quoteIdent(`${table.name}_pkey`)} primary key (${quoteIdent(table.primaryKey)})`,
    ...table.unique.map(
      (column) =>
        `alter table ${name} add constraint ${quoteIdent(`${table.name}_${column}_key`)} unique (${quoteIdent(column)})`,
    ),
  ];
}

function foreignKeySql(schema: string, table: BerkaTable): string[] {
  return table.foreignKeys.map(
    (fk) =>
      `alter table ${tableName(schema, table.name)} add constraint ${quoteIdent(`${table.name}_${fk.column}_fkey`)} ` +
      `foreign key (${quoteIdent(fk.column)}) references ${tableName(schema, fk.refTable)} (${quoteIdent(fk.refColumn)})`,
  );
}

function commentSql(schema: string, table: BerkaTable): string[] {
  const name = tableName(schema, table.name);
  return [
    `comment on table ${name} is ${quoteLiteral(table.comment)}`,
    ...table.columns.map(
      (c) => `comment on column ${name}.${quoteIdent(c.name)} is ${quoteLiteral(c.comment)}`,
    ),
  ];
}
