import type { Pool } from 'pg';
import {
  isTerminalStatus,
  SEGMENT_STATUSES,
  segmentLinks,
  type Batch,
  type BatchItem,
  type BatchStatus,
  type SegmentStatus,
  type T2sError,
} from '@t2s/contracts';
import { sumBatchDiffs } from './run-diff.store';
import { isUuid, storeTables, type StoreTables } from './store-tables';
import { withTransaction } from './transaction';

export type BatchKind = Batch['kind'];

export interface NewBatchItem {
  segmentId: string;
  /** Why this item did not start (e.g. a re-run refused), shown instead of the segment's own error. */
  error?: T2sError;
  /** The revision a re-run item started: the batch report sums the diffs of its runs. */
  revisionId?: string;
}

interface BatchItemRow {
  position: number;
  segment_id: string;
  item_error: T2sError | null;
  status: SegmentStatus;
  segment_error: T2sError | null;
  updated_at: Date;
}

/** Batches group segments created or re-run by one request; their progress is read from the segments. */
export class BatchRepository {
  private readonly t: StoreTables;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = storeTables(schema);
  }

  /** Records a batch and its items (in request order); returns the batch id. */
  async create(input: {
    apiKeyId: string;
    kind: BatchKind;
    items: readonly NewBatchItem[];
  }): Promise<string> {
    return withTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `insert into ${this.t.batch} (api_key_id, kind) values ($1, $2) returning id`,
        [input.apiKeyId, input.kind],
      );
      const id = (rows[0] as { id: string }).id;
      await client.query(
        `insert into ${this.t.batchItem} (batch_id, position, segment_id, error, revision_id)
         select $1, p - 1, s, e::jsonb, v
         from unnest($2::uuid[], $3::text[], $4::uuid[]) with ordinality as u(s, e, v, p)`,
        [
          id,
          input.items.map((item) => item.segmentId),
          input.items.map((item) => (item.error ? JSON.stringify(item.error) : null)),
          input.items.map((item) => item.revisionId ?? null),
        ],
      );
      return id;
    });
  }

  /** The batch as the API shows it, if this key may see it (its own, or any with `admin`). */
  async get(id: string, apiKeyId: string, options: { admin?: boolean } = {}): Promise<Batch | null> {
    if (!isUuid(id)) return null;
    const { rows: batches } = await this.pool.query<{ id: string; kind: BatchKind; created_at: Date }>(
      `select id, kind, created_at from ${this.t.batch} where id = $1 and ($2::boolean or api_key_id = $3::uuid)`,
      [id, options.admin ?? false, apiKeyId],
    );
    const batch = batches[0];
    if (!batch) return null;
    const { rows } = await this.pool.query<BatchItemRow>(
      `select i.position, i.segment_id, i.error as item_error, s.status, s.error as segment_error, s.updated_at
       from ${this.t.batchItem} i join ${this.t.segment} s on s.id = i.segment_id
       where i.batch_id = $1 order by i.position`,
      [id],
    );
    const items: BatchItem[] = rows.map((row) => ({
      index: row.position,
      segmentId: row.segment_id,
      status: row.item_error ? 'failed' : row.status,
      error: row.item_error ?? row.segment_error,
      links: segmentLinks(row.segment_id),
    }));
    const count = (status: SegmentStatus) => items.filter((item) => item.status === status).length;
    const progress = {
      total: items.length,
      ...(Object.fromEntries(SEGMENT_STATUSES.map((s) => [s, count(s)])) as Record<SegmentStatus, number>),
    };
    const status: BatchStatus = items.every((item) => isTerminalStatus(item.status))
      ? 'completed'
      : progress.queued === items.length
        ? 'queued'
        : 'running';
    const updatedAt = rows.reduce(
      (max, row) => (row.updated_at > max ? row.updated_at : max),
      batch.created_at,
    );
    return {
      id: batch.id,
      kind: batch.kind,
      status,
      createdAt: batch.created_at.toISOString(),
      updatedAt: updatedAt.toISOString(),
      progress,
      items,
      // New segments have no previous result to compare with.
      changes: batch.kind === 'rerun' ? await sumBatchDiffs(this.pool, this.t, batch.id) : null,
      links: { self: `/v1/batches/${batch.id}` },
    };
  }
}
