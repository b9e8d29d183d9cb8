// Step: yes/no columns named alone ("VIP-клиенты", "is resident").
// Reads: column mentions not in a group and overlapped by no other mention.
// Produces: a group per such column, true (or, negated, excluded). Not in `explicit` mode.
import type { LexEntry } from '../../lexicon';
import { columnMentions, type FragmentContext } from '../context';
import type { Group } from '../parse-types';

export function booleanColumns(frag: FragmentContext, groups: readonly Group[]): readonly Group[] {
  if (frag.explicit) return groups;
  const added: Group[] = [];
  for (const mention of columnMentions(frag)) {
    const entry = mention.entry as Extract<LexEntry, { kind: 'column' }>;
    if (entry.type !== 'boolean' || groups.some((g) => g.marks.includes(mention))) continue;
    if (
      frag.mentions.some(
        (m) =>
          m !== mention && m.entry.kind !== 'column' && !(m.last < mention.first || m.first > mention.last),
      )
    )
      continue;
    added.push({
      attr: undefined,
      extraWhere: [{ column: entry.column, cmp: { op: 'eq', value: true } }],
      values: [],
      cmp: undefined,
      window: undefined,
      perMonth: false,
      marks: [mention],
      negated: mention.negated,
    });
  }
  return [...groups, ...added];
}
