import type { EvalSummary } from '@t2s/evaluation';
import { runCli } from '../testing/run-cli';
import { missedBars } from './eval.command';

describe('t2s eval bars', () => {
  const summary = (over: Partial<EvalSummary>): { summary: EvalSummary } => ({
    summary: {
      cases: 10,
      executed: 10,
      meanJaccard: 0.8,
      shareAbove07: 0.8,
      confidentlyWrong: 0,
      needsReview: 0,
      needsReviewAmongGood: { count: 0, of: 6, share: 0 },
      medianRecall: 1,
      medianPrecision: 1,
      medianLatencyMs: 10,
      totalTokens: 0,
      ...over,
    },
  });
  const bars = { executed: 1, jaccard: 0, share: 0, confidentlyWrong: 0 };

  it('misses --max-confidently-wrong when more runs ended succeeded with Jaccard below 0.5', () => {
    expect(missedBars(summary({ confidentlyWrong: 0 }), bars)).toEqual([]);
    expect(missedBars(summary({ confidentlyWrong: 2 }), bars)).toEqual(['confidently wrong 2 > 0']);
    expect(missedBars(summary({ confidentlyWrong: 2 }), { ...bars, confidentlyWrong: 2 })).toEqual([]);
    // Without the option there is no bar.
    expect(
      missedBars(summary({ confidentlyWrong: 40 }), { ...bars, confidentlyWrong: Number.POSITIVE_INFINITY }),
    ).toEqual([]);
  });

  it('refuses a count that is not a whole number of runs, before touching any database', async () => {
    for (const raw of ['-1', '0.5', 'none']) {
      const run = await runCli(['eval', '--max-confidently-wrong', raw], {
        env: { WAREHOUSE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      });
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
      expect(run.stderr.trim()).toBe(
        `t2s: error: --max-confidently-wrong must be a whole number of runs (0 or more), got "${raw}"`,
      );
    }
  });

  it('documents the bar in --help', async () => {
    const run = await runCli(['eval', '--help']);
    expect(run.stdout).toContain('--max-confidently-wrong <n>');
    expect(run.stdout).toContain('needs_review');
  });
});
