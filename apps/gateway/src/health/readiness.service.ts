import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Readiness } from '@t2s/contracts';
import { DEPENDENCY_CHECKS, type DependencyCheck } from './dependency-check';
import { withTimeout } from './with-timeout';

// A probe that answers slowly is as bad as one that is down; orchestrators time out probes at about 1-2 s.
export const CHECK_TIMEOUT_MS = 1_500;

/** Runs every dependency check in parallel; logs only state changes so a probe every few seconds is quiet. */
@Injectable()
export class ReadinessService {
  private readonly logger = new Logger('Readiness');
  private readonly lastState = new Map<string, 'ok' | 'down'>();

  constructor(@Inject(DEPENDENCY_CHECKS) private readonly checks: readonly DependencyCheck[]) {}

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
    const checks = Object.fromEntries(results);
    return { status: results.every(([, state]) => state === 'ok') ? 'ok' : 'unavailable', checks };
  }

  private record(name: string, state: 'ok' | 'down', error?: unknown): void {
    if (this.lastState.get(name) === state) return;
    this.lastState.set(name, state);
    if (state === 'ok') this.logger.log(`${name} is up`);
    else this.logger.warn(`${name} is down: ${error instanceof Error ? error.message : String(error)}`);
  }
}
