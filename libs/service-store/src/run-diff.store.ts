import { keysetIds } from './keyset-ids';
import type { Pool, PoolClient } from 'pg';
import { AppError, type BatchChanges, type DiffAttribution, type MemberChange } from '@t2s/contracts';
import { isUuid, storeTables, type StoreTables } from './store-tables';

const STREAM_BATCH = 10_000;

/** The visible result's membership diff against the segment's result before it. */
export interface RunDiffRecord {
  segmentId: string;
  runId: string;
  previousRunId: string;
  revisionNumber: number;
  previousRevisionNumber: number;
  attribution: DiffAttribution;
  entered: number;
  left: number;
  stayed: number;
  /** When the run completed and the diff was taken. */
  at: Date;
}

/** A run completing, as `MemberStore.completeRun` holds it: the segment and the run are locked. */
export interface CompletingRun {
  segmentId: string;
  runId: string;
  revisionId: string;
}

interface PreviousRow {
  id: string;
  rows: string;
  sql_hash: string | null;
  criteria_hash: string | null;
  number: number;
  has_ids: boolean;
}

/**
 * The previous result: the segment's latest other run that ever completed. A revision discards the visible
 * run at once (it described another definition), so "complete" alone would miss it; `rows` is set only
 * by completion, and the purge keeps that run's ids until a newer run completes (`MemberStore`).
 */
function previousResultSql(t: StoreTables): string {
  return `select r.id, r.rows, r.sql_hash, r.criteria_hash, v.number,
       exists (select 1 from ${t.member} m where m.run_id = r.id) as has_ids
     from ${t.run} r join ${t.revision} v on v.id = r.revision_id
     where r.segment_id = $1 and r.id <> $2 and r.rows is not null
     order by r.finished_at desc nulls last, r.started_at desc limit 1`;
}

/**
 * The id of the run whose ids the purge must keep: the segment's latest completed run, the visible one or,
 * after a revision discarded it, the result the next run will be compared with.
 */
export function latestResultRunSql(t: StoreTables, segmentParam: string): string {
  return `select id from ${t.run} where segment_id = ${segmentParam} and rows is not null
     order by finished_at desc nulls last, started_at desc limit 1`;
}

/**
 * Records what changed between the segment's previous result and this run, inside `completeRun`'s
 * transaction, after this run's ids are counted and before the other runs are discarded: the hashes of
 * the SQL and criteria the run executed, then (unless this is the segment's first result) the counts and
 * the ids that entered and left. The first result has no diff; nor does a result whose predecessor's ids
 * were purged before diffs existed. Returns the diff's counts, or null when none was recorded.
 * It holds the segment's lock meanwhile: 300k ids against 300k (150k entered, 150k left) took about 3 s
 * on the 2-core development machine, most of it writing the entered and left ids.
 */
