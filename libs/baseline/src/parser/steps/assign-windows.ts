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
import type { Group, Mention } from '../parse-types';

export function assignWindows(frag: FragmentContext, input: readonly Group[]): Group[] {
  const groups = cloneGroups(input);
  for (const window of frag.windows) {
    const dated = datedWindow(frag, window);
    if (dated) {
      groups.push(dated);
      continue;
    }
    const owner = ownerOf(frag.text, groups, window);
    if (owner) owner.window = window;
  }
  return groups;
}

/** A comma, a dash or "но"/"but" between two words: they are in two clauses. */
const CLAUSE_BREAK = /[,;—–]|\s(?:но|а|but)\s/;

/**
 * The attribute a window bounds: the last one written before it in its clause ("траты за последние 3
 * месяца"), else the first after it in its clause ("..., но за последний год не оформляли страховку"),
 * else the last one before it, else the first group.
 */
function ownerOf(text: string, groups: readonly Group[], window: WindowMention): Group | undefined {
  const attributed = groups.filter((g) => g.attr !== undefined);
  const before = [...attributed].reverse().find((g) => (g.attr as Mention).start <= window.start);
  const after = attributed.find((g) => (g.attr as Mention).start >= window.end);
  const apart = (from: number, to: number) => CLAUSE_BREAK.test(text.slice(from, to));
  if (before && !apart((before.attr as Mention).end, window.start)) return before;
  if (after && !apart(window.end, (after.attr as Mention).start)) return after;
  return before ?? groups[0];
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
