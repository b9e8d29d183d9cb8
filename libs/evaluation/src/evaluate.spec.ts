import type { Catalog } from '@t2s/catalog';
import type { PipelineStrategy } from '@t2s/pipeline';
import type { EvalCase } from './eval-case.schema';
import { evaluate, summarize, type CaseResult, type GeneratedSegment } from './evaluate';
import { InProcessRunner } from './in-process-runner';
import { toMarkdown } from './report';

// The harness's figures for "understood, or says so", without a database: runners and targets are
// stand-ins, the status rule is the service's own (@t2s/contracts).

const TARGET = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];

function evalCase(id: string, criteria = 'возраст от 20 до 25 лет'): EvalCase {
  return {
    id,
    warehouse: 'bank',
    kind: 'criteria',
    offer: { product: { type: 'credit_card' }, title: 'Кредитная карта', channel: 'PUSH' },
    criteria,
    target: { sql: 'select client_id from client', note: 'stand-in' },
    areas: ['clients'],
    language: 'ru',
  };
}

/** What each case's run gives: the ids it returns (Jaccard against TARGET), its status, or a failure. */
type Outcome = { ids: string[]; status: 'succeeded' | 'needs_review'; unparsed?: string[] } | 'fails';

async function run(outcomes: Record<string, Outcome>) {
  return evaluate(
    Object.keys(outcomes).map((id) => evalCase(id)),
    {
      strategy: 'baseline',
      via: 'stand-in',
      target: { ids: async () => TARGET },
      runner: {
        run: async (c): Promise<GeneratedSegment> => {
          const outcome = outcomes[c.id] as Outcome;
          if (outcome === 'fails') return { ok: false, code: 'SQL_FAILED', message: 'no', tokens: 0 };
          return {
            ok: true,
            status: outcome.status,
            sql: 'select 1',
            ids: outcome.ids,
            criteria: ['+ c'],
            unparsed: outcome.unparsed ?? [],
            tokens: 0,
            sqlMs: 1,
          };
        },
      },
    },
  );
}

const first = (n: number) => TARGET.slice(0, n);

describe('evaluate: confidently wrong, needs review, and whether it cries wolf', () => {
  it('counts succeeded runs below Jaccard 0.5 as confidently wrong, never needs_review or failed ones', async () => {
    const report = await run({
      exact: { ids: TARGET, status: 'succeeded' }, // J = 1
      flagged: { ids: TARGET, status: 'needs_review', unparsed: ['любит котиков'] }, // J = 1, a false alarm
      near: { ids: first(9), status: 'succeeded' }, // J = 0.9
      broad: { ids: [...TARGET, ...Array.from({ length: 30 }, (_, i) => `x${i}`)], status: 'succeeded' }, // 0.25
      narrow: { ids: first(4), status: 'succeeded' }, // J = 0.4
      caught: { ids: first(2), status: 'needs_review', unparsed: ['в Брно'] }, // J = 0.2, said so
      broken: 'fails',
    });
    expect(report.summary).toMatchObject({
      cases: 7,
      executed: 6,
      confidentlyWrong: 2,
      needsReview: 2,
      needsReviewAmongGood: { count: 1, of: 3, share: 1 / 3 },
    });
    expect(Object.fromEntries(report.cases.map((c) => [c.id, c.status]))).toEqual({
      exact: 'succeeded',
      flagged: 'needs_review',
      near: 'succeeded',
      broad: 'succeeded',
      narrow: 'succeeded',
      caught: 'needs_review',
      broken: 'failed',
    });
    expect(report.byWarehouse['bank']?.confidentlyWrong).toBe(2);
  });

  it('gives a share of 0 when no run is good', () => {
    expect(summarize([]).needsReviewAmongGood).toEqual({ count: 0, of: 0, share: 0 });
    const bad = { jaccard: 0.1, status: 'needs_review' } as CaseResult;
    expect(summarize([bad])).toMatchObject({ needsReview: 1, needsReviewAmongGood: { of: 0, share: 0 } });
  });

  it('shows the figures in the Markdown summary and each case with its status', async () => {
    const report = await run({
      exact: { ids: TARGET, status: 'succeeded' },
      flagged: { ids: TARGET, status: 'needs_review', unparsed: ['любит котиков'] },
      narrow: { ids: first(4), status: 'succeeded' },
      broken: 'fails',
    });
    const markdown = toMarkdown(report);
    expect(markdown).toContain(
      'confidently wrong (succeeded, J < 0.5) | needs review | needs review among J ≥ 0.9',
    );
    // all: 4 cases, 3 executed, mean (1 + 1 + 0.4 + 0) / 4 = 0.6, 2 of 4 above 0.7, 1 wrong, 1 flagged, 1 of 2 good.
    expect(markdown).toContain('| all | 4 | 3 (75.0%) | 0.600 | 50.0% | 1 | 1 | 1/2 (50.0%) |');
    expect(markdown).toMatch(
      /\| bank\/flagged \| criteria\/ru \| needs_review \| 1\.000 .*unparsed: любит котиков \|/,
    );
    expect(markdown).toMatch(/\| bank\/narrow \| criteria\/ru \| succeeded \| 0\.400 /);
    expect(markdown).toMatch(/\| bank\/broken \| criteria\/ru \| failed \| 0\.000 .*SQL_FAILED: no \|/);
  });
});

describe('InProcessRunner', () => {
  /** A strategy that reports `unparsed` (and `coverage`), and whose SQL returns TARGET. */
  const strategy = (unparsed: string[], coverage?: number): PipelineStrategy => ({
    name: 'stand-in',
    criteria: {
      generate: async () => ({
        criteria: [{ id: 'c1', text: 'возраст от 20 до 25 лет', kind: 'include', source: 'person' }],
        unparsed,
        tokens: 0,
        ...(coverage === undefined ? {} : { coverage }),
      }),
    },
    linking: { link: async () => ({ tables: ['client'], tokens: 0 }) },
    sql: { generate: async () => ({ sql: 'select client_id from client', tokens: 0 }) },
  });
  const runner = (s: PipelineStrategy, ids: string[] = TARGET) =>
    new InProcessRunner({
      strategy: s,
      catalogs: async () => ({}) as Catalog,
      sandboxFor: async () => ({
        execute: async (_sql, options) => {
          if (ids.length > 0) await options.onIds(ids);
          return { ok: true as const, rows: ids.length, durationMs: 1, cost: 1 };
        },
      }),
    });

  it('ends a run needs_review as the service does, with the coverage derived or counted', async () => {
    const text = 'возраст от 20 до 25 лет, любит котиков';
    const flagged = await runner(strategy(['любит котиков'])).run(evalCase('a', text));
    expect(flagged).toMatchObject({ ok: true, status: 'needs_review', unparsed: ['любит котиков'] });
    expect(flagged.ok && flagged.coverage).toBeCloseTo(1 - 'любит котиков'.length / text.length, 10);

    expect(await runner(strategy(['любит котиков'], 0.75)).run(evalCase('b', text))).toMatchObject({
      status: 'needs_review',
      coverage: 0.75,
    });
    expect(await runner(strategy([';'])).run(evalCase('c'))).toMatchObject({
      status: 'succeeded',
      coverage: 1,
    });
    expect(await runner(strategy([])).run(evalCase('d'))).toMatchObject({ status: 'succeeded', coverage: 1 });
  });

  it('fails a query that returns no client, as the service does (EMPTY_SEGMENT), never a success', async () => {
    expect(await runner(strategy([]), []).run(evalCase('e'))).toMatchObject({
      ok: false,
      code: 'EMPTY_SEGMENT',
    });
  });
});
