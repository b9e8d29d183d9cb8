import autocannon from 'autocannon';

export interface CannonTarget {
  /** The gateway's base URL. */
  url: string;
  key: string;
}

export interface CannonOptions {
  body?: string;
  headers?: Record<string, string>;
  durationS?: number;
}

/** The gateway alone under autocannon: requests per second, latency and errors, as one line. */
export async function cannon(
  target: CannonTarget,
  method: 'GET' | 'POST',
  path: string,
  options: CannonOptions = {},
): Promise<string> {
  return (await cannonRun(target, method, path, options)).line;
}

/** As `cannon`, with the number of requests answered (20 connections, 10 s unless `durationS`). */
export async function cannonRun(
  target: CannonTarget,
  method: 'GET' | 'POST',
  path: string,
  options: CannonOptions = {},
): Promise<{ line: string; total: number }> {
  const { body } = options;
  const result = await autocannon({
    url: `${target.url}${path}`,
    method,
    connections: 20,
    duration: options.durationS ?? 10,
    headers: {
      authorization: `Bearer ${target.key}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(body ? { body } : {}),
  });
  // A 304 answers a conditional GET as it should: only 2xx and 304 count as answered.
  const errors =
    result.non2xx - (result.statusCodeStats?.['304']?.count ?? 0) + result.errors + result.timeouts;
  return {
    line: `${result.requests.average.toFixed(0)} req/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${errors} errors or non-2xx of ${result.requests.total}`,
    total: result.requests.total,
  };
}
