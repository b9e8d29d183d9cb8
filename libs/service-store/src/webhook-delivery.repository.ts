import type { Pool } from 'pg';
import type { WebhookEvent } from '@t2s/contracts';
import { isUuid, storeTables, type StoreTables } from './store-tables';

export interface WebhookEventRecord {
  id: string;
  segmentId: string;
  /** The segment's API key: whose webhook secrets sign the event. */
  apiKeyId: string;
  revisionId: string;
  url: string;
  body: WebhookEvent;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookDeliveryRecord {
  id: string;
  eventId: string;
  segmentId: string;
  attempt: number;
  url: string;
  statusCode: number | null;
  error: string | null;
  /** Refused before connecting (the target is or resolved to an internal address); `error` says why. */
  refused: boolean;
  durationMs: number;
  deliveredAt: Date;
}

export interface DeliveryAttempt {
  eventId: string;
  segmentId: string;
  /** 1 for the first try; BullMQ's attemptsMade + 1. */
  attempt: number;
  url: string;
  statusCode?: number;
  error?: string;
  refused?: boolean;
  durationMs: number;
}

interface EventRow {
  id: string;
  segment_id: string;
  api_key_id: string;
  revision_id: string;
  url: string;
  body: WebhookEvent;
  created_at: Date;
  delivered_at: Date | null;
}

interface DeliveryRow {
  id: string;
  event_id: string;
  segment_id: string;
  attempt: number;
  url: string;
  status_code: number | null;
  error: string | null;
  refused: boolean;
  duration_ms: number;
  delivered_at: Date;
}

const toEvent = (row: EventRow): WebhookEventRecord => ({
  id: row.id,
  segmentId: row.segment_id,
  apiKeyId: row.api_key_id,
  revisionId: row.revision_id,
  url: row.url,
  body: row.body,
  createdAt: row.created_at,
  deliveredAt: row.delivered_at,
});

/**
 * Webhook events (one per finished revision and outcome, so a repeated finish does not notify twice)
 * and every delivery attempt of them, for support ("did Co-marketer get it?").
 */
export class WebhookDeliveryRepository {
  private readonly t: StoreTables;
  /** An event row's columns, with its segment's API key (whose webhook secrets sign it). */
  private readonly eventColumns: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = storeTables(schema);
    this.eventColumns = `id, segment_id, revision_id, url, body, created_at, delivered_at,
      (select api_key_id from ${this.t.segment} s where s.id = segment_id) as api_key_id`;
  }

  /**
   * Stores the event under its own id; when this revision already has an event of this type, that one
   * is returned instead (`created: false`) and its id is the one to enqueue.
   */
  async createEvent(input: {
    segmentId: string;
    revisionId: string;
    url: string;
    event: WebhookEvent;
  }): Promise<{ event: WebhookEventRecord; created: boolean }> {
    const inserted = await this.pool.query<EventRow>(
      `insert into ${this.t.webhookEvent} (id, segment_id, revision_id, type, url, body, created_at)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (revision_id, type) do nothing returning ${this.eventColumns}`,
      [
        input.event.id,
        input.segmentId,
        input.revisionId,
        input.event.type,
        input.url,
        JSON.stringify(input.event),
        input.event.createdAt,
      ],
    );
    if (inserted.rows[0]) return { event: toEvent(inserted.rows[0]), created: true };
    const { rows } = await this.pool.query<EventRow>(
      `select ${this.eventColumns} from ${this.t.webhookEvent} where revision_id = $1 and type = $2`,
      [input.revisionId, input.event.type],
    );
    return { event: toEvent(rows[0] as EventRow), created: false };
  }

  async getEvent(eventId: string): Promise<WebhookEventRecord | null> {
    if (!isUuid(eventId)) return null;
    const { rows } = await this.pool.query<EventRow>(
      `select ${this.eventColumns} from ${this.t.webhookEvent} where id = $1`,
      [eventId],
    );
    return rows[0] ? toEvent(rows[0]) : null;
  }

  /**
   * Records one attempt (idempotent per event and attempt number); a 2xx answer marks the event
   * delivered, so a redelivered job can stop early.
   */
  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    await this.pool.query(
      `insert into ${this.t.webhookDelivery}
         (event_id, segment_id, attempt, url, status_code, error, refused, duration_ms)
       values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (event_id, attempt) do nothing`,
      [
        attempt.eventId,
        attempt.segmentId,
        attempt.attempt,
        attempt.url,
        attempt.statusCode ?? null,
        attempt.error ?? null,
        attempt.refused ?? false,
        Math.max(0, Math.round(attempt.durationMs)),
      ],
    );
    const ok = attempt.statusCode !== undefined && attempt.statusCode >= 200 && attempt.statusCode < 300;
    if (ok) {
      await this.pool.query(
        `update ${this.t.webhookEvent} set delivered_at = coalesce(delivered_at, now()) where id = $1`,
        [attempt.eventId],
      );
    }
  }

  /** Every attempt for the segment's events, oldest first. */
  async listBySegment(segmentId: string): Promise<WebhookDeliveryRecord[]> {
    if (!isUuid(segmentId)) return [];
    const { rows } = await this.pool.query<DeliveryRow>(
      `select id, event_id, segment_id, attempt, url, status_code, error, refused, duration_ms, delivered_at
       from ${this.t.webhookDelivery} where segment_id = $1 order by delivered_at, attempt`,
      [segmentId],
    );
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      segmentId: row.segment_id,
      attempt: row.attempt,
      url: row.url,
      statusCode: row.status_code,
      error: row.error,
      refused: row.refused,
      durationMs: row.duration_ms,
      deliveredAt: row.delivered_at,
    }));
  }
}
