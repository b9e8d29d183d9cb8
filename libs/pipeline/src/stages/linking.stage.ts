import { AppError, type StageStep } from '@t2s/contracts';
import { linkedTablesOf, withLinkedTables } from './linked-tables';
import { runStage } from './stage-runner';
import { strategyFor, timed, tokensSpent, type StageDeps, type StageTask } from './stage-deps';

/** Finds the tables the criteria need and records them with the criteria for the SQL stage. */
export function runLinkingStage(task: StageTask, deps: StageDeps): Promise<StageStep> {
  return runStage('linking', task, deps, async (segment) => {
    const criteria = segment.criteria;
    if (criteria === null) {
      throw new AppError('INTERNAL', 'The linking stage ran before the criteria were saved');
    }
    // A redelivered job finds its output already written: go on without linking (or paying) again.
    if (linkedTablesOf(criteria.items) !== null) {
      return { outcome: 'succeeded', tokens: 0, output: { next: 'sql', pass: task.pass } };
    }
    const catalog = await deps.catalogs(segment.options.warehouse);
    const { value: linked, ms: strategyMs } = await timed(() =>
      strategyFor(segment.options, deps).linking.link({
        criteria: criteria.items,
        catalog,
        tokensSpent: tokensSpent(segment),
      }),
    );
    if (linked.tables.length === 0) {
      return {
        outcome: 'failed',
        tokens: linked.tokens,
        prompt: linked.prompt,
        strategyMs,
        error: new AppError('SCHEMA_LINKING_FAILED', 'No warehouse table was found for the criteria'),
      };
    }
    const saved = await deps.segments.saveCriteria(
      task.segmentId,
      task.revisionId,
      withLinkedTables(criteria, linked.byCriterion, linked.tables),
    );
    if (!saved) return { outcome: 'superseded', tokens: linked.tokens, prompt: linked.prompt, strategyMs };
    return {
      outcome: 'succeeded',
      tokens: linked.tokens,
      prompt: linked.prompt,
      strategyMs,
      output: { next: 'sql', pass: task.pass },
    };
  });
}
