import { request as httpRequest } from 'node:http';
// The gateway over real HTTP, with the real Redis and PostgreSQL of this machine and an in-memory key
// store. It runs in a child process: Jest cannot load NestJS 12 (ESM-only) in-process without
// `--experimental-vm-modules` (see testing/spawn-gateway.ts).
import { TEST_API_KEY, TEST_API_KEY_RECORD } from './testing/fake-api-key.store';
import { HARNESS_ENTRY, spawnGateway, stopGateway, type GatewayProcess } from './testing/spawn-gateway';

const SERVICE_DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const UUID = /^[0-9a-f-]{36}$/;

async function expectApiError(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const requestId = response.headers.get('x-request-id');
  expect(await response.json()).toEqual({
    error: { code, message: expect.any(String), requestId },
  });
}

describe('gateway (dependencies up)', () => {
  let gateway: GatewayProcess;
  const get = (path: string, init?: RequestInit) => fetch(`${gateway.url}${path}`, init);

  beforeAll(async () => {
    gateway = await spawnGateway(HARNESS_ENTRY, {
      REDIS_URL: 'redis://127.0.0.1:6379',
      SERVICE_DATABASE_URL: SERVICE_DB,
      WAREHOUSE_URL: '',
      BODY_LIMIT_BYTES: String(1024 * 1024),
      // A prefix no worker serves: readiness counts none.
      QUEUE_PREFIX: `{t2s-gw-${process.pid}}`,
    });
  });

  afterAll(async () => {
    if (gateway) expect(await stopGateway(gateway)).toEqual({ code: 0, signal: null });
  });

  it('answers /healthz', async () => {
    const response = await get('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready but degraded (200) when Redis and the service database answer and no queue has a worker', async () => {
    const response = await get('/readyz');
    expect(await response.json()).toEqual({
      status: 'degraded',
      checks: { redis: 'ok', postgres: 'ok' },
      workers: { criteria: 0, linking: 0, sql: 0, execution: 0, webhook: 0 },
    });
    expect(response.status).toBe(200);
  });

  it('echoes a safe x-request-id and generates one otherwise', async () => {
    expect(
      (await get('/healthz', { headers: { 'x-request-id': 'cm-42.a' } })).headers.get('x-request-id'),
    ).toBe('cm-42.a');
    expect(
      (await get('/healthz', { headers: { 'x-request-id': 'bad id' } })).headers.get('x-request-id'),
    ).toMatch(UUID);
  });

  it('refuses /v1 without a key, asking for a bearer token', async () => {
    const response = await get('/v1/whoami', { headers: { 'x-request-id': 'no-key' } });
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    await expectApiError(response, 401, 'UNAUTHORIZED');
  });

  it.each(['Bearer wrong-key', `Basic ${TEST_API_KEY}`, 'Bearer', `Bearer ${TEST_API_KEY} extra`])(
    'refuses Authorization: %s',
    async (authorization) => {
      const response = await get('/v1/whoami', { headers: { authorization } });
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      await expectApiError(response, 401, 'UNAUTHORIZED');
    },
  );

  it('answers whoami for a good key', async () => {
    const response = await get('/v1/whoami', { headers: { authorization: `bearer ${TEST_API_KEY}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: TEST_API_KEY_RECORD.id, name: TEST_API_KEY_RECORD.name });
  });

  it('answers an unknown route with a NOT_FOUND ApiError', async () => {
    const response = await get('/v1/nothing-here?x=1', {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    await expectApiError(response, 404, 'NOT_FOUND');
  });

  it('answers malformed JSON with a 400 ApiError', async () => {
    const response = await get('/v1/whoami', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"offer": ',
    });
    await expectApiError(response, 400, 'INVALID_REQUEST');
  });

  it('answers a body over BODY_LIMIT_BYTES with a 413 ApiError', async () => {
    // The server answers as soon as the declared length is over the limit, and may reset the socket while
    // a client is still sending. So declare the whole length, send only its first part, and read the
    // answer: a write racing the reset cannot eat the response under load.
    const body = JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) });
    const { status, headers, text } = await new Promise<{ status: number; headers: Headers; text: string }>(
      (done, fail) => {
        const request = httpRequest(`${gateway.url}/v1/whoami`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        });
        let responded = false;
        request.on('close', () => {
          if (!responded) fail(new Error('the connection closed without a response'));
        });
        request.on('response', (response) => {
          responded = true;
          let text = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              if (typeof value === 'string') headers.set(name, value);
            }
            done({ status: response.statusCode ?? 0, headers, text });
            request.destroy();
          });
        });
        request.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') fail(error);
        });
        request.write(body.slice(0, 16 * 1024));
      },
    );
    await expectApiError(new Response(text, { status, headers }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('serves the OpenAPI 3.1 document', async () => {
    const response = await get('/docs/openapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/v1/segments');
  });

  it('serves a self-contained docs page listing the operations', async () => {
    const response = await get('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    for (const path of ['/v1/segments', '/v1/segments/{id}/members', '/v1/batches', '/healthz']) {
      expect(html).toContain(`<code>${path}</code>`);
    }
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('counts requests by route pattern, never by raw URL', async () => {
    await get('/healthz');
    await get('/no/such/route/12345');
    const response = await get('/metrics');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^t2s_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+$/m);
    expect(text).toMatch(/^t2s_http_requests_total\{method="GET",route="\(unmatched\)",status="404"\} \d+$/m);
    expect(text).toMatch(
      /^t2s_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz",status="200"\} \d+$/m,
    );
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).not.toContain('12345');
  });
});

describe('gateway (dependencies down)', () => {
  let gateway: GatewayProcess;

  beforeAll(async () => {
    // Port 1 refuses connections at once: the probe must report it, not hang or retry forever.
    gateway = await spawnGateway(HARNESS_ENTRY, {
      REDIS_URL: 'redis://127.0.0.1:1',
      SERVICE_DATABASE_URL: SERVICE_DB,
      WAREHOUSE_URL: 'postgres://postgres@127.0.0.1:1/warehouse',
    });
  });

  afterAll(async () => {
    if (gateway) expect(await stopGateway(gateway)).toEqual({ code: 0, signal: null });
  });

  it('answers /readyz 503 naming what is down, and /healthz still 200', async () => {
    for (let probe = 0; probe < 2; probe++) {
      const response = await fetch(`${gateway.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: 'unavailable',
        checks: { redis: 'down', postgres: 'ok', warehouse: 'down' },
      });
    }
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });
});
