import {
  isExecutedStatus,
  type PipelineObserver,
  type RunReport,
  type StagePassReport,
} from '@t2s/contracts';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Seconds, from a fast stage (5 ms) to a long execution or a slow LLM stage (10 minutes). */
const STAGE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * The pipeline's metrics, one registry per process: stage durations and outcomes, failures by code,
 * deadline misses, LLM tokens by stage, queue wait, runs and segment sizes. It is the pipeline's
 * observer, so the stages report without knowing prom-client.
 */
export class PipelineMetrics implements PipelineObserver {
  private readonly stageSeconds: Histogram<'stage' | 'outcome'>;
  private readonly strategySeconds: Histogram<'stage' | 'strategy'>;
  private readonly stageFailures: Counter<'stage' | 'code'>;
  private readonly deadlineMisses: Counter<'stage'>;
  private readonly tokens: Counter<'stage' | 'strategy'>;
  private readonly queueWait: Histogram<'queue'>;
  private readonly deferrals: Counter<'queue' | 'limit'>;
  private readonly runs: Counter<'status' | 'strategy' | 'code'>;
  private readonly sizes: Histogram<'warehouse'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.stageSeconds = new Histogram({
      name: 't2s_stage_duration_seconds',
      help: 'Time of one stage pass, by stage and outcome (succeeded, failed, superseded).',
      labelNames: ['stage', 'outcome'],
      buckets: STAGE_BUCKETS,
      registers,
    });
    this.strategySeconds = new Histogram({
      name: 't2s_strategy_duration_seconds',
      help: 'Time inside the strategy (rules or model) during a stage pass, by stage and strategy; the rest of the pass is orchestration.',
      labelNames: ['stage', 'strategy'],
      buckets: STAGE_BUCKETS,
      registers,
    });
    this.stageFailures = new Counter({
      name: 't2s_stage_failures_total',
      help: 'Stage passes that failed, by stage and error code (a repair round counts as a failure of its pass).',
      labelNames: ['stage', 'code'],
      registers,
    });
    this.deadlineMisses = new Counter({
      name: 't2s_deadline_misses_total',
      help: 'Runs failed with DEADLINE_EXCEEDED, by the stage that found the deadline passed.',
      labelNames: ['stage'],
      registers,
    });
    this.tokens = new Counter({
      name: 't2s_stage_llm_tokens_total',
      help: 'Billable LLM tokens (prompt not served from cache, plus answer) spent by stage and strategy.',
      labelNames: ['stage', 'strategy'],
      registers,
    });
    this.queueWait = new Histogram({
      name: 't2s_queue_wait_seconds',
      help: 'Time a job waited in its queue before a worker took it (first attempt), by queue.',
      labelNames: ['queue'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.deferrals = new Counter({
      name: 't2s_fair_share_deferrals_total',
      help: "Jobs deferred because their API key (limit=key) or the key's batch lane (limit=batch) had every slot in use, by queue.",
      labelNames: ['queue', 'limit'],
      registers,
    });
    this.runs = new Counter({
      name: 't2s_runs_finished_total',
      help: 'Runs (one per revision) that ended, by final status (succeeded, needs_review, failed), strategy and error code (empty unless failed).',
      labelNames: ['status', 'strategy', 'code'],
      registers,
    });
    this.sizes = new Histogram({
      name: 't2s_segment_size_clients',
      help: 'Clients in a segment whose query ran (succeeded or needs_review), by warehouse.',
      labelNames: ['warehouse'],
      buckets: [1, 10, 100, 1_000, 5_000, 10_000, 50_000, 100_000, 500_000, 1_000_000, 5_000_000],
      registers,
    });
  }

  stageFinished(pass: StagePassReport): void {
    this.stageSeconds.observe({ stage: pass.stage, outcome: pass.outcome }, pass.seconds);
    if (pass.strategySeconds !== undefined) {
      this.strategySeconds.observe({ stage: pass.stage, strategy: pass.strategy }, pass.strategySeconds);
    }
    if (pass.outcome === 'failed') {
      this.stageFailures.inc({ stage: pass.stage, code: pass.code ?? 'INTERNAL' });
      if (pass.code === 'DEADLINE_EXCEEDED') this.deadlineMisses.inc({ stage: pass.stage });
    }
    if (pass.tokens > 0) this.tokens.inc({ stage: pass.stage, strategy: pass.strategy }, pass.tokens);
  }

  runFinished(run: RunReport): void {
    this.runs.inc({ status: run.status, strategy: run.strategy, code: run.code ?? '' });
    if (isExecutedStatus(run.status) && run.size !== undefined) {
      this.sizes.observe({ warehouse: run.warehouse }, run.size);
    }
  }

  jobStarted(queue: string, waitedSeconds: number): void {
    this.queueWait.observe({ queue }, Math.max(0, waitedSeconds));
  }

  /** A job went back to wait for a slot of its group (`limit`: the group's kind, `key` or `batch`). */
  jobDeferred(queue: string, limit: string): void {
    this.deferrals.inc({ queue, limit });
  }
}
