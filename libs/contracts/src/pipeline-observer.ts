// What the pipeline reports as it goes, for metrics: the stages (libs/pipeline) call a PipelineObserver
// and @t2s/metrics implements one, so the shapes live here, where both can import them. Types only.
import type { Stage, TerminalSegmentStatus } from './stage';

/** One stage pass that ended; `code` for a failure. */
export interface StagePassReport {
  stage: Stage;
  outcome: 'succeeded' | 'failed' | 'superseded';
  seconds: number;
  /** Billable LLM tokens of the pass. */
  tokens: number;
  strategy: string;
  /** Of `seconds`, the time inside the strategy (criteria, linking and SQL stages). */
  strategySeconds?: number;
  code?: string;
}

/** A run that ended: its final status, and for an executed run (succeeded, needs_review) the segment's size. */
export interface RunReport {
  status: TerminalSegmentStatus;
  strategy: string;
  warehouse: string;
  size?: number;
  code?: string;
}

/** Calls are synchronous and must not throw. */
export interface PipelineObserver {
  stageFinished(pass: StagePassReport): void;
  runFinished(run: RunReport): void;
}
