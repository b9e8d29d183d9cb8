import type { Pool } from 'pg';
import type { Offer } from '@t2s/contracts';
import { quoteIdent } from '@t2s/db';
import { isUuid } from './store-tables';
import { withTransaction } from './transaction';

/**
 * A precedent's criterion as stored: what `readCriteria` of @t2s/precedents wrote (the representation's
 * expression, or the SQL fragment as it was written). The store keeps it as JSON and reads nothing of it;
 * the domain side (@t2s/precedents, a domain lib this infrastructure lib may not import) gives it its type.
 */
export type StoredPrecedentCriterion =
  { kind: 'include' | 'exclude'; expr: unknown } | { kind: 'include' | 'exclude'; sql: string };

/** One archived campaign to import: the file's offer and SQL, read into criteria before it is stored. */
export interface PrecedentImport {
  warehouse: string;
  campaign: string;
  offer: Offer;
  sql: string;
  criteria: readonly StoredPrecedentCriterion[];
  coverage: number;
  /** ISO date or date-time. */
  approvedAt?: string;
  approvedBy?: string;
}

/**
 * A stored precedent: the shape of @t2s/precedents' `Precedent`, except that `criteria` is null until the
 * SQL is read (an approval's, which the workers read once and save with `saveCriteria`).
 */
export interface StoredPrecedent {
  id: string;
  campaign: string;
  warehouse: string;
  offer: Offer;
  sql: string;
  approvedAt?: string;
  approvedBy?: string;
  origin: 'approval' | 'import';
  criteria: StoredPrecedentCriterion[] | null;
  coverage: number | null;
  createdAt: Date;
}

interface PrecedentRow {
  id: string;
  campaign: string;
  warehouse: string;
  offer: Offer;
  sql: string;
  approved_at: Date | null;
  approved_by: string | null;
  origin: 'approval' | 'import';
  criteria: StoredPrecedentCriterion[] | null;
  coverage: number | null;
  created_at: Date;
}

/** The precedent table of a schema, for the repositories that write it (the approvals). */
export function precedentTable(schema: string): string {
  return `${quoteIdent(schema)}.precedent`;
}

/**
 * Precedents: the bank's past campaigns, the memory new offers are compared with. Imported ones are one
 * row per (warehouse, campaign), so an import repeated replaces each campaign's row in place (same id);
 * approvals are written by `ApprovalRepository.approve`, in the approval's transaction.
 */
export class PrecedentStore {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = precedentTable(schema);
  }

  /**
   * Stores the items in one transaction and one statement: all of them or none. An item whose
   * (warehouse, campaign) was imported before replaces it; of two in one call for the same campaign the
   * later wins. Returns each stored row's id and whether it replaced one, in the items' order (a
   * campaign given twice: both answer with the one row).
   */
  async importMany(
    items: readonly PrecedentImport[],
  ): Promise<{ id: string; warehouse: string; campaign: string; replaced: boolean }[]> {
    if (items.length === 0) return [];
    const key = (i: { warehouse: string; campaign: string }) => JSON.stringify([i.warehouse, i.campaign]);
    const latest = [...new Map(items.map((item) => [key(item), item])).values()];
    const rows = latest.map((i) => ({
      warehouse: i.warehouse,
      campaign: i.campaign,
      offer: i.offer,
      sql: i.sql,
      criteria: i.criteria,
      coverage: i.coverage,
      approved_at: i.approvedAt ?? null,
      approved_by: i.approvedBy ?? null,
    }));
    const stored = await withTransaction(this.pool, async (client) => {
      // xmax is 0 on a row this statement inserted, the updating transaction's id on one it replaced.
      const { rows: result } = await client.query<{
        id: string;
        warehouse: string;
        campaign: string;
        replaced: boolean;
      }>(
        `insert into ${this.table} (warehouse, campaign, offer, sql, criteria, coverage, approved_at, approved_by,
           origin)
         select r.warehouse, r.campaign, r.offer, r.sql, r.criteria, r.coverage, r.approved_at, r.approved_by,
           'import'
         from jsonb_to_recordset($1::jsonb) as r(warehouse text, campaign text, offer jsonb, sql text,
           criteria jsonb, coverage real, approved_at timestamptz, approved_by text)
         on conflict (warehouse, campaign) where origin = 'import' do update set
           offer = excluded.offer, sql = excluded.sql, criteria = excluded.criteria,
           coverage = excluded.coverage, approved_at = excluded.approved_at,
           approved_by = excluded.approved_by, created_at = now()
         returning id, warehouse, campaign, xmax <> 0 as replaced`,
        [JSON.stringify(rows)],
      );
      return result;
    });
    const byKey = new Map(stored.map((row) => [key(row), row]));
    return items.map((item) => byKey.get(key(item)) as (typeof stored)[number]);
  }

  /** The warehouse's precedents, newest first (approved, else stored), at most `limit`. */
  async list(warehouse: string, limit = 1000): Promise<StoredPrecedent[]> {
    const { rows } = await this.pool.query<PrecedentRow>(
      `select id, campaign, warehouse, offer, sql, approved_at, approved_by, origin, criteria, coverage,
         created_at
       from ${this.table} where warehouse = $1
       order by coalesce(approved_at, created_at) desc, campaign, id limit $2`,
      [warehouse, limit],
    );
    return rows.map(toStoredPrecedent);
  }

  /**
   * Saves what a precedent's SQL was read into. Only while it is unread: a concurrent reader of the same
   * SQL changes nothing, and neither does a reader late behind an import that replaced the SQL (and read
   * it). False when nothing was saved.
   */
  async saveCriteria(
    id: string,
    criteria: readonly StoredPrecedentCriterion[],
    coverage: number,
  ): Promise<boolean> {
    if (!isUuid(id)) return false;
    const result = await this.pool.query(
      `update ${this.table} set criteria = $2, coverage = $3 where id = $1 and criteria is null`,
      [id, JSON.stringify(criteria), coverage],
    );
    return (result.rowCount ?? 0) > 0;
  }
}

function toStoredPrecedent(row: PrecedentRow): StoredPrecedent {
  return {
    id: row.id,
    campaign: row.campaign,
    warehouse: row.warehouse,
    offer: row.offer,
    sql: row.sql,
    ...(row.approved_at ? { approvedAt: row.approved_at.toISOString() } : {}),
    ...(row.approved_by !== null ? { approvedBy: row.approved_by } : {}),
    origin: row.origin,
    criteria: row.criteria,
    coverage: row.coverage,
    createdAt: row.created_at,
  };
}
