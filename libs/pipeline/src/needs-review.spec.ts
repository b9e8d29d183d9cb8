// "Understood, or says so" through the stages: what a strategy could not map makes an executed run end
// needs_review, or, with `options.onUnparsed: "fail"`, fails it with CRITERIA_PARTIAL before any SQL runs;
// the same rule whichever strategy reported the fragments. Real PostgreSQL (the pipeline fixture).
import type { RunReport } from '@t2s/contracts';
import { createBaselineStrategy } from '@t2s/baseline';
import { toApiView } from '@t2s/service-store';
import { runSegmentInProcess } from './run-pipeline';
import type { PipelineStrategy } from '@t2s/strategy';
import { openPipelineFixture, type PipelineFixture } from './testing/pipeline-fixture';

const AGES = 'возраст от 20 до 25 лет';

describe('needs_review and onUnparsed', () => {
  let f: PipelineFixture;
  const baseline = createBaselineStrategy({ modelName: 'bank' });

  beforeAll(async () => {
    f = await openPipelineFixture(300);
  }, 120_000);
  afterAll(() => f?.close());

  /**
   * The baseline's criteria with `unparsed` (and `coverage`, when given) as another strategy would report
   * them: what is being tested is the stages' rule, not what the parser reads today.
   */
  const reporting = (unparsed: string[], coverage?: number, name = 'baseline'): PipelineStrategy => ({
    ...baseline,
    name,
    criteria: {
      generate: async (input) => {
        const parsed = await baseline.criteria.generate({ ...input, criteriaText: AGES });
        return {
          criteria: parsed.criteria,
          tokens: parsed.tokens,
          unparsed,
          ...(coverage === undefined ? {} : { coverage }),
        };
      },
    },
  });

  const runs = () => {
    const reports: RunReport[] = [];
    return {
      reports,
      observer: { stageFinished: () => undefined, runFinished: (r: RunReport) => void reports.push(r) },
    };
  };

  it('runs the query and ends needs_review, keeping the coverage the strategy counted', async () => {
    const ids = await f.createSegment({ criteria: `${AGES}, любит котиков` });
    const { reports, observer } = runs();
    const segment = await runSegmentInProcess(ids, f.deps(reporting(['любит котиков'], 0.8), { observer }));
    expect(segment).toMatchObject({
      status: 'needs_review',
      stage: 'execution',
      error: null,
      understanding: { coverage: 0.8, unparsed: ['любит котиков'] },
    });
    expect(segment?.resultSize).toBeGreaterThan(0);
    expect(segment?.sql).toContain('select');
    expect((await f.store.members.page(ids.segmentId, { limit: 10 }))?.ids.length).toBeGreaterThan(0);
    // The API shows it in `understanding`, and under the older name for clients that read that.
    const view = toApiView(segment!);
    expect(view.understanding).toEqual({ coverage: 0.8, unparsed: ['любит котиков'] });
    expect(view.criteria?.unparsed).toEqual(['любит котиков']);
    expect(reports).toEqual([
      { status: 'needs_review', strategy: 'baseline', warehouse: 'bank', size: segment?.resultSize },
    ]);
  });

  it('derives the coverage from characters when the strategy counts none, as for the LLM strategy', async () => {
    const text = `${AGES}, любит котиков`;
    const llm = reporting(['любит котиков'], undefined, 'llm');
    const ids = await f.createSegment({ criteria: text, options: { strategy: 'llm' } });
    const segment = await runSegmentInProcess(ids, f.deps(baseline, { strategies: { llm } }));
    expect(segment?.status).toBe('needs_review');
    expect(segment?.understanding?.coverage).toBeCloseTo(1 - 'любит котиков'.length / text.length, 10);
  });

  it('succeeds when nothing meaningful is left: no fragment, or punctuation only', async () => {
    for (const unparsed of [[], [';', ' — ']]) {
      const ids = await f.createSegment({ criteria: AGES });
      const segment = await runSegmentInProcess(ids, f.deps(reporting(unparsed)));
      expect(segment).toMatchObject({ status: 'succeeded', understanding: { coverage: 1, unparsed } });
    }
  });

  it('fails with CRITERIA_PARTIAL before any SQL runs when the request asks onUnparsed "fail", for every strategy', async () => {
    const llm = reporting(['любит котиков'], undefined, 'llm');
    for (const strategy of ['baseline', 'llm'] as const) {
      const ids = await f.createSegment({
        criteria: `${AGES}, любит котиков`,
        options: { strategy, onUnparsed: 'fail' },
      });
      const { reports, observer } = runs();
      const segment = await runSegmentInProcess(
        ids,
        f.deps(reporting(['любит котиков']), { strategies: { llm }, observer }),
      );
      expect(segment).toMatchObject({
        status: 'failed',
        stage: 'criteria',
        error: { code: 'CRITERIA_PARTIAL', stage: 'criteria' },
        sql: null,
        resultSize: null,
        understanding: { unparsed: ['любит котиков'] },
      });
      expect(segment?.error?.message).toContain('"любит котиков"');
      expect(segment?.stageRuns.map((r) => [r.stage, r.outcome])).toEqual([['criteria', 'failed']]);
      expect(f.audit.entries.filter((e) => e.revisionId === ids.revisionId)).toEqual([]);
      expect(reports).toEqual([{ status: 'failed', strategy, warehouse: 'bank', code: 'CRITERIA_PARTIAL' }]);
    }

    // Fully understood, the same request runs as usual.
    const clean = await f.createSegment({ criteria: AGES, options: { onUnparsed: 'fail' } });
    expect((await runSegmentInProcess(clean, f.deps(reporting([]))))?.status).toBe('succeeded');
  });

  it("keeps needs_review on a re-run of the generated SQL; a person's SQL ends succeeded", async () => {
    const partial = reporting(['любит котиков']);
    const ids = await f.createSegment({ criteria: `${AGES}, любит котиков` });
    expect((await runSegmentInProcess(ids, f.deps(partial)))?.status).toBe('needs_review');

    const rerun = await f.store.segments.rerun(ids.segmentId, f.apiKeyId);
    const again = await runSegmentInProcess(
      { segmentId: ids.segmentId, revisionId: rerun!.id },
      f.deps(partial),
    );
    expect(again?.status).toBe('needs_review');

    // The person read the text and wrote the query: it is theirs, not the criteria's reading.
    const sql = await f.store.segments.addRevision(
      ids.segmentId,
      { sql: "select client_id from client where gender = 'F'" },
      f.apiKeyId,
    );
    const edited = await runSegmentInProcess(
      { segmentId: ids.segmentId, revisionId: sql!.id },
      f.deps(partial),
    );
    expect(edited?.status).toBe('succeeded');

    // New criteria text, understood whole: succeeded, and the understanding is the new text's.
    const criteria = await f.store.segments.addRevision(ids.segmentId, { criteria: AGES }, f.apiKeyId);
    const reread = await runSegmentInProcess(
      { segmentId: ids.segmentId, revisionId: criteria!.id },
      f.deps(reporting([])),
    );
    expect(reread).toMatchObject({ status: 'succeeded', understanding: { coverage: 1, unparsed: [] } });
  });
});
