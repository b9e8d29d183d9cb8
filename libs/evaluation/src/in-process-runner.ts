import type { Pool } from 'pg';
import type { Catalog } from '@t2s/catalog';
import {
  AppError,
  executedStatus,
  understandingOf,
  understoodText,
  type Understanding,
} from '@t2s/contracts';
import { quoteIdent } from '@t2s/db';
import type { PipelineStrategy } from '@t2s/pipeline';
import type { SandboxExecutor } from '@t2s/sql-sandbox';
import type { Precedent } from '@t2s/precedents';
import { reportDateWriter, type SemanticModel } from '@t2s/semantic';
import type { EvalCase } from './eval-case.schema';
import { assertNotOwn } from './precedent-sets';
import type { CaseRunner, GeneratedSegment, TargetRunner } from './evaluate';

export interface InProcessOptions {
  strategy: PipelineStrategy;
  catalogs: (warehouse: string) => Promise<Catalog>;
  /** The sandbox for a warehouse: the same guard, executor role and limits the execution worker uses. */
  sandboxFor: (warehouse: string) => Promise<Pick<SandboxExecutor, 'execute'>>;
  /**
   * The past campaigns a case's offer may adopt criteria from (`precedentsFor`: leave-one-out, or an
   * archive). Whatever it returns, a case is never given its own target: the run refuses it.
   */
  precedents?: (evalCase: EvalCase) => Precedent[];
  /**
   * The warehouse's semantic model, whose report date the SQL runs with written in as the execution
   * stage writes it (`inlineReportDate`); absent: the SQL runs as generated.
   */
  semanticModel?: (catalog: Catalog) => SemanticModel;
}

/**
 * One case through the same library code the workers run: the strategy's criteria, linking and SQL,
 * then the sandbox. No queues or service database: what it measures is the strategy and the SQL. The
 * run's status is decided as the service decides it (`understandingOf` and `executedStatus` of
 * @t2s/contracts, which the criteria and execution stages call).
 */
export class InProcessRunner implements CaseRunner {
  constructor(private readonly options: InProcessOptions) {}

  async run(evalCase: EvalCase): Promise<GeneratedSegment> {
    const { strategy } = this.options;
    let tokens = 0;
    let criteriaTexts: string[] | undefined;
    let understanding: Understanding | undefined;
    let sql: string | undefined;
    // Outside the try: a case given its own answer fails the whole run, never one case quietly.
    const precedents = this.options.precedents?.(evalCase);
    if (precedents) assertNotOwn(evalCase, precedents);
    try {
      const catalog = await this.options.catalogs(evalCase.warehouse);
      const generated = await strategy.criteria.generate({
        offer: evalCase.offer,
        ...(precedents ? { precedents } : {}),
        ...(evalCase.criteria === undefined ? {} : { criteriaText: evalCase.criteria }),
        catalog,
      });
      tokens += generated.tokens;
      criteriaTexts = generated.criteria.map((c) => `${c.kind === 'exclude' ? '- ' : '+ '}${c.text}`);
      understanding = understandingOf(
        understoodText(evalCase.offer, evalCase.criteria),
        generated.unparsed,
        generated.coverage,
      );
      const { unparsed } = understanding;
      if (generated.criteria.length === 0) {
        throw new AppError('CRITERIA_UNPARSED', 'No criterion could be mapped to warehouse data');
      }
      const linked = await strategy.linking.link({ criteria: generated.criteria, catalog });
      tokens += linked.tokens;
      const result = await strategy.sql.generate({ criteria: generated.criteria, linked, catalog });
      tokens += result.tokens;
      sql = result.sql;
      const sandbox = await this.options.sandboxFor(evalCase.warehouse);
      const ids: string[] = [];
      const t0 = performance.now();
      const context = { segmentId: `eval:${evalCase.id}` };
      const withDate = await reportDateWriter(
        this.options.semanticModel?.(catalog) ?? null,
        async (query) => {
          const dates: string[] = [];
          const read = await sandbox.execute(query, {
            context: { ...context, output: 'counts' },
            onIds: async (batch) => void dates.push(...batch),
          });
          return read.ok ? (dates[0] ?? null) : null;
        },
        [sql],
      );
      const executed = await sandbox.execute(withDate(sql), {
        context,
        onIds: async (batch) => {
          ids.push(...batch);
        },
      });
      const sqlMs = performance.now() - t0;
      if (!executed.ok) {
        return {
          ok: false,
          code: executed.code,
          message: executed.message,
          sql,
          criteria: criteriaTexts,
          unparsed,
          tokens,
        };
      }
      // As the service ends it: a query that returns no client is no segment (EMPTY_SEGMENT).
      if (ids.length === 0) {
        return {
          ok: false,
          code: 'EMPTY_SEGMENT',
          message: 'The query returned no clients',
          sql,
          criteria: criteriaTexts,
          unparsed,
          tokens,
        };
      }
      return {
        ok: true,
        status: executedStatus(understanding),
        sql,
        ids,
        criteria: criteriaTexts,
        unparsed,
        coverage: understanding.coverage,
        tokens,
        sqlMs,
        parts: (result.perCriterion ?? []).flatMap((p) => {
          const kind = generated.criteria.find((c) => c.id === p.id)?.kind;
          return kind ? [{ id: p.id, kind, sql: p.sql }] : [];
        }),
      };
    } catch (error) {
      const appError = AppError.from(error);
      return {
        ok: false,
        code: appError.code,
        message: appError.message,
        ...(sql === undefined ? {} : { sql }),
        ...(criteriaTexts === undefined ? {} : { criteria: criteriaTexts }),
        ...(understanding === undefined ? {} : { unparsed: understanding.unparsed }),
        tokens,
      };
    }
  }
}

/** Targets run as the warehouse owner, read-only, with the case's schema as search_path. */
export class PgTargetRunner implements TargetRunner {
  constructor(
    private readonly pool: Pool,
    private readonly statementTimeoutMs = 120_000,
  ) {}

  async ids(sql: string, warehouse: string): Promise<string[]> {
    const client = await this.pool.connect();
    try {
      await client.query('begin read only');
      await client.query(`set local search_path to ${quoteIdent(warehouse)}`);
      await client.query(`set local statement_timeout = ${Math.round(this.statementTimeoutMs)}`);
      const { rows } = await client.query<{ client_id: string | number }>(sql);
      return rows.map((row) => String(row.client_id));
    } finally {
      await client.query('rollback').catch(() => undefined);
      client.release();
    }
  }
}
