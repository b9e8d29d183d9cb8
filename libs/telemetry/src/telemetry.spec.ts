import { Writable } from 'node:stream';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createLogger, inSpan, queueTelemetry, startTracing, traceHeaders, type Tracing } from './index';

/** A logger writing into an array of parsed lines. */
function capture(env: NodeJS.ProcessEnv = {}) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'spec', env, destination }) };
}

describe('@t2s/telemetry', () => {
  describe('without an OTLP endpoint', () => {
    it('records nothing and leaves BullMQ without telemetry', async () => {
      const tracing = startTracing({ serviceName: 'spec', env: {} });
      expect(tracing.enabled).toBe(false);
      expect(queueTelemetry()).toBeUndefined();
      expect(await inSpan('work', {}, async (span) => span.isRecording())).toBe(false);
      expect(traceHeaders()).toEqual({});
    });
  });

  describe('with an exporter', () => {
    let tracing: Tracing;
    const exporter = new InMemorySpanExporter();
    beforeAll(() => {
      tracing = startTracing({ serviceName: 'spec', env: {}, exporter });
    });
    afterAll(() => tracing.shutdown());
    beforeEach(() => exporter.reset());

    it('nests spans, records a failure and rethrows it', async () => {
      await expect(
        inSpan('outer', { 't2s.segment_id': 's1' }, () =>
          inSpan('inner', {}, async () => {
            throw new Error('boom');
          }),
        ),
      ).rejects.toThrow('boom');
      const [inner, outer] = exporter.getFinishedSpans();
      expect([inner?.name, outer?.name]).toEqual(['inner', 'outer']);
      expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
      expect(inner?.spanContext().traceId).toBe(outer?.spanContext().traceId);
      expect(inner?.status.code).toBe(2); // ERROR
      expect(outer?.attributes['t2s.segment_id']).toBe('s1');
      expect(queueTelemetry()).toBeDefined();
    });

    it("drops a queue's housekeeping roots, not the same spans inside a trace", async () => {
      const tracer = trace.getTracer('bullmq-like');
      tracer.startSpan('getNextJob criteria', { kind: SpanKind.INTERNAL }).end();
      await inSpan(
        'POST /v1/segments',
        {},
        async () => tracer.startSpan('getNextJob inside').end(),
        SpanKind.SERVER,
      );
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([
        'getNextJob inside',
        'POST /v1/segments',
      ]);
    });

    it('puts the trace id on log lines written inside a span, and the W3C header on calls out', async () => {
      const { lines, logger } = capture();
      let headers: Record<string, string> = {};
      const traceId = await inSpan(
        'deliver',
        {},
        async (span) => {
          logger.info({ segmentId: 's1' }, 'delivered');
          headers = traceHeaders();
          return span.spanContext().traceId;
        },
        SpanKind.CLIENT,
      );
      expect(lines[0]).toMatchObject({
        service: 'spec',
        segmentId: 's1',
        trace_id: traceId,
        msg: 'delivered',
      });
      expect(headers['traceparent']).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    });
  });

  describe('the logger', () => {
    it('writes JSON at LOG_LEVEL, with SQL, ids and secrets redacted', () => {
      const { lines, logger } = capture({ LOG_LEVEL: 'warn' });
      logger.info('not at warn');
      logger.warn(
        { segmentId: 's1', sql: "select 1 where name = 'Ivanov'", run: { ids: ['42'] }, apiKey: 'k' },
        'slow',
      );
      expect(lines).toEqual([
        expect.objectContaining({
          level: 40,
          service: 'spec',
          segmentId: 's1',
          sql: '[redacted]',
          run: { ids: '[redacted]' },
          apiKey: '[redacted]',
          msg: 'slow',
        }),
      ]);
      expect(() => createLogger({ service: 'spec', env: { LOG_LEVEL: 'loud' } })).toThrow(/LOG_LEVEL/);
    });
  });
});
