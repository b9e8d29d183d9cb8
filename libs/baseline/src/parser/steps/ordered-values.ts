// Step: "this tier and above" on an ordered code list.
// Reads: the value mentions, the text right after and before each, the model's `orders` (codes from
// lowest to highest, where the documentation orders them).
// Produces: the mentions, a value followed by "и выше", "or higher", "and above", "+" (or preceded by
// "не ниже", "at least") standing for it and every code above it; "и ниже", "or lower" for it and every
// code below. The words of the comparison are the mention's own, so they are read with it.
import type { LexEntry } from '../../lexicon';
import type { FragmentContext, ParseContext } from '../context';
import type { Mention } from '../parse-types';

// Up to two words may come between ("secondary education or higher", "Gold card and above").
const UP_AFTER =
  /^(?:\s+[a-zа-я]+){0,2}?\s*(?:и выше|или выше|и более высок[а-я]*|и старше|and above|or above|and higher|or higher|or better|and better|\+)(?![a-zа-я])/;
const DOWN_AFTER =
  /^(?:\s+[a-zа-я]+){0,2}?\s*(?:и ниже|или ниже|и хуже|или хуже|and below|or below|and lower|or lower|or worse|and worse)(?![a-zа-я])/;
const UP_BEFORE =
  /(?:не ниже|не хуже|at least|no lower than|not lower than|no worse than|not worse than)\s*$/;
const DOWN_BEFORE =
  /(?:не выше|не лучше|at most|no higher than|not higher than|no better than|not better than)\s*$/;

export function orderedValues(ctx: ParseContext, frag: FragmentContext): FragmentContext {
  const orders = ctx.model.file.orders;
  let changed = false;
  const mentions: Mention[] = [];
  for (const mention of frag.mentions) {
    const entry = mention.entry;
    const order = entry.kind === 'value' ? orders[entry.column] : undefined;
    const at = entry.kind === 'value' && order ? order.indexOf(entry.value) : -1;
    if (!order || at < 0 || entry.kind !== 'value') {
      mentions.push(mention);
      continue;
    }
    // The value's own words: find-mentions moved `start` back to a negation before them, which here is
    // the comparison's own ("not higher than Gold", "не выше среднего").
    const own = mention.wordStart ?? mention.start;
    const after = frag.text.slice(mention.end);
    const before = frag.text.slice(0, own);
    const upAfter = UP_AFTER.exec(after);
    const downAfter = DOWN_AFTER.exec(after);
    const upBefore = UP_BEFORE.exec(before);
    const downBefore = DOWN_BEFORE.exec(before);
    const up = upAfter ?? upBefore;
    const down = downAfter ?? downBefore;
    if (!up && !down) {
      mentions.push(mention);
      continue;
    }
    changed = true;
    const codes = up ? order.slice(at) : order.slice(0, at + 1);
    const phraseBefore = upBefore ?? downBefore;
    const start = phraseBefore ? Math.min(mention.start, own - phraseBefore[0].length) : mention.start;
    const phraseAfter = upAfter ?? downAfter;
    const end = phraseAfter ? mention.end + phraseAfter[0].length : mention.end;
    // "not higher than": the negation is the comparison's, not the value's.
    const { negationAt, wordStart: _wordStart, ...plain } = mention;
    const ownNegation = phraseBefore !== null && negationAt !== undefined && negationAt >= start;
    const base: Mention = ownNegation ? { ...plain, negated: false } : mention;
    for (const value of codes) {
      const widened: Extract<LexEntry, { kind: 'value' }> = { ...entry, value };
      mentions.push({ ...base, entry: widened, start, end });
    }
  }
  return changed ? { ...frag, mentions } : frag;
}
