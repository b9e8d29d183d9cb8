import type { Pool } from 'pg';
import { AppError, type MembersPage } from '@t2s/contracts';
import { latestResultRunSql, purgeDiscardedDiffs, recordRunDiff } from './run-diff.store';
import { keysetIds } from './keyset-ids';
import { isUuid, storeTables, type StoreTables } from './store-tables';
import { withTransaction } from './transaction';

/** Rows per INSERT: large enough to amortise the round trip, small enough to keep the statement modest. */
const APPEND_CHUNK = 10_000;
const STREAM_BATCH = 10_000;

interface Cursor {
  /** The run the page came from: a cursor of an earlier result must not continue into a new one. */
  r: string;
  /** The last id of the previous page. */
  a: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof value.r === 'string' && typeof value.a === 'string' && isUuid(value.r)) {
      return { r: value.r, a: value.a };
    }
  } catch {
    // fall through: not ours
  }
  throw new AppError(
    'INVALID_REQUEST',
    'The members cursor is malformed; use nextCursor from the previous page',
  );
}

/**
 * The client ids of segments. Each execution writes under its own run; ids become visible only when
 * `completeRun` makes the run current, in the same transaction that discards every other run of the
 * segment, so a failed or retried execution's ids are never shown or counted, and the count always
 * matches the ids served. The same transaction records the run's diff against the previous result
 * (`run-diff.store.ts`).
 */
