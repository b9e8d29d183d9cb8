// Test support: a webhook endpoint that holds the first delivery of each event open (never answering),
// so a spec can kill the webhook worker in the middle of a delivery; later attempts are passed on to the
// real receiver and answered with its status.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
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
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/held`;
  }

  /** Resolves once a delivery for the segment is held open. */
  held(segmentId: string, timeoutMs = 60_000): Promise<HeldAttempt> {
    const found = this.attempts.find((a) => a.held && a.segmentId === segmentId);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('attempt', listener);
        reject(new Error(`no delivery for segment ${segmentId} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (attempt: HeldAttempt) => {
        if (!attempt.held || attempt.segmentId !== segmentId) return;
        clearTimeout(timer);
        this.events.off('attempt', listener);
        resolve(attempt);
      };
      this.events.on('attempt', listener);
    });
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
