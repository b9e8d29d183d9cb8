import { Counter, Histogram, type Registry } from 'prom-client';

/** Webhook deliveries to Co-marketer: every attempt by outcome, its time, and events given up on. */
export class WebhookMetrics {
  private readonly attempts: Counter<'outcome'>;
  private readonly seconds: Histogram;
  private readonly gaveUp: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.attempts = new Counter({
      name: 't2s_webhook_attempts_total',
      help: 'Webhook delivery attempts, by outcome (delivered, failed, refused: an internal target, never connected).',
      labelNames: ['outcome'],
      registers,
    });
    this.seconds = new Histogram({
      name: 't2s_webhook_attempt_seconds',
      help: 'Time of one webhook delivery attempt, until the receiver answered or the timeout.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.gaveUp = new Counter({
      name: 't2s_webhook_gave_up_total',
      help: 'Webhook events whose delivery was given up (attempts used up, or 410 Gone).',
      registers,
    });
  }

  attempted(report: { statusCode?: number; refused?: boolean; durationMs: number }): void {
    const ok = report.statusCode !== undefined && report.statusCode >= 200 && report.statusCode < 300;
    this.attempts.inc({ outcome: ok ? 'delivered' : report.refused ? 'refused' : 'failed' });
    this.seconds.observe(report.durationMs / 1000);
  }

  givenUp(): void {
    this.gaveUp.inc();
  }
}
