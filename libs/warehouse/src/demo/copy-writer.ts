import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteIdent } from '@t2s/db';
import type { TableDef } from './table-def';

export type Cell = string | number | boolean | null | undefined;

/** Escapes one value for COPY's text format. */
function cell(value: Cell): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (ch) => ESCAPES[ch]!) : value;
}
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

interface Buffer {
  table: TableDef;
  lines: string[];
  bytes: number;
  rows: number;
}

/**
 * Collects generated rows per table as COPY text and streams them to PostgreSQL in batches over a
 * small pool, so generation (this process) and ingestion (the server) run at the same time.
 */
export class CopyWriter {
  private readonly buffers = new Map<string, Buffer>();
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;
  readonly rowCounts = new Map<string, number>();

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    tables: readonly TableDef[],
    private readonly batchBytes = 4 * 1024 * 1024,
    private readonly maxInFlight = 3,
  ) {
    for (const table of tables) this.buffers.set(table.name, { table, lines: [], bytes: 0, rows: 0 });
  }

  push(tableName: string, row: readonly Cell[]): void {
    const buffer = this.buffers.get(tableName);
    if (!buffer) throw new Error(`generator wrote to unknown table ${tableName}`);
    if (row.length !== buffer.table.columns.length) {
      throw new Error(
        `generator wrote ${row.length} values to ${tableName}, which has ${buffer.table.columns.length} columns`,
      );
    }
    let line = cell(row[0]);
    for (let i = 1; i < row.length; i++) line += '\t' + cell(row[i]);
    buffer.lines.push(line);
    buffer.bytes += line.length + 1;
    buffer.rows++;
  }

  /** Sends every buffer that is full enough; waits while too many batches are in flight. */
  async flushFull(): Promise<void> {
    for (const buffer of this.buffers.values()) {
      if (buffer.bytes >= this.batchBytes) await this.send(buffer);
    }
  }

  async finish(): Promise<void> {
    for (const buffer of this.buffers.values()) if (buffer.rows > 0) await this.send(buffer);
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
  }

  private async send(buffer: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    const payload = buffer.lines.join('\n') + '\n';
    const name = buffer.table.name;
    this.rowCounts.set(name, (this.rowCounts.get(name) ?? 0) + buffer.rows);
    buffer.lines = [];
    buffer.bytes = 0;
    buffer.rows = 0;
    const task = this.copy(name, payload).catch((error: unknown) => {
      this.failure ??= new Error(`loading ${name} failed: ${(error as Error).message}`);
    });
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private async copy(table: string, payload: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await new Promise<void>((resolve, reject) => {
        const stream = client.query(
          copyFrom(`copy ${quoteIdent(this.schema)}.${quoteIdent(table)} from stdin`),
        );
        stream.on('error', reject);
        stream.on('finish', resolve);
        stream.end(payload);
      });
    } finally {
      client.release();
    }
  }
}
