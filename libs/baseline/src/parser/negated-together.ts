// "excluding blue-collar workers and housemaids", "без ипотеки и потребкредита": mentions joined by
// "and", "or" or a comma share the negation of the first, when they are of a kind: values of one
// column, or yes/no attributes.
import { phraseStems } from '../text/tokens';
import type { Mention } from './parse-types';
import { FILLER } from './words';

/** The mentions (in text order), a copy of each that takes the negation before it. */
export function negatedTogether(mentions: readonly Mention[], text: string): Mention[] {
  const out: Mention[] = [];
  for (const mention of mentions) {
    const before = out.at(-1);
    const joined =
      before !== undefined &&
      before.negated &&
      !mention.negated &&
      mention.negationAt === undefined &&
      ofAKind(before, mention) &&
      joins(text.slice(before.end, mention.wordStart ?? mention.start));
    out.push(joined ? { ...mention, negated: true } : mention);
  }
  return out;
}

/** Only commas, "and", "or" and filler words ("workers") between. */
function joins(between: string): boolean {
  return !/[;:.()]/.test(between) && phraseStems(between).every((stem) => FILLER.has(stem));
}

function ofAKind(a: Mention, b: Mention): boolean {
  if (a.entry.kind === 'value' && b.entry.kind === 'value') return a.entry.column === b.entry.column;
  return (
    a.entry.kind === 'attr' &&
    b.entry.kind === 'attr' &&
    a.entry.attr.type === 'boolean' &&
    b.entry.attr.type === 'boolean'
  );
}