export async function recordRunDiff(
  client: PoolClient,
  t: StoreTables,
  run: CompletingRun,
  rows: number,
): Promise<{ entered: number; left: number; stayed: number } | null> {
  // What the run executed is the locked segment row's SQL and criteria: its revision is current.
  const hashed = await client.query<{ sql_hash: string; criteria_hash: string; number: number }>(
    `update ${t.run} r set
       sql_hash = encode(sha256(convert_to(coalesce(s.sql, ''), 'UTF8')), 'hex'),
       criteria_hash = encode(sha256(convert_to(coalesce((s.criteria -> 'items')::text, ''), 'UTF8')), 'hex')
     from ${t.segment} s, ${t.revision} v
     where r.id = $1 and s.id = r.segment_id and v.id = r.revision_id
     returning r.sql_hash, r.criteria_hash, v.number`,
    [run.runId],
  );
  const current = hashed.rows[0];
  if (!current) return null;
  const previous = (await client.query<PreviousRow>(previousResultSql(t), [run.segmentId, run.runId]))
    .rows[0];
  if (!previous) return null;
  if (Number(previous.rows) > 0 && !previous.has_ids) return null;

  const attribution = await attribute(client, t, run.segmentId, previous, current);
  await client.query(
    `insert into ${t.runDiff} (run_id, segment_id, previous_run_id, attribution, entered_count, left_count,
       stayed_count)
     values ($1, $2, $3, $4, 0, 0, 0) on conflict (run_id) do nothing`,
    [run.runId, run.segmentId, previous.id, attribution],
  );
  const entered = await client.query(
    `insert into ${t.runChange} (run_id, change, client_id)
     select $1, 'entered', m.client_id from ${t.member} m
     where m.run_id = $1 and not exists (
       select 1 from ${t.member} p where p.run_id = $2 and p.client_id = m.client_id)
     on conflict do nothing`,
    [run.runId, previous.id],
  );
  const left = await client.query(
    `insert into ${t.runChange} (run_id, change, client_id)
     select $1, 'left', p.client_id from ${t.member} p
     where p.run_id = $2 and not exists (
       select 1 from ${t.member} m where m.run_id = $1 and m.client_id = p.client_id)
     on conflict do nothing`,
    [run.runId, previous.id],
  );
  const counts = {
    entered: entered.rowCount ?? 0,
    left: left.rowCount ?? 0,
    stayed: rows - (entered.rowCount ?? 0),
  };
  await client.query(
    `update ${t.runDiff} set entered_count = $2, left_count = $3, stayed_count = $4 where run_id = $1`,
    [run.runId, counts.entered, counts.left, counts.stayed],
  );
  return counts;
}

/**
 * The same SQL and criteria items as the previous result: `data`; otherwise `definition`. A run that
 * completed before the hashes were recorded is judged by the revisions in between: a criteria or SQL
 * edit is a definition change, re-runs are not.
 */
async function attribute(
  client: PoolClient,
  t: StoreTables,
  segmentId: string,
  previous: PreviousRow,
  current: { sql_hash: string; criteria_hash: string; number: number },
): Promise<DiffAttribution> {
  if (previous.sql_hash !== null) {
    const same = previous.sql_hash === current.sql_hash && previous.criteria_hash === current.criteria_hash;
    return same ? 'data' : 'definition';
  }
  const { rows } = await client.query<{ edited: boolean }>(
    `select exists (select 1 from ${t.revision} where segment_id = $1 and number > $2 and number <= $3
       and kind in ('criteria', 'sql')) as edited`,
    [segmentId, previous.number, current.number],
  );
  return rows[0]?.edited ? 'definition' : 'data';
}

/** Deletes the diffs (and their ids) of the segment's discarded runs; run inside the purge of their members. */
export async function purgeDiscardedDiffs(pool: Pool, t: StoreTables, segmentId: string): Promise<void> {
  await pool.query(
    `delete from ${t.runDiff} d using ${t.run} r
     where d.run_id = r.id and r.segment_id = $1 and r.status = 'discarded'`,
    [segmentId],
  );
}

/**
 * The diffs of a batch's items summed: an item counts when its segment's visible result is the run of
 * the revision the batch started and that run has a diff. A first result, a run still going or failed,
 * and a segment re-run again since (its diff is then another run's) are left out.
 */
export async function sumBatchDiffs(pool: Pool, t: StoreTables, batchId: string): Promise<BatchChanges> {
  const { rows } = await pool.query<Record<keyof BatchChanges | 'data' | 'definition', string>>(
    `select count(d.run_id) as compared, coalesce(sum(d.entered_count), 0) as entered,
       coalesce(sum(d.left_count), 0) as left, coalesce(sum(d.stayed_count), 0) as stayed,
       count(*) filter (where d.attribution = 'data') as data,
       count(*) filter (where d.attribution = 'definition') as definition
     from ${t.batchItem} i
     join ${t.segment} s on s.id = i.segment_id
     join ${t.run} r on r.id = s.current_run_id and r.revision_id = i.revision_id
     join ${t.runDiff} d on d.run_id = r.id
     where i.batch_id = $1`,
    [batchId],
  );
  const row = rows[0];
  const n = (value: string | undefined) => Number(value ?? 0);
  return {
    compared: n(row?.compared),
    entered: n(row?.entered),
    left: n(row?.left),
    stayed: n(row?.stayed),
    attribution: { data: n(row?.data), definition: n(row?.definition) },
  };
}

