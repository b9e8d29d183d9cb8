import type { PipelineStrategy } from '@t2s/pipeline';
import type { EvalCase } from './eval-case.schema';
import { InProcessRunner } from './in-process-runner';
import { assertNotOwn, caseKey, precedentsFor, precedentsOfCases } from './precedent-sets';

const evalCase = (id: string, warehouse: string, sql: string): EvalCase =>
  ({
    id,
    warehouse,
    kind: 'offer',
    language: 'ru',
    offer: { product: { type: 'deposit' }, title: id, channel: 'SMS' },
    target: { sql, note: 'n' },
    areas: [],
  }) as EvalCase;

const cases = [
  evalCase('001-a', 'bank', 'select client_id from client'),
  evalCase('002-b', 'bank', 'select client_id from loan'),
  evalCase('003-c', 'bank', 'SELECT client_id\n  FROM client'),
  evalCase('001-a', 'berka', 'select client_id from disp'),
];
const set = precedentsOfCases(cases, () => ({ criteria: [], coverage: 0 }));

describe('leave-one-out precedents', () => {
  it('gives a case every other case of its warehouse, never its own target nor a copy of it', () => {
    const given = precedentsFor(cases[0] as EvalCase, set);
    expect(given.map((p) => p.id)).toEqual(['bank/002-b']);
  });

  it('refuses a set that holds the case itself, by id or by the same SQL', () => {
    const own = cases[0] as EvalCase;
    expect(() => assertNotOwn(own, set)).toThrow(/Leave-one-out broken: case bank\/001-a/);
    const copy = set.filter((p) => p.id === caseKey(cases[2] as EvalCase));
    expect(() => assertNotOwn(own, copy)).toThrow(/own target/);
    expect(() => assertNotOwn(own, precedentsFor(own, set))).not.toThrow();
  });

  it('fails the run, not one case quietly, when the runner is handed the case’s own answer', async () => {
    const generate = jest.fn();
    const runner = new InProcessRunner({
      strategy: { criteria: { generate } } as unknown as PipelineStrategy,
      catalogs: async () => {
        throw new Error('not reached');
      },
      sandboxFor: async () => {
        throw new Error('not reached');
      },
      precedents: () => set,
    });
    await expect(runner.run(cases[0] as EvalCase)).rejects.toThrow(/Leave-one-out broken/);
    expect(generate).not.toHaveBeenCalled();
  });
});

describe('the learning curve', () => {
  it('keeps at most n campaigns of each product type, never the case itself', () => {
    expect(precedentsFor(cases[1] as EvalCase, set, 0)).toEqual([]);
    expect(precedentsFor(cases[1] as EvalCase, set, 1).map((p) => p.id)).toEqual(['bank/001-a']);
  });
});
