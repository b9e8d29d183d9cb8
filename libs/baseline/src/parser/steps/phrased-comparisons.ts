// Step: words that carry their own comparison ("многодетные": at least 3 children).
// Reads: the groups' attribute mentions.
// Produces: groups with no number written for them given the comparison their words say.
import type { LexEntry } from '../../lexicon';
import { cloneGroups } from '../groups';
import type { Group, Mention } from '../parse-types';

export function phrasedComparisons(input: readonly Group[]): Group[] {
  const groups = cloneGroups(input);
  for (const group of groups) {
    if (group.cmp !== undefined || !group.attr) continue;
    const phrased = group.marks.find(
      (m): m is Mention =>
        'entry' in m && (m as Mention).entry.kind === 'attr' && 'cmp' in (m as Mention).entry,
    );
    const cmp = phrased && (phrased.entry as Extract<LexEntry, { kind: 'attr' }>).cmp;
    if (phrased && cmp) group.cmp = { cmp, start: phrased.start, end: phrased.end };
  }
  return groups;
}
