import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteIdent, quoteLiteral } from '@t2s/db';
import { resolveDatasetDir } from '../dataset-dir';
import { BANK_MARKETING_CSV_COLUMNS, BANK_MARKETING_TABLE } from './bank-marketing-schema';

/** The data set is missing or not what the schema expects; nothing in the database was touched. */
export class BankMarketingDatasetError extends Error {}

export interface LoadBankMarketingOptions {
  schema: string;
  datasetDir: string;
  onProgress?: (message: string) => void;
}

export interface LoadBankMarketingResult {
  tables: Array<{ name: string; rows: number }>;
}

/** Where the data set is: the explicit option, else `BANK_MARKETING_DIR`, else ../shared/datasets/bank-marketing. */
export function resolveBankMarketingDir(
  option?: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): string {
  return resolveDatasetDir({ name: 'bank-marketing', envVar: 'BANK_MARKETING_DIR' }, option, env, cwd);
}

function csvPath(datasetDir: string): string {
  return join(datasetDir, BANK_MARKETING_TABLE.file);
}

/** Checks that bank-full.csv is there with the expected header, before anything is dropped. */
export async function checkBankMarketingDataset(datasetDir: string): Promise<void> {
  const dir = await stat(datasetDir).catch(() => null);
  if (!dir?.isDirectory()) {
    throw new BankMarketingDatasetError(`Bank Marketing data set directory not found: ${datasetDir}`);
  }
  const file = csvPath(datasetDir);
  const header = await readHeader(file);
  const expected: readonly string[] = BANK_MARKETING_CSV_COLUMNS;
  if (header.length !== expected.length || header.some((name, i) => name !== expected[i])) {
    throw new BankMarketingDatasetError(
      `${file}, line 1: header "${header.join(';')}" does not match the expected columns "${expected.join(';')}"`,
    );
  }
}

async function readHeader(file: string): Promise<string[]> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      throw new BankMarketingDatasetError(`Bank Marketing data set file not found: ${file}`);
    throw new BankMarketingDatasetError(`cannot read ${file}: ${error.message}`);
  });
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const firstLine =
      buffer
        .toString('utf8', 0, bytesRead)
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)[0] ?? '';
    // Header names are plain words, so a split on semicolons is a complete CSV parser for this line.
    return firstLine.split(';').map((name) => name.trim().replace(/^"(.*)"$/, '$1'));
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `schema` with the one `client` table: creates it, COPYs bank-full.csv in with each line's
 * row number as `client_id`, then adds comments and statistics. One transaction: a failure leaves the
 * previous contents of the schema as they were.
 */
export async function loadBankMarketing(
  client: ClientBase,
  options: LoadBankMarketingOptions,
): Promise<LoadBankMarketingResult> {
  const { schema, datasetDir, onProgress } = options;
  await checkBankMarketingDataset(datasetDir);
  const s = quoteIdent(schema);
  const table = `${s}.${quoteIdent(BANK_MARKETING_TABLE.name)}`;
  await client.query('begin');
  try {
    await client.query(`drop schema if exists ${s} cascade`);
    await client.query(`create schema ${s}`);
    const columns = BANK_MARKETING_TABLE.columns.map(
      (c) => `${quoteIdent(c.name)} ${c.type}${c.name === 'client_id' ? ' primary key' : ''}`,
    );
    await client.query(`create table ${table} (${columns.join(', ')})`);

    const rows = await copyCsv(client, table, csvPath(datasetDir));
    onProgress?.(`loaded ${schema}.${BANK_MARKETING_TABLE.name}: ${rows} rows`);

    await client.query(`comment on table ${table} is ${quoteLiteral(BANK_MARKETING_TABLE.comment)}`);
    for (const c of BANK_MARKETING_TABLE.columns) {
      await client.query(`comment on column ${table}.${quoteIdent(c.name)} is ${quoteLiteral(c.comment)}`);
    }
    await client.query(`analyze ${table}`);
    await client.query('commit');
    return { tables: [{ name: BANK_MARKETING_TABLE.name, rows }] };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

async function copyCsv(client: ClientBase, table: string, file: string): Promise<number> {
  const columns = BANK_MARKETING_TABLE.columns.map((c) => quoteIdent(c.name)).join(', ');
  // The header stays in the stream (COPY skips it), so COPY's line numbers are the file's.
  const sql = `copy ${table} (${columns}) from stdin with (format csv, header true, delimiter ';')`;
  const stream = client.query(copyFrom(sql));
  try {
    await pipeline(createReadStream(file), numberRows(), stream);
  } catch (error) {
    throw new Error(`${file}${lineOf(error)}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return stream.rowCount;
}

/** `, line 7, column age` from COPY's error context (`COPY client, line 7, column age: "x"`). */
function lineOf(error: unknown): string {
  const where = (error as { where?: unknown }).where;
  const match = typeof where === 'string' ? /\bline (\d+)(, column ([^:]+))?/.exec(where) : null;
  if (!match) return '';
  return `, line ${match[1]}${match[3] ? `, column ${match[3]}` : ''}`;
}

/**
 * Prefixes every data line with its 1-based row number and a `;` (the header line gets `client_id;`),
 * so `client_id` is the row's place in the file whatever order the rows are stored in. Lines are kept
 * one for one: COPY's line numbers stay the file's. bank-full.csv has no quoted line breaks.
 */
function numberRows(): Transform {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  const numbered = (text: string) => {
    line += 1;
    return line === 1 ? `client_id;${text}\n` : `${line - 1};${text}\n`;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const lines = (pending + decoder.write(chunk)).split('\n');
      pending = lines.pop() ?? '';
      done(null, lines.map(numbered).join(''));
    },
    flush(done: TransformCallback) {
      const rest = pending + decoder.end();
      done(null, rest === '' ? '' : numbered(rest));
    },
  });
}
