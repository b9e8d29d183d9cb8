import { AppError, type StageStep } from '@t2s/contracts';
import type { Catalog } from '@t2s/catalog';
import { describedColumns } from '@t2s/linking';
import type { CriterionSqlRecord, SegmentRecord } from '@t2s/service-store';
import { loadParser } from '@t2s/sql-guard';
import type { SqlRepairContext } from '@t2s/strategy';
import { linkedTablesOf } from './linked-tables';
import { runStage } from './stage-runner';
import { strategyFor, timed, tokensSpent, type StageDeps, type StageTask } from './stage-deps';

/** The execution failure that sent this pass back here (pass n repairs execution pass n - 1). */
function repairContext(segment: SegmentRecord, pass: number): SqlRepairContext | undefined {
  if (pass === 0 || segment.sql === null) return undefined;
  const failed = segment.stageRuns.find(
    (run) => run.stage === 'execution' && run.pass === pass - 1 && run.error !== null,
  );
  return failed?.error
    ? { code: failed.error.code, message: failed.error.message, sql: segment.sql }
    : undefined;
}

/** Each criterion's SELECT with the catalog columns it reads, for the reviewer. */
async function withColumns(
  perCriterion: { id: string; sql: string }[],
  catalog: Catalog,
): Promise<CriterionSqlRecord[]> {
  await loadParser();
  const columns = describedColumns(
    perCriterion.map((c) => c.sql),
    catalog,
  );
  return perCriterion.map((c, i) => ({ ...c, columns: columns[i] ?? [] }));
}

/** Generates (or, on a repair round, regenerates) the segment SQL and stores it. */
export function runSqlStage(task: StageTask, deps: StageDeps): Promise<StageStep> {
  return runStage('sql', task, deps, async (segment) => {
    const criteria = segment.criteria;
    const tables = criteria === null ? null : linkedTablesOf(criteria.items);
    if (criteria === null || tables === null) {
      throw new AppError('INTERNAL', 'The SQL stage ran before criteria and linking were saved');
    }
    const catalog = await deps.catalogs(segment.options.warehouse);
    const previousError = repairContext(segment, task.pass);
    const { value: result, ms: strategyMs } = await timed(() =>
      strategyFor(segment.options, deps).sql.generate({
        criteria: criteria.items,
        linked: { tables },
        catalog,
        warehouse: segment.options.warehouse,
        tokensSpent: tokensSpent(segment),
        ...(previousError ? { previousError } : {}),
      }),
    );
    const perCriterion = result.perCriterion && (await withColumns(result.perCriterion, catalog));
    if (!(await deps.segments.saveSql(task.segmentId, task.revisionId, result.sql, perCriterion))) {
      return { outcome: 'superseded', tokens: result.tokens, prompt: result.prompt, strategyMs };
    }
    return {
      outcome: 'succeeded',
      tokens: result.tokens,
      prompt: result.prompt,
      strategyMs,
      output: { next: 'execution', pass: task.pass },
    };
  });
}
