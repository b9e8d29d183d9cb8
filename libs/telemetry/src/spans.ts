import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';

/** The one tracer of t2s's own spans (BullMQ's come from bullmq-otel under the same name). */
export const TRACER_NAME = 't2s';

/**
 * Runs `work` inside a new span, child of the active one: its error is recorded on the span (status
 * ERROR) and rethrown, and the span ends when `work` settles. A no-op span when tracing is off.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks the active span failed with an error code, for an outcome that is returned rather than thrown. */
export function markFailed(span: Span, code: string, message?: string): void {
  span.setAttribute('t2s.error.code', code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? code });
}

/** The active trace's id, for a log line; undefined outside a sampled span. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getSpan(context.active());
  const ids = span?.spanContext();
  return ids && ids.traceFlags & 1 ? { traceId: ids.traceId, spanId: ids.spanId } : undefined;
}

/** The active context as W3C headers (`traceparent`), for an outgoing HTTP call such as a webhook. */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}
