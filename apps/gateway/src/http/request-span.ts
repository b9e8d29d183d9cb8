import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { TRACER_NAME } from '@t2s/telemetry';

// Keyed by the Node request too: nestjs-pino's middleware sees only that one.
const spans = new WeakMap<FastifyRequest | IncomingMessage, { span: Span; context: Context }>();

/**
 * One SERVER span per request, child of the caller's `traceparent` when it sends one: opened when the
 * request arrives (so a 404 or 413 has one too), named by its route once routed, and closed with the
 * response's status. RequestSpanInterceptor runs each handler inside it, so what the handler does (a
 * segment enqueued, a query) joins the request's trace.
 */
export function installRequestSpans(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request) => {
    const parent = propagation.extract(context.active(), request.headers);
    const span = trace.getTracer(TRACER_NAME).startSpan(
      `${request.method} ${request.routeOptions.url ?? 'unrouted'}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'http.route': request.routeOptions.url ?? '',
          't2s.request_id': request.id,
        },
      },
      parent,
    );
    const entry = { span, context: trace.setSpan(parent, span) };
    spans.set(request, entry);
    spans.set(request.raw, entry);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const entry = spans.get(request);
    if (!entry) return;
    entry.span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
    entry.span.end();
  });
}

/** The request span's ids, for its log line (written after the handler, outside the span's context). */
export function requestTraceIds(raw: IncomingMessage): { trace_id: string; span_id: string } | object {
  const ids = spans.get(raw)?.span.spanContext();
  return ids && ids.traceFlags & 1 ? { trace_id: ids.traceId, span_id: ids.spanId } : {};
}

/** Runs a Nest handler inside its request's span (see installRequestSpans). */
export class RequestSpanInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const entry = spans.get(execution.switchToHttp().getRequest<FastifyRequest>());
    if (!entry) return next.handle();
    return new Observable((subscriber) =>
      context.with(entry.context, () => next.handle().subscribe(subscriber)),
    );
  }
}
