import { performance } from 'node:perf_hooks';
import { SpanKind, type Span } from '@opentelemetry/api';
import { Pool } from 'pg';
import { inSpan, markFailed } from '@t2s/telemetry';
import type { GuardVerdict, SqlOrigin } from '@t2s/sql-guard';
import { sqlHash, type AuditEntry, type AuditSink } from './audit';
import { streamIds } from './id-stream';
import { planCost } from './plan-cost';
import { ConsumerError, SandboxRefusal, type RefusalDetails } from './sandbox-refusal';
import type { ExplainResult, SandboxContext, SandboxFailure, SandboxResult } from './sandbox-result';
import { mapSqlError } from './sql-error-mapping';
import { WarehouseSession, type SessionLimits } from './warehouse-session';

/** What SQL of one origin is held to: the guard bound to that origin's policy, and a statement timeout. */
export interface OriginLimits {
  guard: (sql: string) => GuardVerdict;
  /** Bounds EXPLAIN, and the whole streaming of the result with the time `onIds` takes included. */
  statementTimeoutMs: number;
}

export interface SandboxExecutorOptions {
  /** Connection string that logs in as the executor role (SELECT only; see `ensureExecutorRole`). */
  warehouseUrl: string;
  /** The SQL guard for generated SQL (the default origin), already bound to its policy. */
  guard: (sql: string) => GuardVerdict;
  /** The statement timeout of generated SQL; see OriginLimits. */
  statementTimeoutMs: number;
  /**
   * Person-written SQL (`context.origin: 'person'`, a SQL revision): the guard under the person policy
   * (`policyFromCatalog(catalog, { origin: 'person' })`) and its own, usually shorter, timeout. A person
   * can write what no strategy generates (a recursion whose EXPLAIN cost says nothing of its run time),
   * and holds an execution slot for as long as it runs. Without it, person SQL is refused as a
   * programmer error rather than run under the generated SQL's policy.
   */
  person?: OriginLimits;
  /**
   * The guard for generated SQL that counts rather than only lists clients (`context.output: 'counts'`,
   * the portrait; `'counted'`, a segment's counted pass): bound to a policy of any output shape, with
   * the same relations and personal-data rules. Runs under the generated SQL's timeout. Without it, a
   * counting query is refused.
   */
  counts?: (sql: string) => GuardVerdict;
  /**
   * The statement timeout of a counted pass (`output: 'counted'`; default half `statementTimeoutMs`). The
   * pass is the segment and its funnel in one query; one that runs past this leaves the rest of the
   * generated timeout to the segment's plain SQL (the execution stage falls back to it), so a funnel
   * never turns a segment that fits its time into a timeout.
   */
  countedTimeoutMs?: number;
  /** Largest EXPLAIN total cost allowed to run. */
  maxCost: number;
  audit: AuditSink;
  /** Warehouse connections (default 4). */
  poolSize?: number;
  /** How long to wait for a connection, pool queue included (default 10 s). */
  connectTimeoutMs?: number;
  /** How long past the statement timeout a warehouse that does not answer is waited for (default 5 s). */
  stallGraceMs?: number;
  /** Shown in pg_stat_activity (default `t2s-sql-sandbox`). */
  applicationName?: string;
  /** Told about what ops should look at: SQL the warehouse refused as a write, a connection lost. */
  onWarning?: (message: string) => void;
  /**
   * Turn PostgreSQL's JIT off in the sandbox's transactions. Reports over a large base (explain, the
   * portrait) have plan costs far above `jit_above_cost` and spend longer compiling than running; a
   * warehouse without the setting (Greenplum 6) must leave this unset.
   */
  noJit?: boolean;
}

export interface ExecuteOptions {
  context: SandboxContext;
  /**
   * Receives the ids batch by batch; awaited before the next batch is read. If it throws, so does
   * execute(). When the run fails halfway, the ids already delivered belong to a failed run: discard them.
   */
  onIds: (ids: string[]) => Promise<void>;
  /** Rows per batch (default 10 000). */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 10_000;
const DEFAULT_APPLICATION_NAME = 't2s-sql-sandbox';
const MAX_TIMEOUT_MS = 2_147_483_647;

interface Run {
  base: Omit<AuditEntry, 'verdict' | 'durationMs'>;
  /** The guard and session limits of the SQL's origin. */
  guard: (sql: string) => GuardVerdict;
  limits: SessionLimits;
  /** What the SQL returns (SandboxContext.output). */
  output: NonNullable<SandboxContext['output']>;
  started: number;
}

/**
 * Runs a segment's SQL as the executor role, as safely as we know how: the guard first (nothing reaches
 * the warehouse if it says no), then one READ ONLY transaction with a local statement timeout, an EXPLAIN
 * cost cap, and the SQL itself through a named portal whose ids are streamed to the caller. Nothing is
 * ever committed. Every SQL text checked gets exactly one audit entry. SQL-level problems come back as a
 * failed result; only programmer errors, a failing `onIds` and a failing audit write throw. Who wrote
 * the SQL (`context.origin`) picks the guard and the timeout; the cost cap and the pool are shared.
 */
export class SandboxExecutor {
  private readonly pool: Pool;
  private readonly onWarning: (message: string) => void;
  private readonly origins: Partial<Record<SqlOrigin, { guard: Run['guard']; limits: SessionLimits }>>;
  private readonly jitOff: string;
  private readonly countedTimeoutMs: number;

