// The public API of @t2s/metrics: every Prometheus metric the apps export, defined in one place
// (docs/metrics.md lists them), and the /metrics server of the processes without an HTTP API.
export { PipelineMetrics } from './pipeline-metrics';
export { SqlMetrics } from './sql-metrics';
export { WebhookMetrics } from './webhook-metrics';
export { registerQueueMetrics } from './queue-metrics';
export { serveMetrics } from './metrics-server';
