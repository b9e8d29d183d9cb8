import { EventEmitter, once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One span as an OTLP/HTTP JSON export carries it, with its process's `service.name`. */
export interface CollectedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  service: string;
  startTimeUnixNano: string;
  attributes: Record<string, string | number | boolean>;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  status: number;
}

type OtlpValue = {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
};
type OtlpAttribute = { key: string; value: OtlpValue };
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: (Omit<CollectedSpan, 'service' | 'attributes' | 'status'> & {
        attributes?: OtlpAttribute[];
        status?: { code?: number };
      })[];
    }[];
  }[];
}

/**
 * A stand-in for an OpenTelemetry collector (or Tempo's receiver): answers `POST /v1/traces` as the
 * OTLP/HTTP JSON protocol does and keeps every span, so a spec can read the trace the service's
 * processes exported (OTEL_EXPORTER_OTLP_ENDPOINT=collector.url).
 */
export class OtlpCollector {
  readonly spans: CollectedSpan[] = [];
  private readonly events = new EventEmitter();
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method !== 'POST' || request.url !== '/v1/traces') {
          response.writeHead(404).end();
          return;
        }
        try {
          const body = Buffer.concat(chunks);
          const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString();
          this.keep(JSON.parse(text) as OtlpExport);
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } catch (error) {
          response.writeHead(400).end(String(error));
        }
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves with the first answer of `find` over the spans so far that is not undefined. */
  waitFor<T>(find: (spans: readonly CollectedSpan[]) => T | undefined, timeoutMs: number): Promise<T> {
    const now = find(this.spans);
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('spans', check);
        reject(
          new Error(`no such spans within ${timeoutMs} ms; got ${this.spans.map((s) => s.name).join(', ')}`),
        );
      }, timeoutMs);
      const check = () => {
        const found = find(this.spans);
        if (found === undefined) return;
        clearTimeout(timer);
        this.events.off('spans', check);
        resolve(found);
      };
      this.events.on('spans', check);
    });
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }

  private keep(body: OtlpExport): void {
    for (const resource of body.resourceSpans ?? []) {
      const service = String(valueOf(resource.resource?.attributes, 'service.name') ?? '');
      for (const scope of resource.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: span.kind,
            service,
            startTimeUnixNano: String(span.startTimeUnixNano),
            attributes: Object.fromEntries(
              (span.attributes ?? []).map((a) => [a.key, valueOf(span.attributes, a.key) as string]),
            ),
            status: span.status?.code ?? 0,
          });
        }
      }
    }
    this.events.emit('spans');
  }
}

function valueOf(
  attributes: OtlpAttribute[] | undefined,
  key: string,
): string | number | boolean | undefined {
  const value = attributes?.find((a) => a.key === key)?.value;
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.boolValue ?? value.doubleValue;
}
