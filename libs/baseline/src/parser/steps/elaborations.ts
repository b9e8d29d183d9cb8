// Step: a list in brackets that spells out what the words before it mean.
// Reads: the value mentions, the brackets of the fragment's text.
// Produces: where two or more values of one column stand in brackets right after a negated mention of
// that column's value in the same clause ("anything except success (failure, other or unknown)",
// "education not primary (secondary or tertiary)"), the listed values as they are written, not
// negated, and the values before the brackets read as words of the list (fillers): the list says
// exactly which codes are meant.
import type { LexEntry } from '../../lexicon';
import type { Mark } from '../../text/quantities';
import type { FragmentContext } from '../context';
import type { Mention } from '../parse-types';

export function elaborations(frag: FragmentContext): FragmentContext {
  let { mentions } = frag;
  const fillers: Mark[] = [];
  for (const bracket of frag.text.matchAll(/\(([^()]*)\)/g)) {
    const open = bracket.index;
    const close = open + bracket[0].length;
    const listed = mentions.filter((m) => isValue(m) && (m.wordStart ?? m.start) > open && m.end < close);
    for (const column of new Set(listed.map(columnOf))) {
      const list = listed.filter((m) => columnOf(m) === column);
      if (new Set(list.map(valueOf)).size < 2) continue;
      // The words before the bracket, back to the clause's start.
      const clause = Math.max(
        0,
        ...[...frag.text.slice(0, open).matchAll(/[;.\n]/g)].map((m) => m.index + 1),
      );
      const before = mentions.filter(
        (m) => isValue(m) && columnOf(m) === column && (m.wordStart ?? m.start) >= clause && m.end <= open,
      );
      // Only a negation is spelt out: after a value said positively the list adds to it ("высшее
      // образование (включая второе высшее или учёную степень)").
      if (before.length === 0 || !before.every((m) => m.negated)) continue;
      fillers.push(...before.map((m) => ({ start: m.wordStart ?? m.start, end: m.end })));
      mentions = mentions
        .filter((m) => !before.includes(m))
        .map((m): Mention => {
          if (!list.includes(m) || !m.negated) return m;
          const { negationAt: _at, wordStart, ...rest } = m;
          return { ...rest, start: wordStart ?? m.start, negated: false };
        });
    }
  }
  return fillers.length === 0 ? frag : { ...frag, mentions, fillers: [...frag.fillers, ...fillers] };
}

function isValue(m: Mention): boolean {
  return m.entry.kind === 'value';
}

function valueOf(m: Mention): string {
  return (m.entry as Extract<LexEntry, { kind: 'value' }>).value;
}

function columnOf(m: Mention): string {
  return (m.entry as Extract<LexEntry, { kind: 'value' }>).column;
}
