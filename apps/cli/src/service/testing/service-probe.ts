// Test support: what a load balancer and on-call see while a spec breaks the service on purpose. It
// asks /healthz and /readyz over and over (about 20 times a second) and keeps every answer.
import { EventEmitter } from 'node:events';
import type { Readiness } from '@t2s/contracts';
import { nextEvent } from './next-event';

export interface ReadinessSample {
  at: number;
  httpStatus: number;
  body: Readiness;
}

const REQUEST_TIMEOUT_MS = 2_000;
const PERIOD_MS = 50;

export class ServiceProbe {
  healthAnswers = 0;
  /** Every /healthz request that failed or did not answer 200, with when and why. */
  readonly healthFailures: string[] = [];
  readonly readiness: ReadinessSample[] = [];
  private readonly events = new EventEmitter();
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly url: string) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** The first /readyz answer from now on that `accept` takes. */
  nextReadiness(accept: (sample: ReadinessSample) => boolean, timeoutMs = 30_000): Promise<ReadinessSample> {
    return nextEvent(
      this.events,
      'readiness',
      accept,
      timeoutMs,
      () =>
        `no matching /readyz answer within ${timeoutMs} ms; last: ${JSON.stringify(this.readiness.at(-1))}`,
    );
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await Promise.all([this.health(), this.ready()]);
      // The sampling period, not a wait for a condition.
      await new Promise((resolve) => setTimeout(resolve, PERIOD_MS));
    }
  }

  private async health(): Promise<void> {
    const at = new Date().toISOString();
    try {
      const response = await fetch(`${this.url}/healthz`, {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.text();
      if (response.status === 200) this.healthAnswers++;
      else this.healthFailures.push(`${at} HTTP ${response.status}`);
    } catch (error) {
      this.healthFailures.push(`${at} ${String(error)}`);
    }
  }

  private async ready(): Promise<void> {
    try {
      const response = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const sample = {
        at: Date.now(),
        httpStatus: response.status,
        body: (await response.json()) as Readiness,
      };
      this.readiness.push(sample);
      this.events.emit('readiness', sample);
    } catch {
      // /healthz is the liveness record; a failed readiness request is just a missing sample.
    }
  }
}
