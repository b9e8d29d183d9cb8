import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { batchRequestSchema } from './batch.schema';
import { offerSchema } from './offer.schema';
import { russianCreditCardOffer, SEGMENT_ID } from './offer.fixtures';
import { apiRoutes } from './openapi';
import { revisionRequestSchema } from './revision.schema';
import { safeText, UNSAFE_TEXT_REASONS, unsafeTextReason } from './safe-text';
import { segmentRequestSchema } from './segment-request.schema';
import type { z } from './zod-openapi';

const NUL = '\u0000';
const HIGH = '\ud800';
const LOW = '\udc00';

describe('unsafeTextReason', () => {
  it.each([
    ['plain text', 'Возраст 20-25 лет'],
    ['an emoji (a surrogate pair)', 'Кэшбэк 🎁 5%'],
    ['other control characters PostgreSQL stores', 'a\tb\u0001c\u007f'],
    ['the empty string', ''],
  ])('accepts %s', (_name, value) => {
    expect(unsafeTextReason(value)).toBeNull();
  });

  it.each([
    ['NUL', `a${NUL}b`, UNSAFE_TEXT_REASONS.nul],
    ['NUL alone', NUL, UNSAFE_TEXT_REASONS.nul],
    ['a lone high surrogate', `a${HIGH}b`, UNSAFE_TEXT_REASONS.surrogate],
    ['a lone low surrogate', `a${LOW}`, UNSAFE_TEXT_REASONS.surrogate],
    ['a pair the wrong way round', `${LOW}${HIGH}`, UNSAFE_TEXT_REASONS.surrogate],
    ['a high surrogate at the end', `🎁${HIGH}`, UNSAFE_TEXT_REASONS.surrogate],
  ])('refuses %s', (_name, value, reason) => {
    expect(unsafeTextReason(value)).toBe(reason);
  });

  it('leaves the rest of the chain working', () => {
    const schema = safeText().trim().min(1).max(5);
    expect(schema.parse('  ok  ')).toBe('ok');
    expect(schema.safeParse(`o${NUL}k`).error?.issues.map((i) => i.message)).toEqual([
      UNSAFE_TEXT_REASONS.nul,
    ]);
  });
});

function issuesOf(schema: z.ZodType, input: unknown): Array<{ path: string; message: string }> {
  const result = schema.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('request schemas', () => {
  it('name the field holding NUL or a lone surrogate, deep in arrays too', () => {
    expect(
      issuesOf(segmentRequestSchema, {
        offer: { ...russianCreditCardOffer, conditions: ['ok', `bad${HIGH}`] },
        criteria: `Возраст${NUL}`,
        webhook: { url: `https://hooks.example/t2s${NUL}` },
      }),
    ).toEqual([
      { path: 'offer.conditions.1', message: UNSAFE_TEXT_REASONS.surrogate },
      { path: 'criteria', message: UNSAFE_TEXT_REASONS.nul },
      { path: 'webhook.url', message: UNSAFE_TEXT_REASONS.nul },
    ]);
    expect(
      issuesOf(batchRequestSchema, {
        segments: [{ offer: russianCreditCardOffer }, { offer: { ...russianCreditCardOffer, title: LOW } }],
      }),
    ).toEqual([{ path: 'segments.1.offer.title', message: UNSAFE_TEXT_REASONS.surrogate }]);
    expect(issuesOf(revisionRequestSchema, { sql: `select 1${NUL}`, author: 'ivanov' })).toEqual([
      { path: 'sql', message: UNSAFE_TEXT_REASONS.nul },
    ]);
  });

  it('still accept the text people write', () => {
    expect(offerSchema.parse({ ...russianCreditCardOffer, title: 'Кэшбэк 🎁 до 5%' }).title).toBe(
      'Кэшбэк 🎁 до 5%',
    );
  });
});

// Every string a route accepts, found by walking the zod schemas the OpenAPI document is built from,
// so a field or route added later is covered without editing this spec.

interface StringLeaf {
  where: string;
  schema: z.ZodType;
}

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  valueType?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType | null;
  getter?: () => z.ZodType;
};

