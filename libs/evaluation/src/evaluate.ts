import type { ExecutedSegmentStatus, TerminalSegmentStatus } from '@t2s/contracts';
import type { EvalCase } from './eval-case.schema';
import { median, overlap } from './scoring';

/** What a strategy produced for one case, however it was run (in process or through the HTTP API). */
export type GeneratedSegment =
  | {
      ok: true;
      /** needs_review when the text had a meaningful part left unparsed (`executedStatus` of @t2s/contracts). */
      status: ExecutedSegmentStatus;
      sql: string;
      ids: string[];
      criteria: string[];
      unparsed: string[];
      /** The understanding's coverage (0..1), when the runner knows it. */
      coverage?: number;
      tokens: number;
      sqlMs: number;
      /** Each criterion's SELECT of client ids as the SQL has it, when the strategy stored them. */
      parts?: { id: string; kind: 'include' | 'exclude'; sql: string }[];
    }
  | {
      ok: false;
      code: string;
      message: string;
      sql?: string;
      criteria?: string[];
      unparsed?: string[];
      tokens: number;
    };

export interface CaseRunner {
  run(evalCase: EvalCase): Promise<GeneratedSegment>;
}

/** Runs a hand-written target on the warehouse (read-only), returning its ids. */
export interface TargetRunner {
  ids(sql: string, warehouse: string): Promise<string[]>;
}

export interface CaseResult {
  id: string;
  warehouse: string;
  kind: EvalCase['kind'];
  language: EvalCase['language'];
  /** R7: the generated SQL ran without error. */
  executed: boolean;
  /** How the run ended, as the service would end it: succeeded, needs_review, or failed (not executed). */
  status: TerminalSegmentStatus;
  /** The understanding's coverage, when the run got that far and the runner knows it. */
  coverage?: number;
  error?: { code: string; message: string };
  jaccard: number;
  recall: number;
  precision: number;
  targetSize: number;
  generatedSize: number;
  tokens: number;
  /** The whole run for this case: criteria, linking, SQL and its execution. */
  latencyMs: number;
  /** The generated SQL's execution alone, and the target's, for the runtime ratio. */
  sqlMs?: number;
  targetMs: number;
  criteria: string[];
  unparsed: string[];
  sql?: string;
}

/** Jaccard below this, a run that ends `succeeded` is confidently wrong. */
export const CONFIDENTLY_WRONG_BELOW = 0.5;
/** Jaccard from this on, a run is good: `needs_review` on it is a false alarm. */
export const GOOD_FROM = 0.9;

export interface EvalSummary {
  cases: number;
  executed: number;
  meanJaccard: number;
  shareAbove07: number;
  /**
   * Runs that end `succeeded` (nothing reported unparsed) with Jaccard below 0.5: a segment sent with
   * confidence that is wrong, worse than an error. The bar is 0.
   */
  confidentlyWrong: number;
  /** Runs that end `needs_review` (executed, a fragment of the text not understood). */
  needsReview: number;
  /**
   * Of the good runs (Jaccard ≥ 0.9, `of`), how many end `needs_review` and their share: whether the
   * status cries wolf (the bar is at most 10%). Share 0 when no run is good.
   */
  needsReviewAmongGood: { count: number; of: number; share: number };
  medianRecall: number;
  medianPrecision: number;
  medianLatencyMs: number;
  totalTokens: number;
}

export interface EvalReport {
  strategy: string;
  via: string;
  startedAt: string;
  summary: EvalSummary;
  /** The same figures per warehouse. */
  byWarehouse: Record<string, EvalSummary>;
  cases: CaseResult[];
}

/**
 * Runs every case: the target and the generated segment on the same data, compared as id sets. A case
 * whose generation or SQL fails counts as not executed with Jaccard 0 (never skipped).
 */
export async function evaluate(
  cases: readonly EvalCase[],
  options: {
    runner: CaseRunner;
    target: TargetRunner;
    strategy: string;
    via: string;
    onCase?: (r: CaseResult) => void;
  },
): Promise<EvalReport> {
  const startedAt = new Date().toISOString();
  const results: CaseResult[] = [];
  for (const evalCase of cases) {
    const t0 = performance.now();
    const target = new Set(await options.target.ids(evalCase.target.sql, evalCase.warehouse));
    const targetMs = performance.now() - t0;
    const t1 = performance.now();
    let generated: GeneratedSegment;
    try {
      generated = await options.runner.run(evalCase);
    } catch (error) {
      generated = {
        ok: false,
        code: 'INTERNAL',
        message: error instanceof Error ? error.message : String(error),
        tokens: 0,
      };
    }
    const latencyMs = performance.now() - t1;
    const ids = new Set(generated.ok ? generated.ids : []);
    const scores = generated.ok ? overlap(target, ids) : { jaccard: 0, recall: 0, precision: 0 };
    const result: CaseResult = {
      id: evalCase.id,
      warehouse: evalCase.warehouse,
      kind: evalCase.kind,
      language: evalCase.language,
      executed: generated.ok,
      status: generated.ok ? generated.status : 'failed',
      ...(generated.ok && generated.coverage !== undefined ? { coverage: generated.coverage } : {}),
      ...(generated.ok ? {} : { error: { code: generated.code, message: generated.message } }),
      ...scores,
      targetSize: target.size,
      generatedSize: ids.size,
      tokens: generated.tokens,
      latencyMs,
      ...(generated.ok ? { sqlMs: generated.sqlMs } : {}),
      targetMs,
      criteria: generated.criteria ?? [],
      unparsed: generated.unparsed ?? [],
      ...(generated.sql === undefined ? {} : { sql: generated.sql }),
    };
    results.push(result);
    options.onCase?.(result);
  }
  const byWarehouse: Record<string, EvalSummary> = {};
  for (const warehouse of new Set(results.map((r) => r.warehouse))) {
    byWarehouse[warehouse] = summarize(results.filter((r) => r.warehouse === warehouse));
  }
  return {
    strategy: options.strategy,
    via: options.via,
    startedAt,
    summary: summarize(results),
    byWarehouse,
    cases: results,
  };
}

export function summarize(results: readonly CaseResult[]): EvalSummary {
  const n = results.length;
  const good = results.filter((r) => r.jaccard >= GOOD_FROM);
  const goodInReview = good.filter((r) => r.status === 'needs_review').length;
  return {
    cases: n,
    executed: results.filter((r) => r.executed).length,
    meanJaccard: n === 0 ? 0 : results.reduce((sum, r) => sum + r.jaccard, 0) / n,
    shareAbove07: n === 0 ? 0 : results.filter((r) => r.jaccard > 0.7).length / n,
    confidentlyWrong: results.filter((r) => r.status === 'succeeded' && r.jaccard < CONFIDENTLY_WRONG_BELOW)
      .length,
    needsReview: results.filter((r) => r.status === 'needs_review').length,
    needsReviewAmongGood: {
      count: goodInReview,
      of: good.length,
      share: good.length === 0 ? 0 : goodInReview / good.length,
    },
    medianRecall: median(results.map((r) => r.recall)),
    medianPrecision: median(results.map((r) => r.precision)),
    medianLatencyMs: median(results.map((r) => r.latencyMs)),
    totalTokens: results.reduce((sum, r) => sum + r.tokens, 0),
  };
}
