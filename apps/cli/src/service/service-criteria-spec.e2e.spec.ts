// Criteria as structure through the whole service (gateway, one worker process per queue, real Redis and
// PostgreSQL): a criteria builder's rows go in as `criteriaSpec`, are checked against the warehouse's
// semantic model before anything is stored (400 with a path per problem), and run without any text: the
// SQL is the compiled criteria. A revision keeps the text and the structure; the attributes route is
// what a builder completes from.
import { Pool } from 'pg';
import { createCatalogCache } from '@t2s/catalog';
import type { CriterionSpecInput, Segment, WarehouseAttributes } from '@t2s/contracts';
import { CriteriaCompiler, SemanticModel, warehouseSemanticModel, type CriterionSpec } from '@t2s/semantic';
import { openServiceFixture, type ServiceFixture } from './testing/service-fixture';

jest.setTimeout(180_000);

const SPEC: CriterionSpecInput[] = [
  {
    id: 'age',
    kind: 'include',
    expr: { type: 'attr', attr: 'age', cmp: { op: 'between', min: 20, max: 70 } },
  },
  {
    id: 'women',
    kind: 'include',
    expr: {
      type: 'related',
      quantifier: 'some',
      where: { column: 'client.gender', cmp: { op: 'eq', value: 'F' } },
    },
  },
  { id: 'card', kind: 'include', expr: { type: 'attr', attr: 'has_card' } },
  { id: 'mortgage', kind: 'exclude', expr: { type: 'attr', attr: 'has_mortgage' } },
];