  constructor(private readonly options: SandboxExecutorOptions) {
    const {
      statementTimeoutMs,
      maxCost,
      poolSize = 4,
      connectTimeoutMs = 10_000,
      stallGraceMs = 5_000,
    } = options;
    if (typeof options.guard !== 'function') throw new TypeError('SandboxExecutor: guard must be a function');
    if (options.person !== undefined && typeof options.person.guard !== 'function')
      throw new TypeError('SandboxExecutor: person.guard must be a function');
    if (options.counts !== undefined && typeof options.counts !== 'function')
      throw new TypeError('SandboxExecutor: counts must be a function');
    if (typeof options.audit?.record !== 'function')
      throw new TypeError('SandboxExecutor: audit is required');
    positiveInteger('statementTimeoutMs', statementTimeoutMs, MAX_TIMEOUT_MS);
    this.countedTimeoutMs = options.countedTimeoutMs ?? Math.max(1, Math.floor(statementTimeoutMs / 2));
    positiveInteger('countedTimeoutMs', this.countedTimeoutMs, MAX_TIMEOUT_MS);
    if (options.person !== undefined)
      positiveInteger('person.statementTimeoutMs', options.person.statementTimeoutMs, MAX_TIMEOUT_MS);
    positiveInteger('poolSize', poolSize, 1000);
    positiveInteger('connectTimeoutMs', connectTimeoutMs, MAX_TIMEOUT_MS);
    positiveInteger('stallGraceMs', stallGraceMs, MAX_TIMEOUT_MS);
    if (!(maxCost > 0) || !Number.isFinite(maxCost))
      throw new RangeError('SandboxExecutor: maxCost must be > 0');

    this.onWarning = options.onWarning ?? ((message) => process.emitWarning(message));
    this.jitOff = options.noJit ? '; set local jit = off' : '';
    const held = (limits: OriginLimits) => ({
      guard: limits.guard,
      limits: {
        statementTimeoutMs: limits.statementTimeoutMs,
        graceMs: stallGraceMs,
        onWarning: this.onWarning,
      },
    });
    this.origins = {
      generated: held({ guard: options.guard, statementTimeoutMs }),
      ...(options.person ? { person: held(options.person) } : {}),
    };
    this.pool = new Pool({
      connectionString: options.warehouseUrl,
      max: poolSize,
      connectionTimeoutMillis: connectTimeoutMs,
      application_name: options.applicationName ?? DEFAULT_APPLICATION_NAME,
      keepAlive: true,
    });
    // An idle pooled connection that dies (warehouse restart) is dropped by the pool; say so, do not crash.
    this.pool.on('error', (error) =>
      this.onWarning(`sql-sandbox: idle warehouse connection lost: ${error.message}`),
    );
  }

  /** Runs `sql` and streams its ids to `onIds`; see the class comment. */
  execute(sql: string, options: ExecuteOptions): Promise<SandboxResult> {
    const attributes = { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT' };
    return inSpan(
      'sql.execute',
      attributes,
      async (span) => {
        const result = await this.run(sql, options, span);
        span.setAttribute('t2s.sql.duration_ms', result.durationMs);
        if (result.ok) span.setAttributes({ 't2s.sql.rows': result.rows, 't2s.sql.cost': result.cost });
        else markFailed(span, result.code, result.guardCode ?? result.sqlState ?? result.code);
        return result;
      },
      SpanKind.CLIENT,
    );
  }

  private async run(sql: string, options: ExecuteOptions, span: Span): Promise<SandboxResult> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    positiveInteger('batchSize', batchSize, 1_000_000);
    if (typeof options.onIds !== 'function') throw new TypeError('execute: onIds must be a function');
    const run = this.start(sql, options.context);
    // No SQL text on the span: its literals can be personal data. The hash finds it in the audit trail.
    span.setAttributes({
      't2s.sql.hash': run.base.sqlHash,
      't2s.sql.origin': run.base.origin,
      't2s.sql.output': run.output,
      ...(run.base.segmentId ? { 't2s.segment_id': run.base.segmentId } : {}),
    });

    const rejected = await this.check(run);
    if (rejected) return rejected;

    let cost: number | undefined;
    let rows = 0;
    const counts = options.context.output === 'counted' ? new Map<string, number>() : undefined;
    try {
      await this.inTransaction(run, async (session) => {
        cost = this.enforceCostCap(await planCost(session, sql));
        // Counted as delivered, so that a run failing halfway audits how many ids the caller got.
        const deliver = async (ids: string[]) => {
          await options.onIds(ids);
          rows += ids.length;
        };
        await streamIds(session, sql, batchSize, deliver, counts);
      });
    } catch (error) {
      return this.fail(run, error, { cost, rows });
    }
    const durationMs = elapsed(run);
    await this.options.audit.record({ ...run.base, verdict: 'executed', durationMs, rows, cost });
    return { ok: true, rows, durationMs, cost: cost!, ...(counts ? { counts } : {}) };
  }

