import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  webhookEventSchema,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  type WebhookEvent,
} from '@t2s/contracts';

export interface ReceivedDelivery {
  event: WebhookEvent;
  rawBody: string;
  /** `webhook-signature`: one `v1,<base64>` per secret valid at sending, space-separated. */
  signature: string | undefined;
  /** `webhook-id`: the event id. */
  eventIdHeader: string | undefined;
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
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const event = webhookEventSchema.parse(JSON.parse(rawBody));
        const previous = this.deliveries.filter((d) => d.event.id === event.id);
        const status = this.respond(event, previous);
        const delivery: ReceivedDelivery = {
          event,
          rawBody,
          signature: header(request.headers[WEBHOOK_SIGNATURE_HEADER]),
          eventIdHeader: header(request.headers[WEBHOOK_ID_HEADER]),
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
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/t2s`;
  }

  /** The first (accepted) delivery matching `accept`, already received or still to come. */
  waitFor(accept: (delivery: ReceivedDelivery) => boolean, timeoutMs = 120_000): Promise<ReceivedDelivery> {
    const found = this.deliveries.find((d) => d.status < 300 && accept(d));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('delivery', listener);
        reject(new Error(`no matching webhook delivery within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (delivery: ReceivedDelivery) => {
        if (delivery.status >= 300 || !accept(delivery)) return;
        clearTimeout(timer);
        this.events.off('delivery', listener);
        resolve(delivery);
      };
      this.events.on('delivery', listener);
    });
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