describe('criteria as structure through the service', () => {
  let f: ServiceFixture;
  let compiler: CriteriaCompiler;

  beforeAll(async () => {
    f = await openServiceFixture(300);
    // The model the gateway and the workers read: the bank's, over the catalog of the throw-away schema.
    const pool = new Pool({ connectionString: f.settings.warehouseUrl, max: 1 });
    try {
      const schema = f.settings.warehouseSchema;
      const catalog = await createCatalogCache({ pool, schemas: [schema] })(schema);
      compiler = new CriteriaCompiler(
        new SemanticModel(warehouseSemanticModel('bank', catalog, schema)!, catalog, schema),
      );
    } finally {
      await pool.end();
    }
  }, 240_000);
  afterAll(() => f?.close());

  const getSegment = async (id: string): Promise<Segment> =>
    (await f.api('GET', `/v1/segments/${id}`)).json();

  it('lists the attributes and the coded values a builder completes from', async () => {
    const schema = f.settings.warehouseSchema;
    const response = await f.api('GET', `/v1/warehouses/${schema}/attributes`);
    expect(response.status).toBe(200);
    const body = response.json() as WarehouseAttributes;
    expect(body.warehouse).toBe(schema);
    expect(body.attributes.find((a) => a.name === 'age')).toEqual({
      name: 'age',
      label: { ru: expect.any(String), en: expect.any(String) },
      unit: 'year',
      type: 'number',
      operators: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between'],
      window: false,
    });
    expect(body.attributes.find((a) => a.name === 'has_card')).toMatchObject({
      type: 'boolean',
      operators: [],
    });
    const gender = body.columns.find((c) => c.column === 'client.gender');
    expect(gender?.values).toEqual(
      expect.arrayContaining([{ code: 'F', label: { ru: expect.any(String), en: expect.any(String) } }]),
    );
    // Personal data shows no values.
    expect(body.columns.some((c) => c.column === 'client.last_name')).toBe(false);
    expect((await f.api('GET', '/v1/warehouses/nowhere/attributes')).status).toBe(404);
    expect((await f.api('GET', '/v1/warehouses/Bad-Name/attributes')).status).toBe(400);
    expect((await f.api('GET', `/v1/warehouses/${schema}/attributes`, { key: null })).status).toBe(401);
  });

  it('creates a segment from structure alone: no text parsed, the SQL and ids are the compiled criteria', async () => {
    const response = await f.api('POST', '/v1/segments', { body: f.request({ criteriaSpec: SPEC }) });
    expect(response.status).toBe(202);
    const accepted = response.json() as { id: string; revision: { id: string } };
    const delivered = await f.receiver.waitForRun(accepted.id, accepted.revision.id);
    expect(delivered.event.type).toBe('segment.succeeded');

    const segment = await getSegment(accepted.id);
    expect(segment).toMatchObject({ status: 'succeeded', understanding: { coverage: 1, unparsed: [] } });
    expect(segment.criteria?.items.map((c) => [c.id, c.kind, c.source])).toEqual([
      ['age', 'include', 'person'],
      ['women', 'include', 'person'],
      ['card', 'include', 'person'],
      ['mortgage', 'exclude', 'person'],
    ]);
    // Each criterion reads in the request's language (the offer is Russian), written from its structure.
    expect(segment.criteria?.items[0]?.text).toMatch(/^Возраст от 20 до 70 лет/);
    const compiled = compiler.segment(SPEC as CriterionSpec[]);
    expect(segment.sql).toBe(compiled);
    const expected = await f.adminIds(compiled);
    expect(expected.length).toBeGreaterThan(0);
    const csv = await f.api('GET', `/v1/segments/${accepted.id}/members`, {
      headers: { accept: 'text/csv' },
    });
    expect(csv.text.trimEnd().split('\n').slice(1).sort()).toEqual(expected);
    expect(segment.revisions[0]).toMatchObject({ kind: 'initial', criteriaSpec: SPEC });
    expect(segment.revisions[0]?.criteria).toBeUndefined();
  });

  it('refuses structure the warehouse cannot answer with 400 and a path per problem, storing nothing', async () => {
    const before = (await f.api('GET', '/v1/segments?limit=100')).json().items.length;
    const bad = [
      SPEC[0],
      { id: 'c2', kind: 'include', expr: { type: 'attr', attr: 'shoe_size', cmp: { op: 'gt', value: 40 } } },
      {
        id: 'c3',
        kind: 'include',
        expr: {
          or: [
            {
              type: 'related',
              quantifier: 'some',
              where: { column: 'client.gender', cmp: { op: 'eq', value: 'X' } },
            },
            { type: 'related', table: 'yacht', quantifier: 'some' },
          ],
        },
      },
      { id: 'c4', kind: 'sometimes', expr: { type: 'attr', attr: 'age', cmp: { op: 'around', value: 3 } } },
    ];
    const response = await f.api('POST', '/v1/segments', { body: f.request({ criteriaSpec: bad }) });
    expect(response.status).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('INVALID_REQUEST');
    // The envelope first (the contract), then the predicate's own shape, then the warehouse's names.
    expect(error.details).toEqual([{ path: 'criteriaSpec.3.kind', reason: expect.any(String) }]);
    const shape = await f.api('POST', '/v1/segments', {
      body: f.request({ criteriaSpec: [{ ...bad[3], kind: 'include' }] }),
    });
    expect(shape.json().error.details).toEqual([
      { path: 'criteriaSpec.0.expr.cmp.op', reason: expect.stringMatching(/eq/) },
    ]);
    // With the shape right, the warehouse's names are checked, each at its own field.
    const named = await f.api('POST', '/v1/segments', { body: f.request({ criteriaSpec: bad.slice(0, 3) }) });
    expect(named.status).toBe(400);
    expect(named.json().error.details).toEqual([
      { path: 'criteriaSpec.1.expr.attr', reason: 'No attribute shoe_size in the semantic model' },
      { path: 'criteriaSpec.2.expr.or.0.where.cmp.value', reason: 'No code "X" in client.gender' },
      { path: 'criteriaSpec.2.expr.or.1.table', reason: 'No table yacht in the warehouse' },
    ]);
    // Duplicate ids and a batch item: the same paths under the item.
    const dup = await f.api('POST', '/v1/segments', {
      body: f.request({ criteriaSpec: [SPEC[0], SPEC[0]] }),
    });
    expect(dup.json().error.details).toEqual([{ path: 'criteriaSpec.1.id', reason: 'Duplicate id' }]);
    const batch = await f.api('POST', '/v1/batches', {
      body: { segments: [f.request({ criteriaSpec: SPEC }), f.request({ criteriaSpec: bad.slice(1, 2) })] },
    });
    expect(batch.status).toBe(400);
    expect(batch.json().error.details).toEqual([
      { path: 'segments.1.criteriaSpec.0.expr.attr', reason: 'No attribute shoe_size in the semantic model' },
    ]);
    expect((await f.api('GET', '/v1/segments?limit=100')).json().items.length).toBe(before);
  });

  it('revises a partly understood text with structure: the text kept beside it, nothing left to review', async () => {
    const text = 'Возраст от 20 до 70 лет; любит котиков';
    const created = await f.api('POST', '/v1/segments', { body: f.request({ criteria: text }) });
    const accepted = created.json() as { id: string; revision: { id: string } };
    await f.receiver.waitForRun(accepted.id, accepted.revision.id);
    const first = await getSegment(accepted.id);
    expect(first).toMatchObject({ status: 'needs_review', understanding: { unparsed: ['любит котиков'] } });

    // The builder's rows: what the parser produced, and the fragment resolved into a row of its own.
    const rows = [
      ...(first.criteria?.items ?? []).map((c) => ({
        id: c.id,
        kind: c.kind,
        expr: (c.spec as { expr: object }).expr,
      })),
      SPEC[2]!,
    ] as CriterionSpecInput[];
    const invalid = await f.api('POST', `/v1/segments/${accepted.id}/revisions`, {
      body: { criteria: text, criteriaSpec: [{ ...SPEC[2]!, expr: { type: 'attr', attr: 'has_yacht' } }] },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json().error.details).toEqual([
      { path: 'criteriaSpec.0.expr.attr', reason: 'No attribute has_yacht in the semantic model' },
    ]);
    const revised = await f.api('POST', `/v1/segments/${accepted.id}/revisions`, {
      body: { criteria: text, criteriaSpec: rows, author: 'anna' },
    });
    expect(revised.status).toBe(202);
    const revision = revised.json() as { revision: { id: string; number: number } };
    await f.receiver.waitForRun(accepted.id, revision.revision.id);

    const segment = await getSegment(accepted.id);
    expect(segment).toMatchObject({
      status: 'succeeded',
      understanding: { coverage: 1, unparsed: [] },
      criteria: { text },
    });
    expect(segment.criteria?.items.map((c) => c.id)).toEqual(rows.map((r) => r.id));
    expect(segment.sql).toBe(compiler.segment(rows as CriterionSpec[]));
    expect(segment.revisions.at(-1)).toMatchObject({
      number: 2,
      kind: 'criteria',
      author: 'anna',
      criteria: text,
      criteriaSpec: rows,
    });
  });
});