interface DiffRow {
  segment_id: string;
  run_id: string;
  previous_run_id: string;
  revision_number: number;
  previous_revision_number: number;
  attribution: DiffAttribution;
  entered_count: string;
  left_count: string;
  stayed_count: string;
  created_at: Date;
}

/**
 * The membership diffs `MemberStore.completeRun` records: the visible result's diff against the result
 * before it, its entered and left ids for the exports, and the sums a re-run batch reports.
 */
export class RunDiffStore {
  private readonly t: StoreTables;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = storeTables(schema);
  }

  /**
   * The diff of the segment's visible result. `result: false` when the segment has no visible result
   * (none yet, or a newer revision is running); `diff: null` when it has one but it is the first.
   */
  async current(segmentId: string): Promise<{ result: boolean; diff: RunDiffRecord | null }> {
    if (!isUuid(segmentId)) return { result: false, diff: null };
    const { rows } = await this.pool.query<DiffRow & { current_run_id: string | null }>(
      `select s.current_run_id, d.segment_id, d.run_id, d.previous_run_id, d.attribution, d.entered_count,
         d.left_count, d.stayed_count, d.created_at, v.number as revision_number,
         pv.number as previous_revision_number
       from ${this.t.segment} s
       left join ${this.t.runDiff} d on d.run_id = s.current_run_id
       left join ${this.t.run} r on r.id = d.run_id
       left join ${this.t.revision} v on v.id = r.revision_id
       left join ${this.t.run} pr on pr.id = d.previous_run_id
       left join ${this.t.revision} pv on pv.id = pr.revision_id
       where s.id = $1`,
      [segmentId],
    );
    const row = rows[0];
    if (!row || row.current_run_id === null) return { result: false, diff: null };
    return { result: true, diff: row.run_id === null ? null : toRecord(row) };
  }

  /**
   * The entered or left ids of a run's diff in byte order, as batches (keyset queries, nothing held open
   * between them). Fails at the end if the diff was replaced (a newer run completed) during the export.
   */
  async *stream(
    runId: string,
    change: MemberChange,
    options: { batchSize?: number } = {},
  ): AsyncGenerator<string[], void, undefined> {
    const batchSize = options.batchSize ?? STREAM_BATCH;
    const { rows: found } = await this.pool.query<{ entered_count: string; left_count: string }>(
      `select entered_count, left_count from ${this.t.runDiff} where run_id = $1`,
      [isUuid(runId) ? runId : null],
    );
    const diff = found[0];
    if (!diff) throw new AppError('NOT_FOUND', 'The segment has no diff for this result');
    const expected = Number(change === 'entered' ? diff.entered_count : diff.left_count);
    const delivered = yield* keysetIds(async (after, limit) => {
      const { rows } = await this.pool.query<{ client_id: string }>(
        `select client_id from ${this.t.runChange}
         where run_id = $1 and change = $2 and ($3::text is null or client_id > $3::text)
         order by client_id limit $4`,
        [runId, change, after, limit],
      );
      return rows.map((row) => row.client_id);
    }, batchSize);
    if (delivered !== expected) {
      throw new Error(
        `run ${runId}: its diff was replaced during the export (${delivered} of ${expected} ids)`,
      );
    }
  }
}

function toRecord(row: DiffRow): RunDiffRecord {
  return {
    segmentId: row.segment_id,
    runId: row.run_id,
    previousRunId: row.previous_run_id,
    revisionNumber: row.revision_number,
    previousRevisionNumber: row.previous_revision_number,
    attribution: row.attribution,
    entered: Number(row.entered_count),
    left: Number(row.left_count),
    stayed: Number(row.stayed_count),
    at: row.created_at,
  };
}
