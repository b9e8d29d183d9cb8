import type { Pool } from 'pg';
import { AppError, isExecutedStatus, type SegmentStatus } from '@t2s/contracts';
import { precedentTable } from './precedent.store';
import type { ApprovalRecord } from './segment.record';
import { approvalSelect, toApprovalRecord, type ApprovalRow } from './segment.rows';
import { isUuid, storeTables, type StoreTables } from './store-tables';
import { withTransaction } from './transaction';

export interface ApproveInput {
  /** The revision number the person reviewed; refused when another revision is current now. */
  revision?: number;
  author?: string;
  authorKeyId: string;
}

/** An approved segment as the LLM strategy's few-shot retrieval reads it. */
export interface ApprovedExample {
  criteria: string;
  sql: string;
  approvedAt: Date;
}

/**
 * Approvals: a person accepts the current revision's executed result (succeeded, or needs_review after
 * reading what the text left unparsed). The criteria text and SQL are
 * copied at that moment, so what was approved never changes with later revisions, and the latest
 * approval of each segment is an example for new segments on the same warehouse.
 */
export class ApprovalRepository {
  private readonly t: StoreTables;
  private readonly precedent: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = storeTables(schema);
    this.precedent = precedentTable(schema);
  }

  /**
   * Approves the current revision; approving it again returns the first approval. The approval is a
   * precedent from then on (the segment's offer and the approved SQL, unread: the workers read it), in
   * the same transaction, so no approval is without its precedent. Null when the
   * segment does not exist; NOT_APPROVABLE when its run has not executed or `revision` is stale.
   */
  async approve(segmentId: string, input: ApproveInput): Promise<ApprovalRecord | null> {
    if (!isUuid(segmentId)) return null;
    return withTransaction(this.pool, async (client) => {
      // The row lock orders this against a revision landing at the same moment.
      const { rows } = await client.query<{
        status: SegmentStatus;
        current_revision_id: string;
        number: number;
        warehouse: string;
        criteria_text: string | null;
        sql: string | null;
        result_size: string | null;
      }>(
        `select s.status, s.current_revision_id, r.number, s.options->>'warehouse' as warehouse,
           s.criteria->>'text' as criteria_text, s.sql, s.result_size
         from ${this.t.segment} s join ${this.t.revision} r on r.id = s.current_revision_id
         where s.id = $1 for update of s`,
        [segmentId],
      );
      const segment = rows[0];
      if (!segment) return null;
      if (input.revision !== undefined && input.revision !== segment.number) {
        throw new AppError(
          'NOT_APPROVABLE',
          `Revision ${input.revision} is no longer current (revision ${segment.number} is); review it before approving`,
        );
      }
      // A needs_review run executed like a succeeded one: a person approving it is the review it asks for.
      if (!isExecutedStatus(segment.status) || segment.sql === null || segment.criteria_text === null) {
        throw new AppError(
          'NOT_APPROVABLE',
          `Only a run that executed (succeeded or needs_review) can be approved; revision ${segment.number} is ${segment.status}`,
        );
      }
      const inserted = await client.query<{ id: string }>(
        `insert into ${this.t.approval} (segment_id, revision_id, warehouse, criteria_text, sql, result_size,
           author, author_key_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (revision_id) do nothing returning id`,
        [
          segmentId,
          segment.current_revision_id,
          segment.warehouse,
          segment.criteria_text,
          segment.sql,
          segment.result_size,
          input.author ?? null,
          input.authorKeyId,
        ],
      );
      const approvalId = inserted.rows[0]?.id;
      if (approvalId !== undefined) {
        // The campaign as `campaignOf` of @t2s/precedents names it, the segment standing in for a file.
        await client.query(
          `insert into ${this.precedent} (warehouse, campaign, offer, sql, approved_at, approved_by, origin,
             approval_id)
           select a.warehouse, left(coalesce(s.offer->>'campaignId', s.offer->>'id', s.id::text), 200),
             s.offer, a.sql, a.approved_at, a.author, 'approval', a.id
           from ${this.t.approval} a join ${this.t.segment} s on s.id = a.segment_id
           where a.id = $1`,
          [approvalId],
        );
      }
      const approved = await client.query<ApprovalRow>(`${approvalSelect(this.t)} where a.revision_id = $1`, [
        segment.current_revision_id,
      ]);
      return toApprovalRecord(approved.rows[0] as ApprovalRow);
    });
  }

  /**
   * The latest approval of each segment on this warehouse, newest first: the pool few-shot examples
   * are retrieved from. `limit` bounds what one SQL generation reads and ranks.
   */
  async examples(warehouse: string, limit = 500): Promise<ApprovedExample[]> {
    const { rows } = await this.pool.query<{ criteria_text: string; sql: string; approved_at: Date }>(
      `select criteria_text, sql, approved_at from (
         select distinct on (segment_id) criteria_text, sql, approved_at from ${this.t.approval}
         where warehouse = $1 order by segment_id, approved_at desc
       ) latest order by approved_at desc limit $2`,
      [warehouse, limit],
    );
    return rows.map((r) => ({ criteria: r.criteria_text, sql: r.sql, approvedAt: r.approved_at }));
  }
}
