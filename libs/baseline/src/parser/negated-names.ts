// What a negation before a value, or before an "including", says of the values it reaches.
import { Lexicon, lexiconKey } from '@t2s/lexicon';
import type { Mark } from '../text/quantities';
import { tokenize } from '../text/tokens';
import type { ParseContext } from './context';
import type { Mention } from './parse-types';

/**
 * "never married", "никогда не был женат": a value negated by "never" right before it, where the glossary
 * says the negated phrase as a concept another value of the column is named by ('single'), is that value.
 */
export function negatedNames(ctx: ParseContext, mentions: Mention[], text: string): void {
  const lexicon = Lexicon.load();
  for (const m of mentions) {
    if (m.entry.kind !== 'value' || !m.negated || m.negationAt === undefined) continue;
    const words = text.slice(m.wordStart ?? m.start, m.end);
    const gap = text.slice(m.negationAt, m.wordStart ?? m.start);
    // "not married" may be divorced as well; "never married" is not.
    if (!/^(?:never|никогда)/.test(gap) || tokenize(gap).filter((t) => t.kind === 'word').length > 3)
      continue;
    const ru = /[а-яё]/.test(words);
    const concepts = lexicon.negatedGlossary(lexiconKey(words, ru ? 'ru' : 'en'));
    if (concepts.length === 0) continue;
    const { column, value } = m.entry;
    const labels = ctx.model.labelsOf(column);
    const values = [...new Set([...(ctx.model.graph.column(column)?.values ?? []), ...Object.keys(labels)])];
    const named = values.find(
      (v) =>
        v !== value &&
        [v, ...(labels[v]?.en ?? [])].some((name) => concepts.includes(lexiconKey(name, 'en'))),
    );
    if (named === undefined) continue;
    m.entry = { ...m.entry, value: named };
    m.negated = false;
  }
}

const INCLUDING = /(?:\(|,|—|–)\s*(?:в том числе|включая|including|incl\.?|in particular)(?![a-zа-я])/g;

/**
 * "ни разу не брали кредит (в том числе кредитную карту)", "no loans, including credit cards": what is
 * named after "в том числе", "including" a negated mention is negated too. Sets the negation of those
 * mentions; returns the marks of the "including" words (they say nothing more).
 */
export function includedIn(mentions: Mention[], text: string): Mark[] {
  const marks: Mark[] = [];
  for (const match of text.matchAll(INCLUDING)) {
    const from = match.index + match[0].length;
    const bracket = match[0].trimStart().startsWith('(');
    const close = bracket ? text.indexOf(')', from) : text.slice(from).search(/[,;]/) + from;
    const to = close < from ? text.length : close;
    const before = mentions.filter((m) => m.end <= match.index).at(-1);
    const inside = mentions.filter((m) => m.start >= from && m.end <= to);
    // Said of what one has ("с кредитами, включая кредитные карты"), it is either; that is left reported.
    if (!before?.negated || inside.length === 0) continue;
    for (const m of inside) m.negated = true;
    marks.push({ start: match.index, end: from });
  }
  return marks;
}
