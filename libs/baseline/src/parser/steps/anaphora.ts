// Step (of the whole text, before a fragment's own steps): a fragment pointing back at the criterion
// before it.
// Reads: the fragment, the previous criterion, the model's columns of that criterion's table.
// Produces: the previous criterion narrowed by the fragment's number, or null.
import type { Expr, RowCondition, SemanticModel } from '@t2s/semantic';
import { findComparisons, findWindows } from '../../text/quantities';
import { normalize, phraseStems } from '../../text/tokens';
import { NUMERIC_TYPE } from '../conditions';
import type { ParsedCriterion } from '../parse-types';
import { FILLER } from '../words';

const ANAPHOR =
  /(?<![a-zа-я])(?:на н[её]м|по нему|в н[её]м|на ней|по ней|в ней|on it|in it|its|on that)(?![a-zа-я])/;

/**
 * "Открыли накопительный счёт в этом году. Остаток на нём больше 200 тыс.": a fragment pointing back
 * ("на нём", "по нему", "on it", "its") with a number is about the rows of the previous criterion's
 * product: the number goes to that table's amount column its words name, on the same rows (the
 * previous criterion is narrowed; no criterion of its own). Returns the previous criterion narrowed;
 * null when the fragment points nowhere or its number cannot be placed.
 */
export function anaphora(
  model: SemanticModel,
  fragment: string,
  previous: ParsedCriterion | undefined,
  /** The fragment as the marketer sees it (hostile text shown), for the criterion's text. */
  shown: string = fragment,
): ParsedCriterion | null {
  const text = normalize(fragment);
  if (!ANAPHOR.test(text)) return null;
  const expr = previous?.spec.expr;
  if (!previous || !expr || !('type' in expr) || (expr.type !== 'attr' && expr.type !== 'related'))
    return null;
  const table = expr.type === 'attr' ? model.attribute(expr.attr)?.measure.table : (expr.table ?? undefined);
  const columns = table ? (model.graph.table(table)?.columns ?? []) : [];
  const words = new Set(phraseStems(text));
  // The column whose comment's head (or name, for English) the fragment's words name; a head that
  // starts with such a word ("Остаток на отчётную дату") over one that merely has it ("ставка на остаток").
  const scored = columns
    .filter((c) => NUMERIC_TYPE.test(c.type) && !/(^|_)id$/.test(c.name) && !c.pii)
    .map((c) => {
      const head = phraseStems((c.comment ?? '').split(/[.:;(—,]/)[0] ?? '').filter((w) => !FILLER.has(w));
      const name = phraseStems(c.name.replace(/_/g, ' '));
      const hits = [...head, ...name].filter((w) => words.has(w)).length;
      const leads = words.has(head[0] ?? '') || words.has(name[0] ?? '') ? 1 : 0;
      return { c, score: hits === 0 ? 0 : leads * 100 + hits };
    })
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score);
  const column = scored[0]?.c;
  // "за последние 12 месяцев ни одного дня просрочки по ней": a window's number is no amount.
  const found = findComparisons(text, findWindows(text))[0];
  if (!table || !column || !found) return null;
  // "ни одного дня": not one, none.
  const none = /(?<![a-zа-я])ни\s*$/.test(text.slice(0, found.start));
  const cmp = none ? { op: 'eq' as const, value: 0 } : found.cmp;
  const condition: RowCondition = { column: `${table}.${column.name}`, cmp };
  const where = expr.where ? { all: [expr.where, condition] } : condition;
  return {
    text: `${previous.text}; ${shown.trim()}`,
    spec: { ...previous.spec, expr: { ...expr, where } as Expr },
  };
}
