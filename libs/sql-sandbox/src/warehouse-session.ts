import { performance } from 'node:perf_hooks';
import type { PoolClient } from 'pg';
import { sendCancelRequest } from './cancel-request';
import { SandboxRefusal } from './sandbox-refusal';

export interface SessionLimits {
  statementTimeoutMs: number;
  /** How long past the timeout a warehouse that does not answer is waited for before its socket is dropped. */
  graceMs: number;
  onWarning: (message: string) => void;
}

// The server's own statement timer normally fires first; ours comes just after it.
const CANCEL_SLACK_MS = 100;

/**
 * One checked-out warehouse connection inside a read-only transaction, with a clock the SQL cannot touch.
 *
 * PostgreSQL's statement_timeout is a setting, and the SQL can change settings: a query that calls
 * `set_config('statement_timeout', '0', true)` switches the timer off for every later Execute of its
 * portal (each Execute re-reads the setting), so a batched read would then run unbounded. So the
 * sandbox keeps its own deadline: it refuses to read past it, cancels (a CancelRequest) a read still
 * running at it, and, should the warehouse not answer at all (a half-open connection, a frozen host),
 * drops the socket `graceMs` later.
 */
export class WarehouseSession {
  /** Set when the connection must not go back to the pool. */
  broken = false;
  private runDeadline: number | null = null;
  private readonly ignoreErrors = (): void => undefined;

  constructor(
    readonly client: PoolClient,
    private readonly limits: SessionLimits,
  ) {
    // A checked-out client has no pool listener: a socket error would otherwise be an unhandled 'error'
    // event and crash the process. The failure reaches us through the pending query instead.
    client.on('error', this.ignoreErrors);
  }

  /** Starts the clock of the statement whose portal is read in batches. */
  startRun(): void {
    this.runDeadline = performance.now() + this.limits.statementTimeoutMs;
  }

  /** Between batches: past the deadline (time in `onIds` included) nothing more is read. */
  checkDeadline(): void {
    if (this.runDeadline !== null && performance.now() > this.runDeadline) {
      throw new SandboxRefusal({
        code: 'SQL_TIMEOUT',
        message: `the query ran past the statement timeout (${this.limits.statementTimeoutMs} ms), time spent storing ids included`,
        retryable: false,
      });
    }
  }

  /**
   * Awaits a warehouse round trip under the deadline (the run's, or a statement timeout from now).
   * `cleanup` (rollback, closing a portal) is only guarded against a silent warehouse.
   */
  async wait<T>(promise: Promise<T>, kind: 'query' | 'cleanup' = 'query'): Promise<T> {
    const now = performance.now();
    const due = kind === 'cleanup' ? null : (this.runDeadline ?? now + this.limits.statementTimeoutMs);
    let dropped = false;
    let cancelled = false;
    // Destroying the socket should fail the pending query, but a pg client does not always settle it
    // (seen with pg 8 on Node 24): the drop settles the wait itself, so nothing can hang past the grace.
    let giveUp: (error: Error) => void = () => undefined;
    const abandoned = new Promise<never>((_, reject) => {
      giveUp = reject;
    });
    abandoned.catch(() => undefined);
    const timers = [
      setTimeout(
        () => {
          dropped = true;
          this.drop();
          giveUp(new Error('dropped'));
        },
        Math.max(0, (due ?? now) + this.limits.graceMs - now),
      ),
    ];
    if (due !== null) {
      const cancelAt = Math.max(0, due + CANCEL_SLACK_MS - now);
      timers.push(
        setTimeout(() => {
          cancelled = true;
          this.cancel();
        }, cancelAt),
      );
    }
    try {
      return await Promise.race([promise, abandoned]);
    } catch (error) {
      if (dropped) {
        throw new SandboxRefusal({
          code: 'WAREHOUSE_UNAVAILABLE',
          message: `the warehouse stopped answering (nothing for ${this.limits.graceMs} ms past the timeout)`,
          retryable: true,
          brokenConnection: true,
        });
      }
      if (cancelled) {
        throw new SandboxRefusal({
          code: 'SQL_TIMEOUT',
          message: `the query ran past the statement timeout (${this.limits.statementTimeoutMs} ms) and was cancelled`,
          retryable: false,
          sqlState: '57014',
        });
      }
      throw error;
    } finally {
      timers.forEach(clearTimeout);
    }
  }

  /** Rolls back (nothing is ever committed) and returns the connection, or destroys it when broken. */
  async end(): Promise<Error | null> {
    let failure: Error | null = null;
    if (!this.broken) {
      try {
        await this.wait(this.client.query('rollback'), 'cleanup');
        // Session state a statement can leave behind that rollback keeps (session advisory locks, above
        // all) must not reach the next segment's SQL on this pooled connection.
        await this.wait(this.client.query('discard all'), 'cleanup');
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        this.broken = true;
      }
    }
    this.client.removeListener('error', this.ignoreErrors);
    // release(error) makes the pool end the client instead of keeping it.
    this.client.release(this.broken ? (failure ?? new Error('connection discarded')) : undefined);
    return failure;
  }

  private cancel(): void {
    this.limits.onWarning(
      `sql-sandbox: a query was still running past the statement timeout and is being cancelled ` +
        `(did the SQL switch statement_timeout off?)`,
    );
    sendCancelRequest(this.client, this.limits.graceMs).catch((error: Error) => {
      // The socket is dropped at the end of the grace period anyway.
      this.limits.onWarning(`sql-sandbox: cancelling the query failed: ${error.message}`);
    });
  }

  private drop(): void {
    this.broken = true;
    this.client.connection.stream.destroy();
  }
}
