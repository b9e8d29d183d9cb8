// A hostile client against every route of the real gateway (main.ts in a child process, with this
// machine's PostgreSQL and Redis): NUL and lone UTF-16 surrogates in every string a route accepts,
// heads and URIs over Node's limits, bytes HTTP forbids in a header, bodies over the limit. Whatever it
// sends, the answer is never a 500 and every error body is the contract's ApiError. The routes come
// from the OpenAPI document and from the Nest router's own list, so a new route cannot be missed.
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import {
  apiErrorSchema,
  buildOpenApiDocument,
  MEMBERS_NEXT_CURSOR_HEADER,
  UNSAFE_TEXT_REASONS,
  type ApiError,
} from '@t2s/contracts';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '@t2s/db';
import { createRedisConnection } from '@t2s/queue';
import { createRepositories } from '@t2s/service-store';
import { MAX_URL_BYTES } from './errors/client-error';
import {
  isFreeText,
  operationsOf,
  resolveSchema,
  stringFields,
  type JsonSchema,
  type OpenApiDoc,
  type Operation,
} from './testing/openapi-walk';
import { rawHttp, type RawRequest, type RawResponse } from './testing/raw-http';
import { MAIN_ENTRY, spawnGateway, stopGateway, type GatewayProcess } from './testing/spawn-gateway';

const BODY_LIMIT_BYTES = 64 * 1024;
const NODE_HEADER_LIMIT = 16 * 1024;

const DOC = JSON.parse(JSON.stringify(buildOpenApiDocument())) as OpenApiDoc;
const OPERATIONS = operationsOf(DOC);

/** Served elsewhere than the API: not in the OpenAPI document, probed all the same. */
const NON_API_ROUTES = ['GET /v1/whoami', 'GET /docs', 'GET /docs/openapi.json'];
/** Mounted as Fastify plugins, outside the Nest router. */
const PLUGIN_ROUTES = ['GET /console/', 'GET /admin/queues'];

const BAD_CHARACTERS = [
  { name: 'NUL', char: '\u0000', reason: UNSAFE_TEXT_REASONS.nul },
  { name: 'a lone high surrogate', char: '\ud800', reason: UNSAFE_TEXT_REASONS.surrogate },
  { name: 'a lone low surrogate', char: '\udc00', reason: UNSAFE_TEXT_REASONS.surrogate },
];
// What a lone surrogate would be in a URL: its 3 bytes as if UTF-8 could hold it (it cannot).
const SURROGATE_PERCENT = '%ED%A0%80';

/** A request each body-taking operation accepts, so that a refusal below is the injected character's. */
function baseBodies(warehouse: string): Record<string, unknown> {
  const segment = {
    offer: {
      id: 'CM-2026-0001',
      campaignId: 'winter-cards',
      product: { type: 'credit_card', code: 'CC120', name: 'Кредитная карта «120 дней»' },
      title: '120 дней без процентов',
      description: 'Льготный период 120 дней на покупки.',
      conditions: ['Кэшбэк до 5%'],
      channel: 'PUSH',
      validFrom: '2026-01-01',
      validTo: '2026-02-01',
    },
    criteria: 'Возраст 20-25 лет',
    webhook: { url: 'https://hooks.example/t2s' },
    options: { warehouse },
  };
  return {
    createSegment: segment,
    createRevision: { criteria: 'Возраст 25-35 лет', author: 'ivanov' },
    approveSegment: { author: 'ivanov' },
    createBatch: { segments: [segment] },
    checkSql: { sql: 'select client_id from client', warehouse },
    rotateWebhookSecret: { previousSecretValidSeconds: 0 },
    // A CSV body: sent as text/csv (see jsonBody).
    importSegmentOutcomes: 'client_id,converted_at\n101,2026-03-02\n',
  };
}

/** What each base request answers; the approval is refused only because the segment has not run. */
const BASE_STATUS: Record<string, number> = {
  createSegment: 202,
  createRevision: 202,
  approveSegment: 409,
  createBatch: 202,
  checkSql: 200,
  rotateWebhookSecret: 200,
  importSegmentOutcomes: 200,
};

function sampleFor(schema: JsonSchema | undefined): string {
  if (schema?.format === 'uuid') return randomUUID();
  if (schema?.format === 'date') return '2026-01-01';
  if (schema?.format === 'uri') return 'https://hooks.example/t2s';
  if (schema?.type === 'integer' || schema?.type === 'number') return '1';
  const first = schema?.enum?.[0];
  return typeof first === 'string' ? first : 'text';
}

