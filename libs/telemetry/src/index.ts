// The public API of @t2s/telemetry: one process's logs (pino, JSON) and traces (OpenTelemetry over
// OTLP), and the trace context that follows a segment through HTTP and every queue hop.
export { createLogger, REDACTED_KEYS, type Logger, type LoggerSettings } from './logger';
export { activeTraceIds, inSpan, markFailed, traceHeaders, TRACER_NAME } from './spans';
export { queueTelemetry, startTracing, type Tracing, type TracingOptions } from './tracing';
