import type { AuditEntry, AuditSink } from '@t2s/contracts';
import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * SQL execution metrics, read off the sandbox's audit trail: every SQL text the sandbox checks or runs
 * passes through its audit sink, so wrapping the sink sees them all (generated, repaired, a person's).
 * The wrapped sink is written first: an entry that cannot be audited is not counted either.
 */
export class SqlMetrics {
  private readonly seconds: Histogram<'verdict'>;
  private readonly rows: Histogram;
  private readonly verdicts: Counter<'verdict' | 'code'>;
  private readonly guardRejections: Counter<'code'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.seconds = new Histogram({
      name: 't2s_sql_execution_seconds',
      help: 'Time the sandbox spent on one SQL text (guard, plan, run, streaming ids), by verdict.',
      labelNames: ['verdict'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.rows = new Histogram({
      name: 't2s_sql_rows',
      help: 'Client ids an executed SQL text returned.',
      buckets: [0, 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000],
      registers,
    });
    this.verdicts = new Counter({
      name: 't2s_sql_total',
      help: 'SQL texts the sandbox handled, by verdict (executed, failed, rejected, explained) and code.',
      labelNames: ['verdict', 'code'],
      registers,
    });
    this.guardRejections = new Counter({
      name: 't2s_sql_guard_rejections_total',
      help: "SQL texts the guard refused before they reached the warehouse, by the guard's code.",
      labelNames: ['code'],
      registers,
    });
  }

  /** An audit sink that records into `sink`, then counts. */
  auditing(sink: AuditSink): AuditSink {
    return {
      record: async (entry: AuditEntry) => {
        await sink.record(entry);
        this.observe(entry);
      },
    };
  }

  observe(entry: AuditEntry): void {
    const code = entry.code ?? '';
    this.verdicts.inc({ verdict: entry.verdict, code });
    this.seconds.observe({ verdict: entry.verdict }, entry.durationMs / 1000);
    if (entry.verdict === 'executed' && entry.rows !== undefined) this.rows.observe(entry.rows);
    if (entry.verdict === 'rejected') this.guardRejections.inc({ code: code || 'UNKNOWN' });
  }
}
