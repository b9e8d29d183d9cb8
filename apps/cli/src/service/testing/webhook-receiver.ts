import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import {
  webhookEventSchema,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  type WebhookEvent,
} from '@t2s/contracts';
import { startLoopbackServer } from './loopback-server';
import { nextEvent } from './next-event';

export interface ReceivedDelivery {
  event: WebhookEvent;
  rawBody: string;
  /** `webhook-signature`: one `v1,<base64>` per secret valid at sending, space-separated. */
  signature: string | undefined;
  /** `webhook-id`: the event id. */
  eventIdHeader: string | undefined;
  /** W3C `traceparent`: the segment's trace, when the service traces. */
  traceparent: string | undefined;
  /** The three Standard Webhooks headers, as `Webhook.verify` takes them. */
  webhookHeaders: Record<string, string>;
  status: number;
  /** `performance.now()` when it arrived, for latency measurements. */
  receivedAt: number;
}

/**
 * Co-marketer's webhook endpoint for the end-to-end specs: records every delivery and answers with the
 * status `respond` picks (200 unless told otherwise), so a spec can make the first attempt fail.
 */
export class WebhookReceiver {
  readonly deliveries: ReceivedDelivery[] = [];
  respond: (event: WebhookEvent, previous: readonly ReceivedDelivery[]) => number = () => 200;
  private readonly events = new EventEmitter();
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    ({ server: this.server, url: this.url } = await startLoopbackServer(
      '/hooks/t2s',
      (request, rawBody, response) => {
        const event = webhookEventSchema.parse(JSON.parse(rawBody));
        const previous = this.deliveries.filter((d) => d.event.id === event.id);
        const status = this.respond(event, previous);
        const delivery: ReceivedDelivery = {
          event,
          rawBody,
          signature: header(request.headers[WEBHOOK_SIGNATURE_HEADER]),
          eventIdHeader: header(request.headers[WEBHOOK_ID_HEADER]),
          traceparent: header(request.headers['traceparent']),
          webhookHeaders: Object.fromEntries(
            [WEBHOOK_ID_HEADER, WEBHOOK_TIMESTAMP_HEADER, WEBHOOK_SIGNATURE_HEADER].map((name) => [
              name,
              header(request.headers[name]) ?? '',
            ]),
          ),
          status,
          receivedAt: performance.now(),
        };
        this.deliveries.push(delivery);
        response.writeHead(status).end();
        this.events.emit('delivery', delivery);
      },
    ));
  }

  /** The first (accepted) delivery matching `accept`, already received or still to come. */
  waitFor(accept: (delivery: ReceivedDelivery) => boolean, timeoutMs = 120_000): Promise<ReceivedDelivery> {
    const accepted = (d: ReceivedDelivery) => d.status < 300 && accept(d);
    const found = this.deliveries.find(accepted);
    if (found) return Promise.resolve(found);
    return nextEvent(
      this.events,
      'delivery',
      accepted,
      timeoutMs,
      () => `no matching webhook delivery within ${timeoutMs} ms`,
    );
  }

  /** Waits for the event finishing this segment revision's run. */
  waitForRun(segmentId: string, revisionId: string, timeoutMs?: number): Promise<ReceivedDelivery> {
    return this.waitFor(
      (d) => d.event.segment.id === segmentId && d.event.segment.revisionId === revisionId,
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
