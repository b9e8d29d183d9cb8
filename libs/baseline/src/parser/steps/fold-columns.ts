// Step: yes/no columns of a measured attribute's rows ("Онлайн-покупки более 10 тыс. в месяц").
// Reads: the groups.
// Produces: with exactly one numeric aggregate attribute with a number, the column-only groups on its
// table (the purchase is online) folded into it as conditions on its rows; not criteria of their own.
import type { LexEntry } from '../../lexicon';
import { conditionColumns } from '../conditions';
import { cloneGroups } from '../groups';
import type { Group } from '../parse-types';

export function foldColumns(input: readonly Group[]): readonly Group[] {
  const groups = cloneGroups(input);
  const numeric = groups.filter((g) => {
    const a = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
    return a?.type === 'number' && a.measure.kind === 'aggregate' && g.cmp !== undefined;
  });
  if (numeric.length !== 1) return input;
  const target = numeric[0] as Group;
  const table = (
    (target.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr.measure as { table: string }
  ).table;
  for (const g of [...groups]) {
    if (g === target || g.attr || g.values.length > 0 || g.extraWhere.length === 0 || g.negated) continue;
    if (!g.extraWhere.every((c) => conditionColumns(c).every((col) => col.startsWith(`${table}.`)))) continue;
    target.extraWhere.push(...g.extraWhere);
    target.marks.push(...g.marks);
    groups.splice(groups.indexOf(g), 1);
  }
  return groups;
}
