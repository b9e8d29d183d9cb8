import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What ops watch of the pool: queue wait, busy slots, call latency and outcome, tokens by stage and model. */
export class PoolMetrics {
  readonly queueWait: Histogram<'stage'>;
  readonly callSeconds: Histogram<'model' | 'outcome'>;
  readonly busySlots: Gauge;
  readonly slots: Gauge;
  readonly tokens: Counter<'stage' | 'model' | 'kind'>;

  constructor(registry: Registry) {
    this.queueWait = new Histogram({
      name: 't2s_llm_queue_wait_seconds',
      help: 'Time an LLM call waited in the llm queue for a free slot, by stage.',
      labelNames: ['stage'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers: [registry],
    });
    this.callSeconds = new Histogram({
      name: 't2s_llm_call_seconds',
      help: 'Time of one LLM call at the endpoint, by model and outcome (ok or an error code).',
      labelNames: ['model', 'outcome'],
      buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 40, 60, 120],
      registers: [registry],
    });
    this.busySlots = new Gauge({
      name: 't2s_llm_busy_slots',
      help: 'LLM calls in flight in this pool process.',
      registers: [registry],
    });
    this.slots = new Gauge({
      name: 't2s_llm_slots',
      help: 'LLM calls the pool may run at once (GPUs x calls per GPU): what busy slots are measured against.',
      registers: [registry],
    });
    this.tokens = new Counter({
      name: 't2s_llm_tokens_total',
      help: 'LLM tokens, by stage, model and kind (prompt, cached, completion).',
      labelNames: ['stage', 'model', 'kind'],
      registers: [registry],
    });
  }
}
