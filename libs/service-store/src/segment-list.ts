import type { Pool } from 'pg';
import { AppError, type SegmentList, type SegmentListQuery } from '@t2s/contracts';
import { isUuid, storeTables, type StoreTables } from './store-tables';

interface Cursor {
  /** created_at as PostgreSQL prints it (microseconds kept, which a JS Date would lose). */
  t: string;
  i: string;
}

interface SummaryRow {
  id: string;
  title: string;
  status: SegmentList['items'][number]['status'];
  stage: string;
  revision: number;
  result_size: string | null;
  approved_revision: number | null;
  created_at: Date;
  updated_at: Date;
  created_key: string;
}

/**
 * The list a marketer scans: an API key's segments newest first (every key's for an admin), by keyset
 * pages on (created_at, id), so a page never repeats or skips a segment created meanwhile.
 */
export class SegmentListRepository {
  private readonly t: StoreTables;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = storeTables(schema);
  }

  async page(
    apiKeyId: string,
    query: SegmentListQuery,
    options: { admin?: boolean } = {},
  ): Promise<SegmentList> {
    const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
    const { rows } = await this.pool.query<SummaryRow>(
      `select s.id, coalesce(s.offer->>'title', '') as title, s.status, s.stage, r.number as revision,
         s.result_size,
         (select ar.number from ${this.t.approval} a join ${this.t.revision} ar on ar.id = a.revision_id
           where a.segment_id = s.id order by a.approved_at desc limit 1) as approved_revision,
         s.created_at, s.updated_at, s.created_at::text as created_key
       from ${this.t.segment} s join ${this.t.revision} r on r.id = s.current_revision_id
       where ($1::boolean or s.api_key_id = $2::uuid)
         and ($3::text is null or s.status = $3)
         and ($4::timestamptz is null or (s.created_at, s.id) < ($4::timestamptz, $5::uuid))
       order by s.created_at desc, s.id desc
       limit $6`,
      [
        options.admin ?? false,
        apiKeyId,
        query.status ?? null,
        cursor?.t ?? null,
        cursor?.i ?? null,
        query.limit + 1,
      ],
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
        id: row.id,
        title: row.title,
        status: row.status,
        stage: row.stage,
        revision: row.revision,
        size: row.result_size === null ? null : Number(row.result_size),
        approvedRevision: row.approved_revision,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
      })),
      nextCursor:
        rows.length > query.limit && last ? encodeCursor({ t: last.created_key, i: last.id }) : null,
    };
  }
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    const valid = typeof cursor.t === 'string' && !Number.isNaN(Date.parse(cursor.t));
    if (valid && typeof cursor.i === 'string' && isUuid(cursor.i)) return cursor;
  } catch {
    // Falls through to the error below.
  }
  throw new AppError(
    'INVALID_REQUEST',
    'The segments cursor is malformed; use nextCursor from the previous page',
  );
}
