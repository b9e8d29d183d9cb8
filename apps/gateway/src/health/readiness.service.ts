import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Readiness } from '@t2s/contracts';
import { DEPENDENCY_CHECKS, type DependencyCheck } from './dependency-check';
import { readinessOf } from './readiness';
import { WORKER_PRESENCE, type WorkerPresence } from './worker-presence';
import { withTimeout } from './with-timeout';

// A probe that answers slowly is as bad as one that is down; orchestrators time out probes at about 1-2 s.
export const CHECK_TIMEOUT_MS = 1_500;

/**
 * Runs every dependency check in parallel, then counts each queue's workers; logs only state changes so
 * a probe every few seconds is quiet. The verdict is `readinessOf`'s.
 */
@Injectable()
export class ReadinessService {
  private readonly logger = new Logger('Readiness');
  private readonly lastState = new Map<string, 'ok' | 'down'>();

  constructor(
    @Inject(DEPENDENCY_CHECKS) private readonly checks: readonly DependencyCheck[],
    @Inject(WORKER_PRESENCE) private readonly workers: WorkerPresence,
  ) {}

  async check(): Promise<Readiness> {
    const results = await Promise.all(
      this.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), CHECK_TIMEOUT_MS, name);
          this.record(name, 'ok');
          return [name, 'ok'] as const;
        } catch (error) {
          this.record(name, 'down', error);
          return [name, 'down'] as const;
        }
      }),
    );
    // Counted once Redis answered (its check opens the probe connection): a count is meaningless before.
    const workers = results.every(([, state]) => state === 'ok') ? await this.countWorkers() : undefined;
    return readinessOf(Object.fromEntries(results), workers);
  }

  /**
   * Undefined when there is nothing to count (READY_WORKER_QUEUES=none) or the count cannot be had
   * (Redis down: its check says so).
   */
  private async countWorkers(): Promise<Record<string, number> | undefined> {
    if (this.workers.queues.length === 0) return undefined;
    try {
      const counts = await withTimeout(this.workers.count(), CHECK_TIMEOUT_MS, 'worker count');
      this.record('worker count', 'ok');
      for (const [queue, n] of Object.entries(counts)) {
        this.record(`queue ${queue}`, n > 0 ? 'ok' : 'down', new Error('no worker serves it'));
      }
      return counts;
    } catch (error) {
      this.record('worker count', 'down', error);
      return undefined;
    }
  }

  private record(name: string, state: 'ok' | 'down', error?: unknown): void {
    if (this.lastState.get(name) === state) return;
    this.lastState.set(name, state);
    if (state === 'ok') this.logger.log(`${name} is up`);
    else this.logger.warn(`${name} is down: ${error instanceof Error ? error.message : String(error)}`);
  }
}
