// Step: a ratio to another attribute ("Доход в 1,5 раза выше средней зарплаты в регионе", "income at
// least 1.5 times that regional average").
// Reads: `text`, the groups, comparisons.
// Produces: the first scalar numeric attribute compared with the second one's value (on the same rows)
// times the ratio; the second attribute's group taken out, and the ratio's number no comparison of its
// own (left out of the fragment's comparisons).
import type { LexEntry } from '../../lexicon';
import type { FragmentContext } from '../context';
import { cloneGroups } from '../groups';
import type { Group } from '../parse-types';

const RATIO =
  /(не менее чем|не менее|не меньше|at least|no less than|more than|over)?\s*(?:в\s+)?(\d+(?:[.,]\d+)?)\s*(?:раза|раз|times)(?![a-zа-я])(?:\s+(выше|больше|ниже|меньше|higher than|more than|lower than|less than|above|below|as high as))?/;

export function ratio(
  frag: FragmentContext,
  input: readonly Group[],
): { frag: FragmentContext; groups: readonly Group[] } {
  const match = RATIO.exec(frag.text);
  if (!match) return { frag, groups: input };
  const groups = cloneGroups(input);
  const scalar = groups.filter((g) => {
    const a = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
    return a?.type === 'number' && a.measure.kind === 'scalar';
  });
  const [subject, reference] = scalar;
  const a = (subject?.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
  const b = (reference?.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
  if (!subject || !reference || !a || !b || a.measure.table !== b.measure.table)
    return { frag, groups: input };
  const times = Number((match[2] as string).replace(',', '.'));
  const before = match[1] ?? '';
  const after = match[3] ?? '';
  const op = /ниже|меньше|lower|less|below|under/.test(after)
    ? 'lt'
    : /выше|больше|higher|more|above|over/.test(after) && !/не менее|не меньше|at least|no less/.test(before)
      ? 'gt'
      : 'gte';
  const mark = { start: match.index, end: match.index + match[0].length };
  subject.cmp = { cmp: { op, value: { attr: b.name, times } }, ...mark };
  subject.marks.push(mark, ...reference.marks);
  groups.splice(groups.indexOf(reference), 1);
  // The number of "в 1,5 раза" is the ratio's, not a comparison of its own.
  const comparisons = frag.comparisons.filter((c) => !(c.start < mark.end && mark.start < c.end));
  return { frag: { ...frag, comparisons }, groups };
}
