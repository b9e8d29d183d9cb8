// Test support: a webhook endpoint that holds the first delivery of each event open (never answering),
// so a spec can kill the webhook worker in the middle of a delivery; later attempts are passed on to the
// real receiver and answered with its status.
import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { startLoopbackServer } from './loopback-server';
import { nextEvent } from './next-event';

export interface HeldAttempt {
  eventId: string;
  segmentId: string;
  held: boolean;
}

export class HoldingWebhook {
  readonly attempts: HeldAttempt[] = [];
  url = '';
  private readonly events = new EventEmitter();
  private server: Server | undefined;

  constructor(private readonly forwardTo: string) {}

  async start(): Promise<void> {
    ({ server: this.server, url: this.url } = await startLoopbackServer(
      '/hooks/held',
      (request, body, response) => {
        const event = JSON.parse(body) as { id: string; segment: { id: string } };
        const held = !this.attempts.some((a) => a.eventId === event.id);
        const attempt = { eventId: event.id, segmentId: event.segment.id, held };
        this.attempts.push(attempt);
        this.events.emit('attempt', attempt);
        if (held) return; // no answer: the delivery stays in flight until its worker dies
        void fetch(this.forwardTo, { method: 'POST', headers: forwarded(request.headers), body }).then(
          async (answer) => response.writeHead(answer.status).end(await answer.text()),
          () => response.writeHead(502).end(),
        );
      },
    ));
  }

  /** Resolves once a delivery for the segment is held open. */
  held(segmentId: string, timeoutMs = 60_000): Promise<HeldAttempt> {
    const accept = (a: HeldAttempt) => a.held && a.segmentId === segmentId;
    const found = this.attempts.find(accept);
    if (found) return Promise.resolve(found);
    return nextEvent(
      this.events,
      'attempt',
      accept,
      timeoutMs,
      () => `no delivery for segment ${segmentId} within ${timeoutMs} ms`,
    );
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function forwarded(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)) continue;
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}