  /** Ops' dry run: the guard and EXPLAIN only. Answers the plan's cost, or why the SQL would not run. */
  async explain(sql: string, context: SandboxContext = {}): Promise<ExplainResult> {
    const run = this.start(sql, context);
    const rejected = await this.check(run);
    if (rejected) return rejected;

    let cost: number | undefined;
    try {
      await this.inTransaction(run, async (session) => {
        cost = this.enforceCostCap(await planCost(session, sql));
      });
    } catch (error) {
      return this.fail(run, error, { cost });
    }
    const durationMs = elapsed(run);
    await this.options.audit.record({ ...run.base, verdict: 'explained', durationMs, cost });
    return { ok: true, durationMs, cost: cost! };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private start(sql: string, context: SandboxContext | undefined): Run {
    if (typeof sql !== 'string') throw new TypeError('sql must be a string');
    const { segmentId, revisionId, apiKeyId, origin = 'generated', output = 'ids' } = context ?? {};
    const held = this.origins[origin];
    if (!held) {
      throw new TypeError(
        origin === 'person'
          ? 'SandboxExecutor: person-written SQL needs options.person (its guard policy and timeout)'
          : `SandboxExecutor: unknown SQL origin ${JSON.stringify(origin)}`,
      );
    }
    let guard = held.guard;
    let limits = held.limits;
    if (output === 'counts' || output === 'counted') {
      if (origin !== 'generated' || this.options.counts === undefined) {
        throw new TypeError('SandboxExecutor: counting needs options.counts, and generated SQL');
      }
      guard = this.options.counts;
      if (output === 'counted') limits = { ...limits, statementTimeoutMs: this.countedTimeoutMs };
    } else if (output !== 'ids') {
      throw new TypeError(`SandboxExecutor: unknown output ${JSON.stringify(output)}`);
    }
    return {
      base: { sqlHash: sqlHash(sql), sql, segmentId, revisionId, apiKeyId, origin, at: new Date() },
      guard,
      limits,
      output,
      started: performance.now(),
    };
  }

  /** The guard's verdict; a rejection is audited and answered without touching the warehouse. */
  private async check(run: Run): Promise<SandboxFailure | null> {
    const { sql } = run.base;
    let verdict: GuardVerdict;
    // PostgreSQL reads a query string up to its first NUL: the guard and the server would see different SQL.
    if (sql.includes('\0')) {
      verdict = { ok: false, code: 'PARSE_ERROR', reason: 'the SQL contains a NUL character' };
    } else {
      try {
        verdict = run.guard(sql);
      } catch (error) {
        // A guard bug fails closed, audited, and surfaces.
        const reason = error instanceof Error ? error.message : String(error);
        await this.record(run, { verdict: 'rejected', code: 'GUARD_ERROR', reason }, error);
        throw error;
      }
    }
    if (verdict.ok) return null;
    const failure: SandboxFailure = {
      ok: false,
      code: 'SQL_REJECTED',
      message: verdict.reason,
      retryable: false,
      durationMs: elapsed(run),
      guardCode: verdict.code,
    };
    await this.options.audit.record({
      ...run.base,
      verdict: 'rejected',
      code: verdict.code,
      reason: verdict.reason,
      durationMs: failure.durationMs,
    });
    return failure;
  }

  private enforceCostCap(cost: number): number {
    if (cost > this.options.maxCost) {
      throw new CostRefusal(cost, {
        code: 'COST_LIMIT_EXCEEDED',
        message: `the query's estimated cost ${cost} exceeds the limit of ${this.options.maxCost}; narrow it down`,
        retryable: false,
      });
    }
    return cost;
  }

  /** Checks out a connection, opens a READ ONLY transaction with the run's limits, and always rolls back. */
  private async inTransaction(run: Run, work: (session: WarehouseSession) => Promise<void>): Promise<void> {
    let session: WarehouseSession;
    try {
      session = new WarehouseSession(await this.pool.connect(), run.limits);
    } catch (error) {
      throw connectRefusal(error);
    }
    let failed = false;
    try {
      // The role's sessions are read-only with a timeout by default, but the role may change its own
      // defaults, so the transaction sets both itself. READ ONLY cannot be undone once the SQL runs; the
      // timeout can (set_config), which is why WarehouseSession keeps a clock of its own as well.
      const ms = run.limits.statementTimeoutMs;
      await session.wait(
        session.client.query(
          `begin read only; set local statement_timeout = ${ms}; set local idle_in_transaction_session_timeout = ${ms}${this.jitOff}`,
        ),
      );
      await work(session);
    } catch (error) {
      failed = true;
      if (error instanceof SandboxRefusal && error.details.brokenConnection) session.broken = true;
      else if (!(error instanceof SandboxRefusal) && !(error instanceof ConsumerError)) {
        if (mapSqlError(error)?.brokenConnection ?? true) session.broken = true;
      }
      throw error;
    } finally {
      const cleanupError = await session.end();
      if (cleanupError && !failed) {
        // Nothing was lost (nothing is ever committed), but a connection failing after success is news.
        this.onWarning(`sql-sandbox: rollback after a successful run failed: ${cleanupError.message}`);
      }
    }
  }

  /** Audits a failed run and answers it; rethrows what is not the SQL's fault (onIds, our own bugs). */
  private async fail(
    run: Run,
    error: unknown,
    extra: { cost?: number; rows?: number },
  ): Promise<SandboxFailure> {
    if (error instanceof ConsumerError) {
      await this.record(
        run,
        { verdict: 'failed', code: 'CONSUMER_FAILED', reason: error.message, ...extra },
        error.original,
      );
      throw error.original;
    }
    let details: RefusalDetails;
    if (error instanceof SandboxRefusal) details = error.details;
    else {
      const mapped = mapSqlError(error);
      if (!mapped) {
        const reason = error instanceof Error ? error.message : String(error);
        await this.record(run, { verdict: 'failed', code: 'INTERNAL_ERROR', reason, ...extra }, error);
        throw error;
      }
      details = mapped;
      if (mapped.pastGuard) {
        this.onWarning(
          `sql-sandbox: the warehouse refused SQL ${run.base.sqlHash} as a write or for want of privilege ` +
            `(${mapped.sqlState}): it got past the guard, or the guard's policy allows a table the role cannot read`,
        );
      }
    }
    const cost = error instanceof CostRefusal ? error.cost : extra.cost;
    const failure: SandboxFailure = {
      ok: false,
      code: details.code,
      message: details.message,
      retryable: details.retryable,
      durationMs: elapsed(run),
      ...(details.sqlState ? { sqlState: details.sqlState } : {}),
      ...(cost !== undefined ? { cost } : {}),
    };
    await this.options.audit.record({
      ...run.base,
      verdict: failure.code === 'COST_LIMIT_EXCEEDED' ? 'rejected' : 'failed',
      code: failure.code,
      reason: failure.message,
      sqlState: failure.sqlState,
      durationMs: failure.durationMs,
      rows: extra.rows,
      cost,
    });
    return failure;
  }

  /** Writes the audit entry for a run that is about to throw; a failing audit write joins the error. */
  private async record(
    run: Run,
    entry: Pick<AuditEntry, 'verdict' | 'code' | 'reason' | 'cost' | 'rows'>,
    thrown: unknown,
  ): Promise<void> {
    try {
      await this.options.audit.record({ ...run.base, ...entry, durationMs: elapsed(run) });
    } catch (auditError) {
      throw new AggregateError([thrown, auditError], `${entry.code} and the audit write failed too`);
    }
  }
}

class CostRefusal extends SandboxRefusal {
  constructor(
    readonly cost: number,
    details: RefusalDetails,
  ) {
    super(details);
  }
}

/** Anything that goes wrong while getting a connection means the warehouse is not there for us. */
function connectRefusal(error: unknown): SandboxRefusal {
  const mapped = mapSqlError(error);
  const message = error instanceof Error ? error.message : String(error);
  return new SandboxRefusal({
    code: 'WAREHOUSE_UNAVAILABLE',
    message:
      mapped?.code === 'WAREHOUSE_UNAVAILABLE'
        ? mapped.message
        : `cannot connect to the warehouse: ${message}`,
    retryable: true,
    ...(mapped?.sqlState ? { sqlState: mapped.sqlState } : {}),
  });
}

function elapsed(run: Run): number {
  return Math.round(performance.now() - run.started);
}

function positiveInteger(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`SandboxExecutor: ${name} must be an integer from 1 to ${max}, got ${value}`);
  }
}
