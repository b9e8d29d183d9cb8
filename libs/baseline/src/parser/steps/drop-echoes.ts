// Step: attributes named only as an echo of another one's label.
// Reads: the groups, the attributes' vocabularies.
// Produces: the groups without "Облигации — не меньше 40% портфеля"'s second attribute: one named only
// by words of another one's label ("портфель" in "Доля облигаций в портфеле"), with no number, value or
// window of its own, is that one named again.
import type { LexEntry } from '../../lexicon';
import type { ParseContext } from '../context';
import { vocabulary } from '../lexicon-index';
import type { Group } from '../parse-types';

export function dropEchoes(ctx: ParseContext, input: readonly Group[]): Group[] {
  const groups = [...input];
  for (const group of [...groups]) {
    const entry = group.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined;
    if (!entry || group.cmp !== undefined || group.values.length > 0 || entry.attr.type === 'boolean')
      continue;
    // In a window of its own it says something the other does not ("нет покупок за 60 дней").
    if (group.window !== undefined) continue;
    const words = entry.stems;
    const echoed = groups.some((other) => {
      const o = other.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined;
      return (
        other !== group &&
        o !== undefined &&
        other.cmp !== undefined &&
        words.every((w) => vocabulary(ctx.lexicon, o.attr).has(w))
      );
    });
    if (echoed) groups.splice(groups.indexOf(group), 1);
  }
  return groups;
}
