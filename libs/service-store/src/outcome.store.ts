import type { Pool } from 'pg';
import type { OutcomeSource } from '@t2s/contracts';
import { controlGroupSql, controlThreshold } from './control-group';
import { isUuid, storeTables, type StoreTables } from './store-tables';
import { withTransaction } from './transaction';

/** One client who converted; `convertedAt` null when the source gives no time. */
export interface OutcomeRow {
  clientId: string;
  convertedAt: Date | null;
}

export interface GroupCounts {
  size: number;
  converted: number;
}

export interface OutcomeSummary {
  recorded: number;
  imports: number;
  lastImportAt: Date | null;
}

/** A segment with a visible result, as the same-offer comparison lists it. */
export interface OfferSibling {
  id: string;
  runId: string;
}

// A threshold no 8-byte prefix is below: everyone in the target group.
const NO_CONTROL = Buffer.alloc(8);

/**
 * Outcomes of segments (who converted) and the counts the conversion report is made of. Outcomes are kept
 * per (segment, client), whether or not the client is a member of the visible result: a later run may
 * include them, and the counts only ever join them with the visible result's members.
 */
export class OutcomeStore {
  private readonly t: StoreTables;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = storeTables(schema);
  }

  /**
   * Stores the outcomes not already stored for the segment (the first recorded wins, so an import repeated
   * changes nothing) and the import itself, in one transaction. `notMembers` counts the given clients
   * outside the visible result (all of them while there is none).
   */
  async record(
    segmentId: string,
    rows: readonly OutcomeRow[],
    source: OutcomeSource,
    apiKeyId: string | null,
  ): Promise<{ stored: number; alreadyStored: number; notMembers: number }> {
    const t = this.t;
    const ids = rows.map((r) => r.clientId);
    const times = rows.map((r) => r.convertedAt?.toISOString() ?? null);
    return withTransaction(this.pool, async (client) => {
      const inserted = await client.query(
        `insert into ${t.outcome} (segment_id, client_id, converted_at, source)
         select $1, o.client_id, o.converted_at, $4
         from unnest($2::text[], $3::timestamptz[]) as o(client_id, converted_at)
         on conflict (segment_id, client_id) do nothing`,
        [segmentId, ids, times, source],
      );
      const stored = inserted.rowCount ?? 0;
      const distinct = new Set(ids).size;
      const members = await client.query<{ n: string }>(
        `select count(*) as n from ${t.member} m
         join ${t.segment} s on s.id = $1 and m.run_id = s.current_run_id
         where m.client_id = any($2::text[])`,
        [segmentId, [...new Set(ids)]],
      );
      await client.query(
        `insert into ${t.outcomeImport} (segment_id, source, lines, stored, api_key_id) values ($1, $2, $3, $4, $5)`,
        [segmentId, source, rows.length, stored, apiKeyId],
      );
      return {
        stored,
        alreadyStored: distinct - stored,
        notMembers: distinct - Number(members.rows[0]?.n ?? 0),
      };
    });
  }

  /**
   * Members of a run and how many of them converted, in the target and the control group (the split of
   * `controlGroupOf`, computed here in SQL). Without a share every member is in the target group.
   */
  async groups(
    segmentId: string,
    runId: string,
    share: number | null,
  ): Promise<{ target: GroupCounts; control: GroupCounts }> {
    const t = this.t;
    const result = await this.pool.query<{ control: boolean; size: string; converted: string }>(
      `select ${controlGroupSql('$1', 'm.client_id', '$3')} as control,
         count(*) as size, count(o.client_id) as converted
       from ${t.member} m
       left join ${t.outcome} o on o.segment_id = $1 and o.client_id = m.client_id
       where m.run_id = $2
       group by 1`,
      [segmentId, runId, share === null ? NO_CONTROL : controlThreshold(share)],
    );
    const counts = { target: { size: 0, converted: 0 }, control: { size: 0, converted: 0 } };
    for (const row of result.rows) {
      counts[row.control ? 'control' : 'target'] = {
        size: Number(row.size),
        converted: Number(row.converted),
      };
    }
    return counts;
  }

  async summary(segmentId: string): Promise<OutcomeSummary> {
    const t = this.t;
    const result = await this.pool.query<{ recorded: string; imports: string; last: Date | null }>(
      `select (select count(*) from ${t.outcome} where segment_id = $1) as recorded,
              count(*) as imports, max(imported_at) as last
       from ${t.outcomeImport} where segment_id = $1`,
      [segmentId],
    );
    const row = result.rows[0];
    return {
      recorded: Number(row?.recorded ?? 0),
      imports: Number(row?.imports ?? 0),
      lastImportAt: row?.last ?? null,
    };
  }

  /**
   * Segments made for the same offer (`offer.id`, or `offer.campaignId`) that have a visible result, newest
   * first: the key's own, or every key's for an admin key. At most `limit`.
   */
  async sameOffer(
    by: 'offerId' | 'campaignId',
    value: string,
    caller: { apiKeyId: string; admin?: boolean },
    limit = 50,
  ): Promise<OfferSibling[]> {
    if (!isUuid(caller.apiKeyId) && !caller.admin) return [];
    const t = this.t;
    const field = by === 'offerId' ? 'id' : 'campaignId';
    const result = await this.pool.query<{ id: string; run_id: string }>(
      `select id, current_run_id as run_id from ${t.segment}
       where offer ->> '${field}' = $1 and current_run_id is not null and ($2::boolean or api_key_id = $3::uuid)
       order by created_at desc limit $4`,
      [value, caller.admin === true, caller.admin ? null : caller.apiKeyId, limit],
    );
    return result.rows.map((r) => ({ id: r.id, runId: r.run_id }));
  }
}
