import { ERROR_CODES } from './error-codes';
import { SEGMENT_STATUSES } from './stage';
import { buildOpenApiDocument } from './openapi';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const doc = JSON.parse(
  JSON.stringify(buildOpenApiDocument({ serverUrl: 'https://t2s.bank.example', version: '1.2.3' })),
) as {
  [key: string]: Json;
};

function at(value: Json, ...keys: string[]): Json {
  let current: Json | undefined = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return null;
    current = current[key];
  }
  return current ?? null;
}

function resolvePointer(root: Json, ref: string): Json | undefined {
  let current: Json | undefined = root;
  for (const raw of ref.replace(/^#\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object' || Array.isArray(current) || !(key in current))
      return undefined;
    current = current[key];
  }
  return current;
}

function collectRefs(value: Json, refs: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => collectRefs(item, refs));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') refs.push(child);
      else collectRefs(child, refs);
    }
  }
  return refs;
}

const ENDPOINTS: Array<[string, string]> = [
  ['get', '/v1/segments'],
  ['post', '/v1/segments'],
  ['get', '/v1/segments/{id}'],
  ['get', '/v1/segments/{id}/members'],
  ['get', '/v1/segments/{id}/diff'],
  ['get', '/v1/segments/{id}/diff/entered'],
  ['get', '/v1/segments/{id}/diff/left'],
  ['get', '/v1/segments/{id}/clients/{clientId}/explain'],
  ['get', '/v1/segments/{id}/portrait'],
  ['post', '/v1/segments/{id}/outcomes'],
  ['post', '/v1/segments/{id}/outcomes/warehouse'],
  ['get', '/v1/segments/{id}/conversion'],
  ['post', '/v1/segments/{id}/revisions'],
  ['post', '/v1/segments/{id}/rerun'],
  ['post', '/v1/segments/{id}/approval'],
  ['post', '/v1/batches'],
  ['get', '/v1/batches/{id}'],
  ['get', '/v1/catalog'],
  ['get', '/v1/warehouses'],
  ['get', '/v1/warehouses/{name}/attributes'],
  ['post', '/v1/sql/check'],
  ['post', '/v1/webhook-secret/rotate'],
  ['get', '/healthz'],
  ['get', '/readyz'],
  ['get', '/metrics'],
];

