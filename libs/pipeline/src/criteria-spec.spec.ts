// Criteria given as structure (a criteria builder's `criteriaSpec`) through the stages: nothing is parsed,
// each criterion's text is written from its structure, and the SQL is the compiled criteria. Real
// PostgreSQL (the pipeline fixture).
import { createBaselineStrategy } from '@t2s/baseline';
import type { CriterionSpecInput } from '@t2s/contracts';
import { CriteriaCompiler, type CriterionSpec } from '@t2s/semantic';
import { toApiView } from '@t2s/service-store';
import { runSegmentInProcess } from './run-pipeline';
import { openPipelineFixture, type PipelineFixture } from './testing/pipeline-fixture';

const SPEC: CriterionSpecInput[] = [
  {
    id: 'age',
    kind: 'include',
    expr: { type: 'attr', attr: 'age', cmp: { op: 'between', min: 20, max: 70 } },
  },
  { id: 'card', kind: 'include', expr: { type: 'attr', attr: 'has_card' } },
  { id: 'loan', kind: 'exclude', expr: { type: 'attr', attr: 'has_mortgage' } },
];

describe('criteria as structure through the stages', () => {
  let f: PipelineFixture;
  const baseline = createBaselineStrategy({ modelName: 'bank' });
  const deps = () => f.deps(baseline, { semanticModel: (catalog) => baseline.modelFor(catalog) });

  beforeAll(async () => {
    f = await openPipelineFixture(300);
  }, 120_000);
  afterAll(() => f?.close());

  it('runs the structure alone: texts written from it, nothing unparsed, the SQL its compilation', async () => {
    const ids = await f.createSegment({ criteriaSpec: SPEC });
    const segment = await runSegmentInProcess(ids, deps());
    expect(segment).toMatchObject({
      status: 'succeeded',
      error: null,
      understanding: { coverage: 1, unparsed: [] },
    });
    const items = segment!.criteria!.items;
    expect(items.map((c) => [c.id, c.kind, c.source])).toEqual([
      ['age', 'include', 'person'],
      ['card', 'include', 'person'],
      ['loan', 'exclude', 'person'],
    ]);
    // The offer is in Russian, so the criteria read in Russian.
    expect(items[0]?.text).toMatch(/Возраст от 20 до 70 лет/i);
    expect(items.map((c) => (c.spec as { expr: unknown }).expr)).toEqual(SPEC.map((s) => s.expr));
    const model = baseline.modelFor(await f.deps(baseline).catalogs('bank'));
    const compiled = new CriteriaCompiler(model).segment(SPEC as CriterionSpec[]);
    expect(segment!.sql).toBe(compiled);
    const members = await f.store.members.page(ids.segmentId, { limit: 1_000 });
    expect([...(members?.ids ?? [])].sort()).toEqual(await f.adminIds(compiled));
    expect(toApiView(segment!).revisions[0]).toMatchObject({ kind: 'initial', criteriaSpec: SPEC });
  });

  it('keeps the text beside a structure that resolves what it left unparsed', async () => {
    const text = 'Возраст от 25 до 45 лет, любит котиков';
    const ids = await f.createSegment({ criteria: text });
    const first = await runSegmentInProcess(ids, deps());
    expect(first).toMatchObject({ status: 'needs_review', understanding: { unparsed: ['любит котиков'] } });

    // A builder's revision: the parser's structure, plus a row for the fragment, the text kept.
    const parsed = first!.criteria!.items.map((c) => ({
      id: c.id,
      kind: c.kind,
      expr: (c.spec as { expr: object }).expr,
    }));
    const revision = await f.store.segments.addRevision(
      ids.segmentId,
      { criteria: text, criteriaSpec: [...parsed, SPEC[1]!] as CriterionSpecInput[], author: 'builder' },
      f.apiKeyId,
    );
    const second = await runSegmentInProcess({ segmentId: ids.segmentId, revisionId: revision!.id }, deps());
    expect(second).toMatchObject({ status: 'succeeded', understanding: { coverage: 1, unparsed: [] } });
    expect(second!.criteria!.text).toBe(text);
    expect(second!.criteria!.items.map((c) => c.id)).toEqual([...parsed.map((p) => p.id), 'card']);
    expect(toApiView(second!).revisions.at(-1)).toMatchObject({
      kind: 'criteria',
      criteria: text,
      criteriaSpec: [...parsed, SPEC[1]],
    });

    // A later text-only edit is parsed again: the structure before it no longer applies.
    const third = await f.store.segments.addRevision(
      ids.segmentId,
      { criteria: 'Возраст от 30 до 40 лет' },
      f.apiKeyId,
    );
    const reparsed = await runSegmentInProcess({ segmentId: ids.segmentId, revisionId: third!.id }, deps());
    expect(reparsed!.criteria!.items).toHaveLength(1);
  });

  it('fails a structure the warehouse cannot answer, naming the field, before any SQL', async () => {
    const ids = await f.createSegment({
      criteriaSpec: [
        {
          id: 'c1',
          kind: 'include',
          expr: { type: 'attr', attr: 'shoe_size', cmp: { op: 'gt', value: 40 } },
        },
      ],
    });
    const segment = await runSegmentInProcess(ids, deps());
    expect(segment).toMatchObject({
      status: 'failed',
      sql: null,
      error: {
        code: 'SCHEMA_LINKING_FAILED',
        stage: 'criteria',
        message: 'criteriaSpec.0.expr.attr: No attribute shoe_size in the semantic model',
      },
    });
  });
});
