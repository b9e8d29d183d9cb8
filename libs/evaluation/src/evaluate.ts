import type { EvalCase } from './eval-case.schema';
import { median, overlap } from './scoring';

/** What a strategy produced for one case, however it was run (in process or through the HTTP API). */
export type GeneratedSegment =
  | {
      ok: true;
      sql: string;
      ids: string[];
      criteria: string[];
      unparsed: string[];
      tokens: number;
      sqlMs: number;
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

export interface EvalSummary {
  cases: number;
  executed: number;
  meanJaccard: number;
  shareAbove07: number;
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
  return {
    cases: n,
    executed: results.filter((r) => r.executed).length,
    meanJaccard: n === 0 ? 0 : results.reduce((sum, r) => sum + r.jaccard, 0) / n,
    shareAbove07: n === 0 ? 0 : results.filter((r) => r.jaccard > 0.7).length / n,
    medianRecall: median(results.map((r) => r.recall)),
    medianPrecision: median(results.map((r) => r.precision)),
    medianLatencyMs: median(results.map((r) => r.latencyMs)),
    totalTokens: results.reduce((sum, r) => sum + r.tokens, 0),
  };
}
