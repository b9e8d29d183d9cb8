// Step: one word of a coded value's label, checked against the fragment's other words.
// Reads: the fragment's tokens and value mentions, the labels of the coded columns (comments and model).
// Produces: the mentions, where a value was read from one distinctive word of its label and another
// value of the same short list has more of the fragment's words in one of its labels, with the same
// negation, replaced by that value ("a running loan without problems": 'running contract, OK so far',
// labelled "running without problems", not 'contract finished, no problems' for the word "problems").
import { isStopWord } from '@t2s/lexicon';
import type { LexEntry } from '../../lexicon';
import { phraseStems, tokenize, normalize, type Token } from '../../text/tokens';
import type { FragmentContext, ParseContext } from '../context';
import { MAX_CODES } from '../lexicon-index';
import type { Mention } from '../parse-types';
import { FILLER, NEGATIONS } from '../words';

type ValueEntry = Extract<LexEntry, { kind: 'value' }>;

/** Content words of a phrase by stem, each with whether a negation is right before it. */
function wordsOf(tokens: readonly Token[]): Map<string, boolean> {
  const words = new Map<string, boolean>();
  tokens.forEach((t, i) => {
    if (t.kind !== 'word' || FILLER.has(t.stem) || NEGATIONS.has(t.text) || isStopWord(t.text)) return;
    const before = tokens[i - 1];
    words.set(t.stem, before !== undefined && NEGATIONS.has(before.text));
  });
  return words;
}

export function partialLabels(ctx: ParseContext, frag: FragmentContext): FragmentContext {
  const partial = frag.mentions.filter((m) => m.entry.kind === 'value' && m.entry.partial);
  if (partial.length === 0) return frag;
  const said = wordsOf(frag.tokens);
  const agree = (label: string) => {
    let n = 0;
    for (const [stem, negated] of wordsOf(tokenize(normalize(label)))) if (said.get(stem) === negated) n++;
    return n;
  };
  const mentions = frag.mentions.map((m): Mention => {
    if (!partial.includes(m)) return m;
    const entry = m.entry as ValueEntry;
    const labels = ctx.model.labelsOf(entry.column);
    const codes = Object.keys(labels);
    if (codes.length < 2 || codes.length > MAX_CODES) return m;
    const score = (value: string) => {
      const terms = labels[value];
      return Math.max(0, ...[...(terms?.ru ?? []), ...(terms?.en ?? [])].map(agree));
    };
    const own = score(entry.value);
    const scored = codes.map((value) => ({ value, n: score(value) }));
    const top = Math.max(...scored.map((s) => s.n));
    const best = scored.filter((s) => s.n === top);
    if (top <= own || best.length !== 1) return m;
    const value = (best[0] as { value: string }).value;
    return { ...m, entry: { ...entry, value, stems: phraseStems(value), partial: false } };
  });
  return { ...frag, mentions };
}