function stringLeaves(schema: z.ZodType, where: string, found: StringLeaf[] = []): StringLeaf[] {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  const walk = (child: z.ZodType | null | undefined, suffix = '') => {
    if (child) stringLeaves(child, `${where}${suffix}`, found);
  };
  switch (def.type) {
    case 'string':
      found.push({ where, schema });
      break;
    case 'object':
      for (const [key, child] of Object.entries(def.shape ?? {})) walk(child, `.${key}`);
      break;
    case 'array':
      walk(def.element, '.0');
      break;
    case 'pipe':
      walk(def.in);
      walk(def.out);
      break;
    case 'union':
      def.options?.forEach((option) => walk(option));
      break;
    case 'intersection':
      walk(def.left);
      walk(def.right);
      break;
    case 'record':
      walk(def.valueType, '.*');
      break;
    case 'tuple':
      def.items?.forEach((item, index) => walk(item, `.${index}`));
      walk(def.rest, '.*');
      break;
    case 'lazy':
      walk(def.getter?.());
      break;
    default:
      walk(def.innerType); // optional, nullable, default, prefault, readonly, catch...
  }
  return found;
}

function requestParts(route: RouteConfig): Array<[string, z.ZodType]> {
  const parts: Array<[string, z.ZodType]> = [];
  const request = route.request;
  if (request?.params) parts.push(['params', request.params as z.ZodType]);
  if (request?.query) parts.push(['query', request.query as z.ZodType]);
  if (request?.headers && !Array.isArray(request.headers))
    parts.push(['headers', request.headers as z.ZodType]);
  for (const [type, media] of Object.entries(request?.body?.content ?? {})) {
    parts.push([`body(${type})`, (media as { schema: z.ZodType }).schema]);
  }
  return parts;
}

const routeLeaves = apiRoutes().flatMap((route) =>
  requestParts(route).flatMap(([part, schema]) =>
    stringLeaves(schema, `${route.method.toUpperCase()} ${route.path} ${part}`),
  ),
);

// A value of each kind a leaf may accept: the test needs one it accepts to show it is the character,
// not the format, that is refused.
const SAMPLES = ['Кредитная карта', 'bank', 'https://hooks.example/t2s', SEGMENT_ID, '2026-01-01', 'key-1'];

describe('every string a route accepts', () => {
  it('is found (the walk reaches bodies, arrays, query strings and headers)', () => {
    const where = routeLeaves.map((leaf) => leaf.where);
    expect(where).toEqual(
      expect.arrayContaining([
        'POST /v1/segments body(application/json).offer.conditions.0',
        'POST /v1/segments body(application/json).webhook.url',
        'POST /v1/segments headers.Idempotency-Key',
        'POST /v1/batches body(application/json).segments.0.offer.title',
        'POST /v1/segments/{id}/approval body(application/json).author',
        'GET /v1/segments query.cursor',
        'GET /v1/segments/{id}/members params.id',
        'POST /v1/sql/check body(application/json).sql',
      ]),
    );
  });

  it.each(routeLeaves.map((leaf) => [leaf.where, leaf.schema] as const))(
    '%s refuses NUL and lone surrogates',
    (_where, schema) => {
      const sample = SAMPLES.find((value) => schema.safeParse(value).success);
      if (sample === undefined) throw new Error('no sample value fits this field: add one to SAMPLES');
      // Each place: a URL parser, for one, ignores control characters at either end.
      for (const at of [0, Math.ceil(sample.length / 2), sample.length]) {
        for (const bad of [NUL, HIGH, LOW]) {
          const value = `${sample.slice(0, at)}${bad}${sample.slice(at)}`;
          expect({ value, accepted: schema.safeParse(value).success }).toEqual({ value, accepted: false });
        }
      }
    },
  );
});
