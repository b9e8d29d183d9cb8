import type { FieldDef } from 'pg';
import Cursor from 'pg-cursor';
import { ConsumerError, SandboxRefusal } from './sandbox-refusal';
import type { WarehouseSession } from './warehouse-session';

type Row = unknown[];

// Every column arrives as PostgreSQL's text: ids stay exact (no int8 → number rounding) whatever their type.
const AS_TEXT = { getTypeParser: () => (value: string) => value } as unknown as NonNullable<
  Cursor.CursorQueryConfig['types']
>;

/**
 * Runs `sql` through a named portal (pg-cursor: Parse/Bind/Execute, so PostgreSQL itself refuses more
 * than one statement) and hands the first column to `onIds` `batchSize` rows at a time, awaiting each
 * call so that only one batch is ever in memory. Returns the number of ids delivered.
 *
 * With `counts` (a counted pass, `countedSegmentSql` of @t2s/semantic) the query has three columns: a
 * row with an id is a member; a row whose id is NULL is a count, `counts[key] = n`.
 *
 * The statement timeout runs from Parse until the portal is done, time spent in `onIds` included (so does
 * PostgreSQL's own timer): the transaction and its snapshot live no longer than the timeout, and a slow
 * consumer ends in SQL_TIMEOUT.
 */
export async function streamIds(
  session: WarehouseSession,
  sql: string,
  batchSize: number,
  onIds: (ids: string[]) => Promise<void>,
  counts?: Map<string, number>,
): Promise<number> {
  session.startRun();
  const cursor = session.client.query(new Cursor<Row>(sql, undefined, { rowMode: 'array', types: AS_TEXT }));
  let delivered = 0;
  // After a failed read the portal is gone (pg-cursor synced already); after a good one it may be open.
  let portalOpen = false;
  try {
    for (let first = true; ; first = false) {
      if (!first) session.checkDeadline();
      portalOpen = false;
      const { rows, fields } = await session.wait(readBatch(cursor, batchSize));
      portalOpen = true;
      if (first) checkShape(fields, counts ? 3 : 1);
      if (rows.length === 0) return delivered;
      const members = counts ? rows.filter((row) => !isCount(row, counts)) : rows;
      const ids = members.map((row, index) => idOf(row, delivered + index));
      if (ids.length > 0) {
        try {
          await onIds(ids);
        } catch (error) {
          throw new ConsumerError(error);
        }
      }
      delivered += ids.length;
      // A short batch means PostgreSQL completed the portal.
      if (rows.length < batchSize) return delivered;
    }
  } finally {
    // Leaving early (consumer failed, bad row): close the portal so the connection takes queries again.
    // close() is a no-op once the portal completed.
    if (portalOpen) {
      try {
        await session.wait(cursor.close(), 'cleanup');
      } catch {
        session.broken = true;
      }
    }
  }
}

function readBatch(cursor: Cursor<Row>, size: number): Promise<{ rows: Row[]; fields: FieldDef[] }> {
  return new Promise((resolve, reject) => {
    cursor.read(size, (error, rows, result) => {
      if (error) reject(error);
      // After completion pg-cursor answers [] with no result.
      else resolve({ rows, fields: (result as typeof result | undefined)?.fields ?? [] });
    });
  });
}

function checkShape(fields: FieldDef[], expected: 1 | 3): void {
  if (fields.length !== expected) {
    const names = fields.map((field) => field.name).join(', ');
    const want =
      expected === 1 ? 'exactly one column (the client id)' : 'three columns (client id, key, count)';
    throw new SandboxRefusal({
      code: 'SQL_FAILED',
      message:
        `the query must return ${want}, but it returned ${fields.length}` + (names ? `: ${names}` : ''),
      retryable: false,
    });
  }
}

/** A counted pass's row without an id: adds its count to `counts` (a malformed one fails the run). */
function isCount(row: Row, counts: Map<string, number>): boolean {
  if (row[0] !== null && row[0] !== undefined) return false;
  const [key, n] = [row[1], Number(row[2])];
  if (key === null || key === undefined || !Number.isSafeInteger(n) || n < 0) {
    throw new SandboxRefusal({
      code: 'SQL_FAILED',
      message: 'a counted pass returned a row with neither a client id nor a key and a count',
      retryable: false,
    });
  }
  counts.set(String(key), (counts.get(String(key)) ?? 0) + n);
  return true;
}

function idOf(row: Row, index: number): string {
  const value = row[0];
  if (value === null || value === undefined) {
    throw new SandboxRefusal({
      code: 'SQL_FAILED',
      message: `the query returned a NULL client id (row ${index + 1}); filter out NULLs (where ... is not null)`,
      retryable: false,
    });
  }
  return String(value);
}
