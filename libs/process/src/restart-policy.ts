import type { Exit } from './child-service';

export interface RestartPolicyOptions {
  /** The wait before the first restart of a process; it doubles with each death in a row. */
  initialDelayMs: number;
  /** The longest wait between restarts. */
  maxDelayMs: number;
  /** A process that ran this long before dying starts again from `initialDelayMs`. */
  stableAfterMs: number;
  /** This many deaths (of any supervised process) inside `windowMs` stop the whole service. */
  maxDeaths: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxDeaths: 5,
  windowMs: 60_000,
};

/** A worker's exit code for a bad environment (EX_CONFIG): the same environment fails the same way. */
export const EXIT_CONFIG = 78;

export type RestartDecision =
  { action: 'restart'; delayMs: number; deathsInWindow: number } | { action: 'stop'; reason: string };

/** "exit code 1", "signal SIGKILL": how an exit reads in a log line. */
export function describeExit(exit: Exit): string {
  if (exit.signal) return `signal ${exit.signal}`;
  return `exit code ${exit.code ?? 'unknown'}`;
}

/**
 * When to restart a supervised process that died, as a pure function of the deaths so far and the
 * clock (injected, so the spec drives time). Backoff is per process: 0.5 s, 1 s, 2 s ... up to
 * `maxDelayMs`, back to the start once a process has stayed up `stableAfterMs`. The death budget is
 * shared: `maxDeaths` within `windowMs`, whichever processes died, means something is wrong with the
 * machine or the service as a whole, and restarting faster than an operator can read the logs hides it.
 */
export class RestartPolicy {
  private readonly options: RestartPolicyOptions;
  private readonly deaths: number[] = [];
  private readonly runs = new Map<string, { startedAt: number; deathsInARow: number }>();

  constructor(
    options: Partial<RestartPolicyOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_RESTART_POLICY, ...options };
  }

  /** A process (re)started now. */
  started(name: string): void {
    const run = this.runs.get(name);
    this.runs.set(name, { startedAt: this.now(), deathsInARow: run?.deathsInARow ?? 0 });
  }

  /** A process died on its own (not stopped by the supervisor): restart it after a delay, or stop all. */
  died(name: string, exit: Exit): RestartDecision {
    const now = this.now();
    const { maxDeaths, windowMs, initialDelayMs, maxDelayMs, stableAfterMs } = this.options;
    if (exit.code === EXIT_CONFIG) {
      return {
        action: 'stop',
        reason: `${name} exited with code ${EXIT_CONFIG} (its configuration is invalid; a restart would fail the same way)`,
      };
    }
    this.deaths.push(now);
    while (this.deaths.length > 0 && (this.deaths[0] as number) <= now - windowMs) this.deaths.shift();
    if (this.deaths.length >= maxDeaths) {
      return {
        action: 'stop',
        reason: `${name} died (${describeExit(exit)}): ${this.deaths.length} deaths within ${Math.round(windowMs / 1000)} s`,
      };
    }
    const run = this.runs.get(name) ?? { startedAt: now, deathsInARow: 0 };
    const deathsInARow = now - run.startedAt >= stableAfterMs ? 1 : run.deathsInARow + 1;
    this.runs.set(name, { ...run, deathsInARow });
    const delayMs = Math.min(initialDelayMs * 2 ** (deathsInARow - 1), maxDelayMs);
    return { action: 'restart', delayMs, deathsInWindow: this.deaths.length };
  }
}
