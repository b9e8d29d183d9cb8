import { SpanKind, trace, type Attributes, type Context, type Link } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  SamplingDecision,
  SimpleSpanProcessor,
  type Sampler,
  type SamplingResult,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { BullMQOtel } from 'bullmq-otel';
import { TRACER_NAME } from './spans';

export interface Tracing {
  /** Whether spans are recorded and exported (an exporter is configured). */
  enabled: boolean;
  /** Exports what is buffered; for a test that reads its spans before the process ends. */
  flush(): Promise<void>;
  /** Exports what is buffered and stops; call once, at shutdown. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** `service.name` of every span: gateway, worker:sql, inference-pool, cli... */
  serviceName: string;
  /** Read for `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` and `OTEL_SDK_DISABLED`. */
  env?: NodeJS.ProcessEnv;
  /** Export here instead of OTLP (a spec's in-memory exporter), spans one by one. */
  exporter?: SpanExporter;
}

let started = false;

const OFF: Tracing = { enabled: false, flush: async () => undefined, shutdown: async () => undefined };

/**
 * Starts OpenTelemetry tracing for this process when an OTLP endpoint is configured
 * (`OTEL_EXPORTER_OTLP_ENDPOINT`, e.g. `http://tempo:4318`; the exporter reads the standard OTEL_*
 * variables itself), and registers the W3C trace-context propagator that carries a trace through HTTP
 * headers and BullMQ job metadata. Without an endpoint nothing is registered and every span is a no-op.
 * Call it before the process creates queues or workers.
 */
export function startTracing(options: TracingOptions): Tracing {
  const env = options.env ?? process.env;
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (env['OTEL_SDK_DISABLED'] === 'true' || (!endpoint && !options.exporter)) return OFF;
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    sampler: new ParentBasedSampler({ root: new NoHousekeepingRoots() }),
    spanProcessors: [processor],
  });
  provider.register();
  started = true;
  return {
    enabled: true,
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      started = false;
    },
  };
}

/** BullMQ's own INTERNAL operations (`<operation> <queue>` spans), none of them a job's work. */
const QUEUE_HOUSEKEEPING = new Set([
  'getNextJob',
  'moveStalledJobsToWait',
  'startStalledCheckTimer',
  'rateLimit',
  'trimEvents',
  'promoteJobs',
  'pause',
  'resume',
  'close',
  'drain',
  'clean',
  'obliterate',
  'remove',
  'removeDebounceKey',
  'removeDeduplicationKey',
  'updateJobProgress',
]);

/**
 * Samples every trace except those a queue's housekeeping starts on its own: BullMQ opens an INTERNAL
 * root span for each poll of a queue (getNextJob), stalled check and trim, thousands an hour of traces
 * that say nothing of a segment. Spans inside a trace (any kind) follow their parent.
 */
class NoHousekeepingRoots implements Sampler {
  shouldSample(
    _context: Context,
    _traceId: string,
    name: string,
    kind: SpanKind,
    _attributes: Attributes,
    _links: Link[],
  ): SamplingResult {
    return {
      decision:
        kind === SpanKind.INTERNAL && QUEUE_HOUSEKEEPING.has(name.split(' ')[0] as string)
          ? SamplingDecision.NOT_RECORD
          : SamplingDecision.RECORD_AND_SAMPLED,
    };
  }

  toString(): string {
    return 'NoHousekeepingRoots';
  }
}

/**
 * BullMQ's telemetry (bullmq-otel) for a Queue or Worker's options, when tracing is on: a job carries its
 * producer's trace context in its metadata, and the worker processes it in a consumer span of that trace,
 * so one segment's trace runs from the gateway through every queue hop. Undefined when tracing is off
 * (no metadata is written at all).
 */
export function queueTelemetry(): BullMQOtel | undefined {
  return started ? new BullMQOtel({ tracerName: TRACER_NAME }) : undefined;
}
