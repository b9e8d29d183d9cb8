// One segment, one trace, through the whole service (gateway, one worker process per queue, real Redis
// and PostgreSQL): every process exports its spans over OTLP/HTTP to a local collector stand-in, and the
// trace of one POST /v1/segments holds the request, each stage in order, the warehouse query and the
// webhook delivery, each a descendant of the request's span.
import { openServiceFixture, type ServiceFixture } from './testing/service-fixture';
import { OtlpCollector, type CollectedSpan } from './testing/otlp-collector';

jest.setTimeout(180_000);

const STAGE_SPANS = ['stage criteria', 'stage linking', 'stage sql', 'stage execution'];

describe('tracing through the service', () => {
  let f: ServiceFixture;
  const collector = new OtlpCollector();

  beforeAll(async () => {
    await collector.start();
    f = await openServiceFixture(300, {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      // Export each batch at once rather than every 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
  }, 240_000);
  afterAll(async () => {
    await f?.close();
    await collector.close();
  });

  it('follows a segment from the request through every queue hop, the SQL and the webhook', async () => {
    const response = await f.api('POST', '/v1/segments', {
      body: f.request(),
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
    expect(response.status).toBe(202);
    const accepted = response.json() as { id: string; revision: { id: string } };
    await f.receiver.waitForRun(accepted.id, accepted.revision.id);

    // The caller's traceparent is the trace: the gateway's span continues it.
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const trace = await collector.waitFor((spans) => {
      const ours = spans.filter((s) => s.traceId === traceId);
      const names = new Set(ours.map((s) => s.name));
      const complete = [...STAGE_SPANS, 'POST /v1/segments', 'sql.execute', 'webhook.deliver'].every((n) =>
        names.has(n),
      );
      return complete ? ours : undefined;
    }, 60_000);

    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const one = (name: string): CollectedSpan => {
      const found = trace.filter((s) => s.name === name);
      expect(found.map((s) => s.name)).toEqual([name]);
      return found[0]!;
    };
    const request = one('POST /v1/segments');
    expect(request).toMatchObject({ service: 'gateway', kind: 2, parentSpanId: '00f067aa0ba902b7' });
    expect(request.attributes['t2s.request_id']).toBe(response.headers.get('x-request-id'));
    /** The chain of parents up to the request's span (which the caller's span is the parent of). */
    const underRequest = (span: CollectedSpan): boolean => {
      for (let s: CollectedSpan | undefined = span; s; s = byId.get(s.parentSpanId)) {
        if (s.spanId === request.spanId) return true;
      }
      return false;
    };

    const stages = STAGE_SPANS.map(one);
    expect(stages.map((s) => s.service)).toEqual([
      'worker:criteria',
      'worker:linking',
      'worker:sql',
      'worker:execution',
    ]);
    const starts = stages.map((s) => BigInt(s.startTimeUnixNano));
    expect([...starts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(starts);
    for (const stage of stages) {
      expect(underRequest(stage)).toBe(true);
      expect(stage.attributes).toMatchObject({
        't2s.segment_id': accepted.id,
        't2s.revision_id': accepted.revision.id,
        't2s.pass': 0,
      });
    }
    // Each hop is a BullMQ producer span in the sender and a consumer span in the next process.
    const consumers = trace.filter((s) => s.kind === 5).map((s) => s.name);
    expect(consumers).toEqual(
      expect.arrayContaining(['process criteria', 'process linking', 'process sql', 'process execution']),
    );

    // The warehouse queries ran inside the execution stage, with no SQL text on the span.
    const queries = trace.filter((s) => s.name === 'sql.execute');
    const execution = stages[3]!;
    for (const query of queries) {
      expect(byId.get(query.parentSpanId)?.spanId).toBe(execution.spanId);
      expect(query.attributes['t2s.sql.hash']).toMatch(/^[0-9a-f]{16,}$/);
      expect(Object.values(query.attributes).join(' ')).not.toMatch(/\bfrom\b/i);
    }
    expect(queries.map((q) => q.attributes['t2s.sql.output'])).toContain('counted');

    const delivery = one('webhook.deliver');
    expect(delivery.service).toBe('worker:webhook');
    expect(delivery.status).not.toBe(2);
    expect(underRequest(delivery)).toBe(true);
    // The receiver got the trace too.
    const received = await f.receiver.waitForRun(accepted.id, accepted.revision.id);
    expect(received.traceparent).toMatch(new RegExp(`^00-${traceId}-${delivery.spanId}-01$`));

    // Each process's log lines about the segment carry its ids and the trace id, as JSON.
    const lines = f.log
      .map((line) => /^\[([^\]]+)\] (\{.*\})$/.exec(line))
      .flatMap((m) => (m ? [{ process: m[1], entry: JSON.parse(m[2]!) as Record<string, unknown> }] : []))
      .filter((l) => l.entry['segmentId'] === accepted.id);
    expect(lines.filter((l) => l.entry['msg'] === 'stage done').map((l) => l.process)).toEqual([
      'worker:criteria',
      'worker:linking',
      'worker:sql',
      'worker:execution',
    ]);
    for (const { entry } of lines) {
      expect(entry).toMatchObject({ revisionId: accepted.revision.id, trace_id: traceId });
    }
    const requestLine = f.log.find((line) => line.startsWith('[gateway]') && line.includes('"POST"'));
    expect(JSON.parse(requestLine!.slice('[gateway] '.length))).toMatchObject({
      requestId: response.headers.get('x-request-id'),
      req: { method: 'POST', path: '/v1/segments' },
      res: { statusCode: 202 },
      trace_id: traceId,
    });
  });
});
