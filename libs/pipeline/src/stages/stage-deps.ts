import { AppError } from '@t2s/contracts';
import type { Catalog } from '@t2s/catalog';
import type { SemanticModel } from '@t2s/semantic';
import type { SandboxExecutor } from '@t2s/sql-sandbox';
import type { MemberStore, SegmentRepository } from '@t2s/service-store';
import type { PipelineObserver, SegmentStrategy, StageStep } from '@t2s/contracts';
import type { Precedent } from '@t2s/precedents';
import type { PipelineStrategy } from '@t2s/strategy';

/** One pass of a stage over a revision, as the stage job payload carries it (less the transport's `v`). */
export interface StageTask {
  segmentId: string;
  revisionId: string;
  pass: number;
}

export interface StageDeps {
  segments: SegmentRepository;
  members: MemberStore;
  /** The strategy of segments that name none (the server default). */
  strategy: PipelineStrategy;
  /** Strategies a segment may ask for by name (`options.strategy`); the default serves its own name. */
  strategies?: Partial<Record<SegmentStrategy, PipelineStrategy>>;
  /** The catalog of a warehouse by name (the segment's `options.warehouse`); cached by the caller. */
  catalogs: (warehouse: string) => Promise<Catalog>;
  sandbox: Pick<SandboxExecutor, 'execute'>;
  clock: () => Date;
  /** What the stages report as they go (the apps pass @t2s/metrics' PipelineMetrics). */
  observer?: PipelineObserver;
  /**
   * The semantic model criteria given as structure are read with (the baseline's `modelFor`); absent:
   * the warehouse's own model file.
   */
  semanticModel?: (catalog: Catalog) => SemanticModel;
  /**
   * The query counting a segment's side of its portrait (`PortraitBuilder.counts` of @t2s/semantic for
   * the warehouse's model); absent: no portrait is counted at execution (the gateway counts it on view).
   */
  /**
   * The warehouse's precedents, newest first, their SQL read into criteria (the apps pass
   * @t2s/segment-service's `PrecedentSource`); absent: the criteria are generated without them.
   */
  precedents?: (warehouse: string) => Promise<Precedent[]>;
  portrait?: (
    warehouse: string,
    segmentSql: string,
  ) => { sql: string; read: (rows: readonly string[]) => unknown };
}

export const DONE: StageStep = { next: null };

/**
 * The strategy a segment runs with: the one it asked for, else the default. Asking for one the
 * workers do not run fails the run with STRATEGY_UNAVAILABLE, never a silent fall back to another.
 */
export function strategyFor(
  options: { strategy?: SegmentStrategy | undefined },
  deps: StageDeps,
): PipelineStrategy {
  const wanted = options.strategy;
  if (wanted === undefined || wanted === deps.strategy.name) return deps.strategy;
  const strategy = deps.strategies?.[wanted];
  if (!strategy) {
    throw new AppError(
      'STRATEGY_UNAVAILABLE',
      `The segment asks for the ${wanted} strategy, which these workers do not run`,
    );
  }
  return strategy;
}

/** Runs a strategy call and measures it: the stage reports the time as `strategyMs`. */
export async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await call();
  return { value, ms: performance.now() - started };
}

/** The name of the strategy a segment runs with, for metrics labels. */
export function strategyName(options: { strategy?: SegmentStrategy | undefined }, deps: StageDeps): string {
  return options.strategy ?? deps.strategy.name;
}

/** LLM tokens the segment's current run has spent so far, as its view reports them. */
export function tokensSpent(segment: { stageRuns: readonly { tokens: number }[] }): number {
  return segment.stageRuns.reduce((sum, run) => sum + run.tokens, 0);
}