export class MemberStore {
  private readonly t: StoreTables;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = storeTables(schema);
  }

  /** Opens a run for an execution of the segment's current revision; null when that revision was superseded. */
  async beginRun(segmentId: string, revisionId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ id: string }>(
      `insert into ${this.t.run} (segment_id, revision_id)
       select id, current_revision_id from ${this.t.segment} where id = $1 and current_revision_id = $2
       returning id`,
      [segmentId, revisionId],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Adds ids to a running run; an id already there (a re-read chunk, a duplicate in the query's output)
   * is stored once. Returns how many were new; 0 once the run is no longer running (discarded).
   */
  async appendIds(runId: string, ids: readonly string[]): Promise<number> {
    let added = 0;
    for (let start = 0; start < ids.length; start += APPEND_CHUNK) {
      const { rowCount } = await this.pool.query(
        `insert into ${this.t.member} (segment_id, run_id, client_id)
         select r.segment_id, r.id, x from ${this.t.run} r cross join unnest($2::text[]) as x
         where r.id = $1 and r.status = 'running'
         on conflict do nothing`,
        [runId, ids.slice(start, start + APPEND_CHUNK)],
      );
      added += rowCount ?? 0;
    }
    return added;
  }

  /**
   * Makes the run the segment's visible result: marks it complete, discards the segment's other runs,
   * points `segment.current_run_id` at it and sets `result_size`, atomically. False (and the run
   * discarded) when its revision is no longer current or the segment's run already finished.
   * Repeating the call for the visible run returns true.
   */
  async completeRun(runId: string): Promise<{ completed: boolean; rows: number }> {
    if (!isUuid(runId)) return { completed: false, rows: 0 };
    const result = await withTransaction(this.pool, async (client) => {
      const found = await client.query<{ segment_id: string }>(
        `select segment_id from ${this.t.run} where id = $1`,
        [runId],
      );
      const segmentId = found.rows[0]?.segment_id;
      if (segmentId === undefined) return { completed: false, rows: 0, segmentId: null };
      // Segment first, then run: the same lock order as SegmentRepository.addRevision, so no deadlock.
      const segment = (
        await client.query<{ current_revision_id: string; current_run_id: string | null; status: string }>(
          `select current_revision_id, current_run_id, status from ${this.t.segment} where id = $1 for update`,
          [segmentId],
        )
      ).rows[0];
      const run = (
        await client.query<{ revision_id: string; status: string; rows: string | null }>(
          `select revision_id, status, rows from ${this.t.run} where id = $1 for update`,
          [runId],
        )
      ).rows[0];
      if (!segment || !run) return { completed: false, rows: 0, segmentId };
      if (run.status === 'complete' && segment.current_run_id === runId) {
        return { completed: true, rows: Number(run.rows ?? 0), segmentId };
      }
      const current =
        run.status === 'running' &&
        run.revision_id === segment.current_revision_id &&
        (segment.status === 'queued' || segment.status === 'running');
      if (!current) {
        await client.query(
          `update ${this.t.run} set status = 'discarded', finished_at = coalesce(finished_at, now()) where id = $1`,
          [runId],
        );
        return { completed: false, rows: 0, segmentId };
      }
      const counted = await client.query<{ n: string }>(
        `select count(*) as n from ${this.t.member} where run_id = $1`,
        [runId],
      );
      const rows = Number(counted.rows[0]?.n ?? 0);
      await client.query(
        `update ${this.t.run} set status = 'complete', rows = $2, finished_at = now() where id = $1`,
        [runId, rows],
      );
      // Before the discard below: the previous result's ids are still here to compare with.
      await recordRunDiff(client, this.t, { segmentId, runId, revisionId: run.revision_id }, rows);
      await client.query(
        `update ${this.t.run} set status = 'discarded', finished_at = coalesce(finished_at, now())
         where segment_id = $1 and id <> $2 and status <> 'discarded'`,
        [segmentId, runId],
      );
      await client.query(
        `update ${this.t.segment} set current_run_id = $2, result_size = $3, updated_at = now() where id = $1`,
        [segmentId, runId, rows],
      );
      return { completed: true, rows, segmentId };
    });
    // Outside the transaction: deleting a million discarded ids should not hold the segment lock.
    if (result.segmentId !== null) await this.purgeDiscarded(result.segmentId);
    return { completed: result.completed, rows: result.rows };
  }

  /** Abandons a running run (its execution failed); its ids are deleted. False if it was not running. */
  async discardRun(runId: string): Promise<boolean> {
    if (!isUuid(runId)) return false;
    const { rows } = await this.pool.query<{ segment_id: string }>(
      `update ${this.t.run} set status = 'discarded', finished_at = now() where id = $1 and status = 'running'
       returning segment_id`,
      [runId],
    );
    const segmentId = rows[0]?.segment_id;
    if (segmentId === undefined) return false;
    await this.purgeDiscarded(segmentId);
    return true;
  }

  /**
   * Deletes the ids of the segment's discarded runs, and their diffs; the run rows stay as the execution
   * history. The latest result's ids stay even when a revision discarded it: the next run's diff is taken
   * against them, so a segment holds at most one result besides its visible one, until a run completes.
   */
  async purgeDiscarded(segmentId: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      `delete from ${this.t.member} m using ${this.t.run} r
       where m.run_id = r.id and r.segment_id = $1 and r.status = 'discarded'
         and r.id is distinct from (${latestResultRunSql(this.t, '$1')})`,
      [segmentId],
    );
    await purgeDiscardedDiffs(this.pool, this.t, segmentId);
    return rowCount ?? 0;
  }

  /**
   * One page of the visible result, ordered by client id (byte order). Null when the segment has no
   * visible result. A cursor from an earlier result (the segment was re-run since) is refused, since
   * continuing it would mix two results.
   */
  async page(segmentId: string, options: { cursor?: string; limit: number }): Promise<MembersPage | null> {
    if (!isUuid(segmentId)) return null;
    const cursor = options.cursor === undefined ? null : decodeCursor(options.cursor);
    // One statement, so the run id and the ids come from the same snapshot.
    const { rows } = await this.pool.query<{ run_id: string | null; client_id: string | null }>(
      `select s.current_run_id as run_id, m.client_id from ${this.t.segment} s
       left join lateral (
         select client_id from ${this.t.member}
         where run_id = s.current_run_id and ($2::text is null or client_id > $2::text)
         order by client_id limit $3
       ) m on true
       where s.id = $1`,
      [segmentId, cursor?.a ?? null, options.limit + 1],
    );
    const runId = rows[0]?.run_id ?? null;
    if (runId === null) return null;
    if (cursor && cursor.r !== runId) {
      throw new AppError(
        'INVALID_REQUEST',
        'The members cursor belongs to an earlier result of this segment; start again without a cursor',
      );
    }
    const ids = rows.flatMap((row) => (row.client_id === null ? [] : [row.client_id]));
    const more = ids.length > options.limit;
    const pageIds = more ? ids.slice(0, options.limit) : ids;
    const last = pageIds.at(-1);
    return {
      ids: pageIds,
      nextCursor: more && last !== undefined ? encodeCursor({ r: runId, a: last }) : null,
    };
  }

  /**
   * Every id of the visible result in order, as batches, for a CSV export of millions of ids: keyset
   * queries on the pool, so at most one batch is in memory and no connection or transaction stays open
   * while a slow client reads. Throws NOT_FOUND when there is no result, and fails at the end if the
   * result was replaced and purged while it was being read (the export would be short).
   */
  async *stream(
    segmentId: string,
    options: { batchSize?: number } = {},
  ): AsyncGenerator<string[], void, undefined> {
    const batchSize = options.batchSize ?? STREAM_BATCH;
    const { rows: found } = await this.pool.query<{ run_id: string | null; rows: string | null }>(
      `select s.current_run_id as run_id, r.rows from ${this.t.segment} s
       left join ${this.t.run} r on r.id = s.current_run_id where s.id = $1`,
      [isUuid(segmentId) ? segmentId : null],
    );
    const runId = found[0]?.run_id ?? null;
    if (runId === null) throw new AppError('NOT_FOUND', 'The segment has no result yet');
    const expected = Number(found[0]?.rows ?? 0);
    const delivered = yield* keysetIds(async (after, limit) => {
      const { rows } = await this.pool.query<{ client_id: string }>(
        `select client_id from ${this.t.member} where run_id = $1 and ($2::text is null or client_id > $2::text)
         order by client_id limit $3`,
        [runId, after, limit],
      );
      return rows.map((row) => row.client_id);
    }, batchSize);
    if (delivered !== expected) {
      throw new Error(
        `segment ${segmentId}: its result was replaced during the export (${delivered} of ${expected} ids)`,
      );
    }
  }
}
