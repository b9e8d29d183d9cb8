import {
  AppError,
  criteriaPartialMessage,
  executedStatus,
  understandingOf,
  understoodText,
  type StageStep,
} from '@t2s/contracts';
import { criteriaSpecOf, criteriaTextOf } from '@t2s/service-store';
import { criteriaFromSpec, requestLanguage, semanticModelFor } from './criteria-from-spec';
import { runStage } from './stage-runner';
import { strategyFor, timed, tokensSpent, type StageDeps, type StageTask } from './stage-deps';

/**
 * Criteria as structure when a revision gave them (a criteria builder), else from the marketer's text
 * when a revision set one, else generated from the offer.
 */
export function runCriteriaStage(task: StageTask, deps: StageDeps): Promise<StageStep> {
  return runStage('criteria', task, deps, async (segment) => {
    const catalog = await deps.catalogs(segment.options.warehouse);
    const criteriaText = criteriaTextOf(segment) ?? undefined;
    const spec = criteriaSpecOf(segment);
    if (spec !== null) {
      // The structure runs as given; the text, if any, is kept as the wording it came from.
      const { value: items, ms: strategyMs } = await timed(async () =>
        criteriaFromSpec(
          semanticModelFor(catalog, deps),
          spec,
          requestLanguage(understoodText(segment.offer, criteriaText)),
        ),
      );
      const text =
        criteriaText ?? items.map((c) => `${c.kind === 'exclude' ? '- ' : ''}${c.text}`).join('\n');
      const saved = await deps.segments.saveCriteria(
        task.segmentId,
        task.revisionId,
        { text, items },
        { coverage: 1, unparsed: [] },
      );
      if (!saved) return { outcome: 'superseded', tokens: 0, strategyMs };
      return {
        outcome: 'succeeded',
        tokens: 0,
        strategyMs,
        output: { next: 'linking', pass: task.pass },
      };
    }
    // Read before the strategy's clock starts: listing (and reading a new approval's SQL) is the store's time.
    const precedents = await deps.precedents?.(segment.options.warehouse);
    const { value: result, ms: strategyMs } = await timed(() =>
      strategyFor(segment.options, deps).criteria.generate({
        offer: segment.offer,
        criteriaText,
        catalog,
        tokensSpent: tokensSpent(segment),
        precedents,
      }),
    );
    // Exclusions alone are a segment too ("клиенты без кредита": every client less the borrowers).
    const fromText = result.criteria.filter((c) => c.source === 'person' || c.source === 'llm');
    if (result.criteria.length === 0 || (criteriaText !== undefined && fromText.length === 0)) {
      return {
        outcome: 'failed',
        tokens: result.tokens,
        prompt: result.prompt,
        strategyMs,
        error: new AppError('CRITERIA_UNPARSED', 'No criterion could be mapped to warehouse data'),
      };
    }
    const text =
      criteriaText ?? result.criteria.map((c) => `${c.kind === 'exclude' ? '- ' : ''}${c.text}`).join('\n');
    // Whatever the strategy: the fragments it could not map, against the text it read.
    const understanding = understandingOf(
      understoodText(segment.offer, criteriaText),
      result.unparsed,
      result.coverage,
    );
    const saved = await deps.segments.saveCriteria(
      task.segmentId,
      task.revisionId,
      { text, items: result.criteria },
      understanding,
    );
    if (!saved) return { outcome: 'superseded', tokens: result.tokens, prompt: result.prompt, strategyMs };
    // An automated caller would send a segment broader than its text: stop before any SQL runs. The
    // criteria and their understanding stay saved, so the failed segment shows what was not understood.
    if (segment.options.onUnparsed === 'fail' && executedStatus(understanding) === 'needs_review') {
      return {
        outcome: 'failed',
        tokens: result.tokens,
        prompt: result.prompt,
        strategyMs,
        error: new AppError('CRITERIA_PARTIAL', criteriaPartialMessage(understanding)),
      };
    }
    return {
      outcome: 'succeeded',
      tokens: result.tokens,
      prompt: result.prompt,
      strategyMs,
      output: { next: 'linking', pass: task.pass },
    };
  });
}
