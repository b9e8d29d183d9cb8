import { createBaselineStrategy } from '@t2s/baseline';
import type { Precedent } from '@t2s/precedents';
import { openPipelineFixture, type PipelineFixture } from '../testing/pipeline-fixture';
import type { CriteriaInput, PipelineStrategy } from '@t2s/strategy';
import { runCriteriaStage } from './criteria.stage';

/** The criteria stage hands the strategy the segment warehouse's precedents, when the app gives a source. */
describe('criteria stage: precedents', () => {
  let f: PipelineFixture;
  const baseline = createBaselineStrategy({ modelName: 'bank' });

  beforeAll(async () => {
    f = await openPipelineFixture(50);
  });
  afterAll(() => f?.close());

  /** The baseline, recording what its criteria step was given. */
  function recording(inputs: CriteriaInput[]): PipelineStrategy {
    return {
      name: baseline.name,
      linking: baseline.linking,
      sql: baseline.sql,
      criteria: {
        generate: (input: CriteriaInput) => {
          inputs.push(input);
          return baseline.criteria.generate(input);
        },
      },
    };
  }

  const precedent: Precedent = {
    id: 'p1',
    campaign: 'CMP-1',
    warehouse: 'bank',
    offer: { product: { type: 'deposit' }, title: 'Вклад', channel: 'SMS' },
    sql: 'select client_id from client',
    origin: 'import',
    criteria: [{ kind: 'include', sql: 'select client_id from client' }],
  };

  it("passes the segment warehouse's precedents to the strategy, and none without a source", async () => {
    const inputs: CriteriaInput[] = [];
    const asked: string[] = [];
    const ids = await f.createSegment();
    const next = await runCriteriaStage(
      { ...ids, pass: 0 },
      f.deps(recording(inputs), {
        precedents: async (warehouse) => (asked.push(warehouse), [precedent]),
      }),
    );
    expect(next).toEqual({ next: 'linking', pass: 0 });
    expect(asked).toEqual(['bank']);
    expect(inputs[0]?.precedents).toEqual([precedent]);

    const without = await f.createSegment();
    await runCriteriaStage({ ...without, pass: 0 }, f.deps(recording(inputs)));
    expect(inputs[1]?.precedents).toBeUndefined();
  });
});
