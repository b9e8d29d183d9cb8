import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

// Requests that matched no route share one label value, so scanners probing random URLs add no series.
export const UNMATCHED_ROUTE = '(unmatched)';

const LABELS = ['method', 'route', 'status'] as const;

/**
 * The gateway's Prometheus registry. One per app instead of prom-client's global one, so two apps in a
 * process (tests) never register the same metric twice.
 */
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 't2s_http_requests_total',
    help: 'HTTP requests answered, by route pattern and status.',
    labelNames: LABELS,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 't2s_http_request_duration_seconds',
    help: 'Time from receiving the request to sending the response, by route pattern and status.',
    labelNames: LABELS,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Counts in Fastify's onResponse hook rather than a Nest interceptor: 404s, 413s and body parse errors
   * never reach Nest's interceptors but must be counted too.
   */
  install(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', async (request, reply) => {
      const labels = {
        method: request.method,
        // The pattern (`/v1/segments/:id`), never the raw URL: ids in labels would explode cardinality.
        route: request.routeOptions.url ?? UNMATCHED_ROUTE,
        status: String(reply.statusCode),
      };
      this.requests.inc(labels);
      this.duration.observe(labels, reply.elapsedTime / 1000);
    });
  }
}