describe('buildOpenApiDocument', () => {
  it('is OpenAPI 3.1.0 JSON with the requested server and version', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(at(doc, 'info', 'version')).toBe('1.2.3');
    expect(doc.servers).toEqual([{ url: 'https://t2s.bank.example' }]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(JSON.stringify(buildOpenApiDocument())).not.toContain('"servers"');
  });

  it('is deterministic and can be built repeatedly', () => {
    expect(JSON.stringify(buildOpenApiDocument())).toBe(JSON.stringify(buildOpenApiDocument()));
  });

  it('has exactly the endpoints of the API, each with a unique operationId', () => {
    const listed = Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    expect(listed.sort()).toEqual(ENDPOINTS.map(([method, path]) => `${method} ${path}`).sort());
    const ids = ENDPOINTS.map(([method, path]) => at(doc, 'paths', path, method, 'operationId'));
    expect(new Set(ids).size).toBe(ENDPOINTS.length);
  });

  it('resolves every $ref', () => {
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(20);
    const broken = refs.filter((ref) => !ref.startsWith('#/') || resolvePointer(doc, ref) === undefined);
    expect(broken).toEqual([]);
  });

  it('secures /v1 with a bearer API key and leaves the probes open', () => {
    expect(at(doc, 'components', 'securitySchemes', 'bearerAuth')).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    for (const path of ['/healthz', '/readyz', '/metrics'])
      expect(at(doc, 'paths', path, 'get', 'security')).toEqual([]);
    for (const [method, path] of ENDPOINTS.filter(([, p]) => p.startsWith('/v1'))) {
      expect(at(doc, 'paths', path, method, 'security')).toBeNull();
      expect(
        at(doc, 'paths', path, method, 'responses', '401', 'content', 'application/json', 'schema', '$ref'),
      ).toBe('#/components/schemas/ApiError');
    }
  });

  it('answers POSTs that start runs with 202 and the error statuses of the issue', () => {
    const expected: Record<string, string[]> = {
      '/v1/segments': ['202', '400', '401', '409', '413', '500'],
      '/v1/segments/{id}/revisions': ['202', '400', '401', '404', '409', '413', '500'],
      '/v1/segments/{id}/rerun': ['202', '400', '401', '404', '409', '500'],
      '/v1/batches': ['202', '400', '401', '404', '409', '413', '500'],
    };
    for (const [path, statuses] of Object.entries(expected)) {
      const responses = at(doc, 'paths', path, 'post', 'responses') as Record<string, Json>;
      expect(Object.keys(responses).sort()).toEqual(statuses.sort());
      expect(at(responses, '202', 'headers', 'Location')).not.toBeNull();
      const params = at(doc, 'paths', path, 'post', 'parameters') as Array<{ name: string; in: string }>;
      expect(params).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]),
      );
    }
    for (const [path, body] of [
      ['/v1/segments', 'SegmentRequest'],
      ['/v1/segments/{id}/approval', 'ApprovalRequest'],
      ['/v1/segments/{id}/revisions', 'RevisionRequest'],
      ['/v1/batches', 'BatchRequest'],
    ] as const) {
      expect(
        at(doc, 'paths', path, 'post', 'requestBody', 'content', 'application/json', 'schema', '$ref'),
      ).toBe(`#/components/schemas/${body}`);
    }
  });

  it('serves members as JSON or CSV with cursor and limit parameters', () => {
    const get = at(doc, 'paths', '/v1/segments/{id}/members', 'get');
    expect(Object.keys(at(get, 'responses', '200', 'content') as object).sort()).toEqual([
      'application/json',
      'text/csv',
    ]);
    const params = at(get, 'parameters') as Array<{ name: string; in: string; schema: Json }>;
    expect(params.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['path:id', 'query:cursor', 'query:limit']);
    expect(params.find((p) => p.name === 'limit')?.schema).toMatchObject({
      minimum: 1,
      maximum: 10_000,
      default: 1000,
    });
  });

  it('keeps null allowed where the schemas allow it (nullable references)', () => {
    for (const field of ['criteria', 'result', 'error']) {
      expect(at(doc, 'components', 'schemas', 'Segment', 'properties', field, 'anyOf')).toEqual(
        expect.arrayContaining([{ type: 'null' }]),
      );
    }
  });

  it('knows the needs_review status, its webhook event, the understanding and onUnparsed', () => {
    expect(at(doc, 'components', 'schemas', 'SegmentStatus', 'enum')).toEqual([...SEGMENT_STATUSES]);
    expect(SEGMENT_STATUSES).toContain('needs_review');
    expect(at(doc, 'components', 'schemas', 'Segment', 'properties', 'understanding', 'anyOf')).toEqual([
      { $ref: '#/components/schemas/Understanding' },
      { type: 'null' },
    ]);
    expect(at(doc, 'components', 'schemas', 'Understanding', 'required')).toEqual(['coverage', 'unparsed']);
    expect(at(doc, 'components', 'schemas', 'SegmentCriteria', 'properties', 'unparsed', 'deprecated')).toBe(
      true,
    );
    expect(at(doc, 'components', 'schemas', 'SegmentOptions', 'properties', 'onUnparsed')).toMatchObject({
      enum: ['review', 'fail'],
      default: 'review',
    });
    const events = at(doc, 'components', 'schemas', 'WebhookEvent', 'oneOf') as Array<{ $ref: string }>;
    expect(events.map((e) => e.$ref.split('/').at(-1))).toEqual([
      'SegmentSucceededEvent',
      'SegmentNeedsReviewEvent',
      'SegmentFailedEvent',
    ]);
    expect(at(doc, 'components', 'schemas', 'SegmentNeedsReviewEvent', 'properties', 'type', 'enum')).toEqual(
      ['segment.needs_review'],
    );
    expect(at(doc, 'components', 'schemas', 'BatchProgress', 'required')).toEqual(
      expect.arrayContaining(['total', ...SEGMENT_STATUSES]),
    );
    expect(String(at(doc, 'info', 'description'))).toContain('`needs_review`');
  });

  it('documents the webhook, the strict envelope and every error code', () => {
    expect(
      at(
        doc,
        'webhooks',
        'segmentEvent',
        'post',
        'requestBody',
        'content',
        'application/json',
        'schema',
        '$ref',
      ),
    ).toBe('#/components/schemas/WebhookEvent');
    expect(at(doc, 'components', 'schemas', 'SegmentRequest', 'additionalProperties')).toBe(false);
    expect(at(doc, 'components', 'schemas', 'Offer', 'additionalProperties')).toBeNull();
    expect(at(doc, 'components', 'schemas', 'ErrorCode', 'enum')).toEqual([...ERROR_CODES]);
    const description = String(at(doc, 'info', 'description'));
    for (const code of ERROR_CODES) expect(description).toContain(`\`${code}\``);
  });
});
