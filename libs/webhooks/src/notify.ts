import { randomUUID } from 'node:crypto';
import { isTerminalStatus, segmentLinks, webhookEventSchema, type WebhookEvent } from '@t2s/contracts';
import type { SegmentRecord, SegmentRepository, WebhookDeliveryRepository } from '@t2s/service-store';
import { enqueueWebhook, type WebhookQueue } from './webhook-queue';

export interface NotifyDeps {
  segments: Pick<SegmentRepository, 'findById'>;
  webhooks: Pick<WebhookDeliveryRepository, 'createEvent'>;
  queue: WebhookQueue;
  clock?: () => Date;
}

export interface FinishedRevision {
  segmentId: string;
  revisionId: string;
}

/**
 * Call after a revision's run finished (succeeded, needs_review or failed). Returns null, and sends nothing, when the
 * segment is gone, the revision was superseded, the run has not finished, or the request gave no
 * webhook URL.
 *
 * Safe to call any number of times, from any process: the stored event is unique per revision and
 * outcome, and a repeated call gets the stored one back, so its id (what receivers deduplicate on) never
 * changes. The enqueue runs on every call, not only the first, so a call that stored the event but lost
 * Redis before enqueueing is completed by the retry; the job id makes the extra enqueues no-ops.
 */
export async function notifySegmentFinished(
  deps: NotifyDeps,
  ref: FinishedRevision,
): Promise<{ eventId: string; created: boolean } | null> {
  const segment = await deps.segments.findById(ref.segmentId);
  if (segment === null || segment.currentRevisionId !== ref.revisionId) return null;
  if (segment.webhookUrl === null) return null;
  if (!isTerminalStatus(segment.status)) return null;

  const now = (deps.clock ?? (() => new Date()))();
  const event = buildEvent(segment, randomUUID(), now);
  const stored = await deps.webhooks.createEvent({
    segmentId: segment.id,
    revisionId: segment.currentRevisionId,
    url: segment.webhookUrl,
    event,
  });
  await enqueueWebhook(deps.queue, { eventId: stored.event.id, segmentId: segment.id });
  return { eventId: stored.event.id, created: stored.created };
}

/**
 * One event type per final status (`segment.<status>`). Validated here, so a record the contract cannot
 * describe (a needs_review segment without its understanding) fails loudly instead of going out.
 */
function buildEvent(segment: SegmentRecord, id: string, createdAt: Date): WebhookEvent {
  const base = { id: segment.id, revisionId: segment.currentRevisionId, links: segmentLinks(segment.id) };
  const common = { id, createdAt: createdAt.toISOString() };
  switch (segment.status) {
    case 'succeeded':
      return webhookEventSchema.parse({
        ...common,
        type: 'segment.succeeded',
        segment: { ...base, status: 'succeeded', size: segment.resultSize },
      });
    case 'needs_review':
      return webhookEventSchema.parse({
        ...common,
        type: 'segment.needs_review',
        segment: {
          ...base,
          status: 'needs_review',
          size: segment.resultSize,
          understanding: segment.understanding,
        },
      });
    default:
      return webhookEventSchema.parse({
        ...common,
        type: 'segment.failed',
        segment: { ...base, status: 'failed', error: segment.error },
      });
  }
}