function getAt(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
    value,
  );
}

/** A copy of `value` with `leaf` at `path`, creating the objects and arrays on the way. */
function setAt(value: unknown, path: readonly string[], leaf: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return leaf;
  const node = (value ?? (/^\d+$/.test(key) ? [] : {})) as Record<string, unknown> | unknown[];
  const copy = (Array.isArray(node) ? [...node] : { ...node }) as Record<string, unknown>;
  copy[key] = setAt(copy[key], rest, leaf);
  return copy;
}

interface BodyCase {
  operation: Operation;
  path: string[];
  schema: JsonSchema;
  bad: (typeof BAD_CHARACTERS)[number];
}

const BODY_CASES: BodyCase[] = OPERATIONS.flatMap((operation) =>
  operation.body === undefined
    ? []
    : stringFields(DOC, operation.body).flatMap(({ path, schema }) =>
        BAD_CHARACTERS.map((bad) => ({ operation, path, schema, bad })),
      ),
);

interface ParameterCase {
  operation: Operation;
  name: string;
  where: 'query' | 'path' | 'header';
  schema: JsonSchema | undefined;
}

// Every parameter, numbers included: a query string is text until it is parsed.
const PARAMETER_CASES: ParameterCase[] = OPERATIONS.flatMap((operation) =>
  operation.parameters
    .filter((parameter) => parameter.in !== 'cookie')
    .map((parameter) => ({
      operation,
      name: parameter.name,
      where: parameter.in as ParameterCase['where'],
      schema: parameter.schema && resolveSchema(DOC, parameter.schema),
    })),
);

/** The client id put in paths that name one (explain): unlike a digit, found nowhere in a UUID. */
const CLIENT_ID = 'client-7';

