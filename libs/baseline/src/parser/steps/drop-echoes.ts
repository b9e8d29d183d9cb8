// Step: attributes named only as an echo of another one's label.
// Reads: the groups, the attributes' vocabularies.
// Produces: the groups without "Облигации — не меньше 40% портфеля"'s second attribute: one named only
// by words of another one's label ("портфель" in "Доля облигаций в портфеле"), with no number, value or
// window of its own, is that one named again; one with a window the other lacks gives it its window.
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
    const words = entry.stems;
    const echoed = groups.find((other) => {
      const o = other.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined;
      return (
        other !== group &&
        o !== undefined &&
        other.cmp !== undefined &&
        // In a window of its own it says something the other does not ("нет покупок за 60 дней, но 5
        // покупок за 6 месяцев до этого"); a window the other lacks is the other's ("совершили покупки
        // за границей за 3 месяца больше чем на 100 тысяч").
        (group.window === undefined || other.window === undefined) &&
        words.every((w) => vocabulary(ctx.lexicon, o.attr).has(w))
      );
    });
    if (!echoed) continue;
    groups.splice(groups.indexOf(group), 1);
    if (group.window) {
      const index = groups.indexOf(echoed);
      groups[index] = { ...echoed, window: group.window, marks: [...echoed.marks, ...group.marks] };
    }
  }
  return groups;
}
