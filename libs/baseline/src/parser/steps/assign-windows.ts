// Step: each time window of the fragment to what it bounds.
// Reads: windows, column mentions, the groups.
// Produces: a window right after a date column named in the fragment bounds that date (a group of its
// own: "ни одного продукта, открытого за последние 2 года"); any other goes to the last attribute
// written before it, else to the first group.
import type { LexEntry } from '../../lexicon';
import type { WindowMention } from '../../text/quantities';
import { DATE_TYPE } from '../conditions';
import type { FragmentContext } from '../context';
import { cloneGroups } from '../groups';
import type { Group } from '../parse-types';

export function assignWindows(frag: FragmentContext, input: readonly Group[]): Group[] {
  const groups = cloneGroups(input);
  for (const window of frag.windows) {
    const dated = datedWindow(frag, window);
    if (dated) {
      groups.push(dated);
      continue;
    }
    const owner = [...groups].reverse().find((g) => g.attr && g.attr.start <= window.start) ?? groups[0];
    if (owner) owner.window = window;
  }
  return groups;
}

/** A date column named right before the window, with no attribute between them: its date is in the window. */
function datedWindow(frag: FragmentContext, window: WindowMention): Group | undefined {
  const mentions = frag.mentions;
  const column = mentions.find(
    (m) =>
      m.entry.kind === 'column' &&
      DATE_TYPE.test((m.entry as Extract<LexEntry, { kind: 'column' }>).type) &&
      m.end <= window.start &&
      window.start - m.end <= 12 &&
      !mentions.some((a) => a.entry.kind === 'attr' && a.start >= m.end && a.end <= window.start),
  );
  if (!column) return undefined;
  return {
    attr: undefined,
    extraWhere: [
      {
        column: (column.entry as Extract<LexEntry, { kind: 'column' }>).column,
        cmp: { op: 'gt', value: { now: true, minus: window.span } },
      },
    ],
    values: [],
    cmp: undefined,
    window: undefined,
    perMonth: false,
    marks: [column, window],
    negated: column.negated,
  };
}