describe('hostile input to every route', () => {
  let gateway: GatewayProcess;
  let port: number;
  let warehouse: TestSchema;
  let storeSchema: TestSchema;
  let pool: Pool;
  let key: string;
  let bases: Record<string, unknown>;
  const queuePrefix = `{t2s-hostile-${randomBytes(4).toString('hex')}}`;
  // Segments of each kind the members route distinguishes, and a batch.
  const ids = { own: '', foreign: '', failed: '', succeeded: '', batch: '' };
  const answered: Array<{ what: string; target: string; status: number }> = [];

  /** Each response: recorded, and held to the contract when it is an error. */
  async function send(what: string, request: RawRequest): Promise<RawResponse> {
    const response = await rawHttp(port, {
      ...request,
      headers: { authorization: `Bearer ${key}`, ...request.headers },
    });
    answered.push({ what, target: request.target, status: response.status });
    expect({ what, problem: contractProblem(request, response) }).toEqual({ what, problem: null });
    return response;
  }

  function concrete(path: string): string {
    return path
      .replace(/^\/v1\/segments\/\{id\}/, `/v1/segments/${ids.own}`)
      .replace(/^\/v1\/batches\/\{id\}/, `/v1/batches/${ids.batch}`)
      .replace('{clientId}', CLIENT_ID);
  }

  /** The request's body: JSON, or text/csv for a base that is CSV text (the outcomes import). */
  function jsonBody(value: unknown) {
    if (typeof value === 'string') return { headers: { 'content-type': 'text/csv' }, body: value };
    return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
  }

  beforeAll(async () => {
    warehouse = await createTestSchema('hostile_wh');
    await warehouse.client.query(
      `create table "${warehouse.schema}".client (client_id bigint primary key, birth_date date);
       comment on table "${warehouse.schema}".client is 'Клиенты банка';
       comment on column "${warehouse.schema}".client.client_id is 'Идентификатор клиента'`,
    );
    storeSchema = await createTestSchema('hostile_svc');
    gateway = await spawnGateway(MAIN_ENTRY, {
      PORT: '0',
      HOST: '127.0.0.1',
      SERVICE_DATABASE_URL: testDatabaseUrl(),
      SERVICE_DATABASE_SCHEMA: storeSchema.schema,
      WAREHOUSE_URL: warehouse.url,
      WAREHOUSE_SCHEMAS: warehouse.schema,
      REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: queuePrefix,
      BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
      WEBHOOK_SECRET: randomBytes(32).toString('hex'),
    });
    port = Number(new URL(gateway.url).port);
    pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
    const store = createRepositories(pool, storeSchema.schema);
    key = (await store.apiKeys.create('hostile-client')).key;
    const otherKey = (await store.apiKeys.create('another-system')).key;
    bases = baseBodies(warehouse.schema);

    const create = async (asKey: string) => {
      const response = await rawHttp(port, {
        method: 'POST',
        target: '/v1/segments',
        headers: { authorization: `Bearer ${asKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(bases['createSegment']),
      });
      expect(response.status).toBe(202);
      return JSON.parse(response.body) as { id: string; revision: { id: string } };
    };
    ids.own = (await create(key)).id;
    ids.foreign = (await create(otherKey)).id;
    const failed = await create(key);
    ids.failed = failed.id;
    await store.segments.fail(failed.id, failed.revision.id, {
      code: 'SQL_FAILED',
      stage: 'execution',
      message: 'The warehouse rejected the query',
    });
    const succeeded = await create(key);
    ids.succeeded = succeeded.id;
    const run = await store.members.beginRun(succeeded.id, succeeded.revision.id);
    await store.members.appendIds(run as string, ['101', '102', '103']);
    await store.members.completeRun(run as string);
    await store.segments.succeed(succeeded.id, succeeded.revision.id, { sampleIds: ['101'] });
    const batch = await rawHttp(port, {
      method: 'POST',
      target: '/v1/batches',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rerun: [ids.own] }),
    });
    expect(batch.status).toBe(202);
    ids.batch = (JSON.parse(batch.body) as { id: string }).id;
  }, 90_000);

  afterAll(async () => {
    if (gateway) expect(await stopGateway(gateway)).toEqual({ code: 0, signal: null });
    await pool?.end();
    await storeSchema?.drop();
    await warehouse?.drop();
    const redis = createRedisConnection(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      await redis.quit();
    }
  });

  /** The routes as the Nest router mapped them (its start-up log), `GET /v1/segments/{id}`. */
  function nestRoutes(): string[] {
    const mapped = [...gateway.output().matchAll(/Mapped \{(\S+), ([A-Z]+)\} route/g)];
    return mapped.map(([, path, method]) => `${method} ${(path as string).replace(/:(\w+)/g, '{$1}')}`);
  }

  /** Every route there is: the Nest router's, the document's, and the plugins'. */
  function allRoutes(): Array<{ method: string; path: string }> {
    const routes = new Set([
      ...nestRoutes(),
      ...OPERATIONS.map((operation) => `${operation.method} ${operation.path}`),
      ...PLUGIN_ROUTES,
    ]);
    return [...routes].sort().map((route) => {
      const [method, path] = route.split(' ') as [string, string];
      return { method, path: concrete(path) };
    });
  }

  it('knows every route: the Nest router maps exactly the documented ones and the non-API ones', async () => {
    const served = await send('the document', { method: 'GET', target: '/docs/openapi.json' });
    expect(JSON.parse(served.body)).toEqual(DOC);
    const documented = OPERATIONS.map((operation) => `${operation.method} ${operation.path}`);
    expect(nestRoutes().sort()).toEqual([...documented, ...NON_API_ROUTES].sort());
    // A body-taking operation without a base request would go unprobed.
    const withBody = OPERATIONS.filter((operation) => operation.body !== undefined);
    expect(withBody.map((operation) => operation.operationId).sort()).toEqual(Object.keys(bases).sort());
  });

  it('accepts every base request, so each refusal below is the injected input', async () => {
    for (const operation of OPERATIONS.filter((candidate) => candidate.body !== undefined)) {
      const response = await send(`base ${operation.operationId}`, {
        method: operation.method,
        target: concrete(operation.path),
        ...jsonBody(bases[operation.operationId]),
      });
      expect({ operation: operation.operationId, status: response.status }).toEqual({
        operation: operation.operationId,
        status: BASE_STATUS[operation.operationId],
      });
    }
  });

  describe('NUL and lone surrogates in a JSON body', () => {
    it.each(
      BODY_CASES.map((c) => [`${c.operation.operationId} ${c.path.join('.')}`, c.bad.name, c] as const),
    )('%s with %s: 400 naming the field', async (_field, _bad, { operation, path, schema, bad }) => {
      const base = bases[operation.operationId];
      const current = getAt(base, path);
      const value = `${typeof current === 'string' ? current : sampleFor(schema)}${bad.char}`;
      const response = await send(`${operation.operationId} ${path.join('.')}`, {
        method: operation.method,
        target: concrete(operation.path),
        ...jsonBody(setAt(base, path, value)),
      });
      expect(response.status).toBe(400);
      const error = (JSON.parse(response.body) as ApiError).error;
      const reasons = (error.details ?? []).filter((d) => d.path === path.join('.')).map((d) => d.reason);
      expect(reasons.length).toBeGreaterThan(0);
      // Free text has no format to refuse it first: the refusal must be the character itself.
      if (isFreeText(schema)) expect(reasons).toContain(bad.reason);
    });
  });

  describe('NUL and lone surrogates in the query, the path and headers', () => {
    it.each(PARAMETER_CASES.map((c) => [c.operation.operationId, c.where, c.name, c] as const))(
      '%s %s %s: 400',
      async (_id, _where, _name, { operation, name, where, schema }) => {
        const base: Pick<RawRequest, 'headers' | 'body'> =
          operation.body === undefined ? {} : jsonBody(bases[operation.operationId]);
        const sample =
          where === 'path'
            ? name === 'clientId'
              ? CLIENT_ID
              : (concrete(operation.path).split('/')[3] ?? '')
            : sampleFor(schema);
        const targets = (suffix: string) => {
          if (where === 'path') return concrete(operation.path).replace(sample, `${sample}${suffix}`);
          if (where === 'query')
            return `${concrete(operation.path)}?${name}=${encodeURIComponent(sample)}${suffix}`;
          return concrete(operation.path);
        };
        for (const [suffix, headerBytes] of [
          ['%00', '\u0000'],
          [SURROGATE_PERCENT, '\u00ed\u00a0\u0080'],
        ] as const) {
          const response = await send(`${operation.operationId} ${where} ${name} ${suffix}`, {
            method: operation.method,
            target: targets(suffix),
            ...base,
            headers: {
              ...base.headers,
              ...(where === 'header' ? { [name]: `key-1${headerBytes}` } : {}),
            },
          });
          expect({ suffix, status: response.status }).toEqual({ suffix, status: 400 });
          // A NUL reaches the contract, which names the parameter. A surrogate cannot be percent-encoded
          // UTF-8, so the router (path) or the cursor decoder (query) refuses it first; a NUL byte in a
          // header is refused by Node's parser before anything reads it.
          const named = (where !== 'header' && suffix === '%00') || (where === 'header' && suffix !== '%00');
          if (named) {
            const details = (JSON.parse(response.body) as ApiError).error.details ?? [];
            expect(details.map((d) => d.path)).toContain(name);
          }
        }
      },
    );
  });

  describe('requests over the limits or with bytes HTTP forbids, on every route', () => {
    const probes: Array<[string, (route: { method: string; path: string }) => RawRequest, number | null]> = [
      [
        'headers over 16 KiB',
        ({ method, path }) => ({
          method,
          target: path,
          headers: { 'x-padding': 'a'.repeat(NODE_HEADER_LIMIT + 1024) },
        }),
        431,
      ],
      [
        'a URI over 16 KiB',
        ({ method, path }) => ({ method, target: `${path}?pad=${'a'.repeat(NODE_HEADER_LIMIT + 1024)}` }),
        414,
      ],
      [
        'a URI over 8 KiB',
        ({ method, path }) => ({ method, target: `${path}?pad=${'a'.repeat(MAX_URL_BYTES + 1024)}` }),
        414,
      ],
      [
        'a control character in a header',
        ({ method, path }) => ({ method, target: path, headers: { 'x-note': 'a\u0001b' } }),
        400,
      ],
      [
        'a NUL byte in a header',
        ({ method, path }) => ({ method, target: path, headers: { 'idempotency-key': 'a\u0000b' } }),
        400,
      ],
      [
        'a space in a header name',
        ({ method, path }) => ({ method, target: path, headers: { 'x bad': 'value' } }),
        400,
      ],
      [
        'an HTTP/1.1 request without Host',
        ({ method, path }) => ({ method, target: path, noHost: true }),
        400,
      ],
      [
        'a body over BODY_LIMIT_BYTES',
        ({ method, path }) => ({
          method,
          target: path,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ padding: 'x'.repeat(BODY_LIMIT_BYTES) }),
          declareLength: BODY_LIMIT_BYTES + 1024,
        }),
        // Fastify reads no body on a GET: that route answers as usual, the body ignored.
        null,
      ],
    ];

    it.each(probes)('%s', async (name, build, status) => {
      for (const route of allRoutes()) {
        const response = await send(`${name}: ${route.method} ${route.path}`, build(route));
        const expected = status ?? (route.method === 'POST' ? 413 : response.status);
        expect({ route, status: response.status }).toEqual({ route, status: expected });
      }
    });

    it('malformed JSON, JSON with a raw NUL byte, an empty JSON body and XML, on every POST route', async () => {
      const cases: Array<[string, Record<string, string>, string, number]> = [
        ['malformed JSON', { 'content-type': 'application/json' }, '{"offer": ', 400],
        [
          'a raw NUL byte in a JSON string',
          { 'content-type': 'application/json' },
          '{"sql": "a\u0000b"}',
          400,
        ],
        ['an empty JSON body', { 'content-type': 'application/json' }, '', 400],
        ['XML', { 'content-type': 'application/xml' }, '<offer/>', 415],
      ];
      for (const route of allRoutes().filter((candidate) => candidate.method === 'POST')) {
        for (const [name, headers, body, status] of cases) {
          const response = await send(`${name}: ${route.path}`, {
            method: 'POST',
            target: route.path,
            headers,
            body,
          });
          expect({ name, route, status: response.status }).toEqual({ name, route, status });
        }
      }
    });
  });

  describe('members as CSV: every error is the JSON error the JSON route answers', () => {
    const members = (id: string, query = '') => `/v1/segments/${id}/members${query}`;
    const cases: Array<[string, () => string, number]> = [
      ['an unknown segment', () => members(randomUUID()), 404],
      ["another key's segment", () => members(ids.foreign), 404],
      ['a failed segment', () => members(ids.failed), 404],
      ['a segment with no result yet', () => members(ids.own), 404],
      ['a bad cursor', () => members(ids.succeeded, '?cursor=nonsense'), 400],
      ['a NUL in the cursor', () => members(ids.succeeded, '?cursor=abc%00'), 400],
      ['a bad limit', () => members(ids.succeeded, '?limit=0'), 400],
      ['a bad segment id', () => members('not-a-uuid'), 400],
    ];

    it.each(cases)('%s', async (name, target, status) => {
      const json = await send(`members JSON: ${name}`, {
        method: 'GET',
        target: target(),
        headers: { accept: 'application/json' },
      });
      const csv = await send(`members CSV: ${name}`, {
        method: 'GET',
        target: target(),
        headers: { accept: 'text/csv' },
      });
      expect(csv.status).toBe(status);
      expect(json.status).toBe(status);
      const code = (response: RawResponse) => (JSON.parse(response.body) as ApiError).error.code;
      expect(code(csv)).toBe(code(json));
      expect(csv.headers['content-disposition']).toBeUndefined();
    });

    it('still streams the ids as CSV, whole or by page', async () => {
      const whole = await send('members CSV', {
        method: 'GET',
        target: members(ids.succeeded),
        headers: { accept: 'text/csv' },
      });
      expect(whole.status).toBe(200);
      expect(whole.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(whole.body).toBe('client_id\n101\n102\n103\n');
      const page = await send('members CSV page', {
        method: 'GET',
        target: members(ids.succeeded, '?limit=2'),
        headers: { accept: 'text/csv' },
      });
      expect(page.body).toBe('client_id\n101\n102\n');
      expect(page.headers[MEMBERS_NEXT_CURSOR_HEADER.toLowerCase()]).toEqual(expect.any(String));
    });
  });

  it('never answered 500, and logged no failed request', () => {
    expect(answered.length).toBeGreaterThan(300);
    // /readyz alone may answer 503, with its documented readiness body, when a dependency is down.
    const failures = answered.filter(
      ({ target, status }) => status >= 500 && !(status === 503 && target.startsWith('/readyz')),
    );
    expect(failures).toEqual([]);
    expect(gateway.output()).not.toMatch(/\[HttpError\]/);
  });
});

/** Why an error response is not the contract's ApiError (JSON, schema, the request id echoed), or null. */
function contractProblem(request: RawRequest, response: RawResponse): string | null {
  if (response.status < 400) return null;
  if (response.status === 503 && request.target.startsWith('/readyz')) return null;
  if (!/^application\/json/.test(response.headers['content-type'] ?? '')) {
    return `content-type ${response.headers['content-type']} for ${request.method} ${request.target.slice(0, 80)}`;
  }
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return `not JSON: ${response.body.slice(0, 200)}`;
  }
  const parsed = apiErrorSchema.safeParse(body);
  if (!parsed.success) return `not an ApiError: ${response.body.slice(0, 200)}`;
  if (parsed.data.error.requestId !== response.headers['x-request-id'])
    return 'requestId is not x-request-id';
  return null;
}
