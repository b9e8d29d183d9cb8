// Words of a value's own name written before the value, read as a value of another column.
import { Lexicon, lexiconKey } from '@t2s/lexicon';
import { labelsFromComment, type LexEntry } from '../lexicon';
import { normalize, tokenize, type Token } from '../text/tokens';
import type { ParseContext } from './context';
import { stemsClose } from './matching';
import type { Mention } from './parse-types';

/**
 * "Chinese yuan" ('CNY', labelled "китайский юань"): a one-word value right before a value of another
 * column whose own name has that word (in either language) is a word of that name, not a value of its own
 * (no Chinese car brand). Returns the mentions with such words joined to the value after them.
 */
export function ownNameWords(
  ctx: ParseContext,
  mentions: Mention[],
  tokens: readonly Token[],
  text: string,
): Mention[] {
  const lexicon = Lexicon.load();
  const names = (m: Mention) => {
    const entry = m.entry as Extract<LexEntry, { kind: 'value' }>;
    const labels = ctx.model.labelsOf(entry.column)[entry.value];
    const commented = labelsFromComment(ctx.model.graph.column(entry.column)?.comment ?? null)
      .filter((l) => l.value === entry.value)
      .map((l) => l.label);
    return [entry.value, ...(labels?.ru ?? []), ...(labels?.en ?? []), ...commented];
  };
  const namesWord = (m: Mention, token: Token) => {
    const ru = /[а-яё]/.test(token.text);
    const key = lexiconKey(token.text, ru ? 'ru' : 'en');
    return names(m).some((name) =>
      tokenize(normalize(name)).some((w) => {
        if (w.kind !== 'word') return false;
        if (w.stem === token.stem) return true;
        const cyrillic = /[а-яё]/.test(w.text);
        if (cyrillic === ru) return false;
        const [russian, english] = cyrillic
          ? [lexiconKey(w.text, 'ru'), key]
          : [key, lexiconKey(w.text, 'en')];
        return lexicon.russian(russian).some((sense) => stemsClose(sense, english));
      }),
    );
  };
  const joined = new Set<Mention>();
  const valueOf = (m: Mention) => (m.entry as Extract<LexEntry, { kind: 'value' }>).value;
  for (const next of mentions) {
    if (next.entry.kind !== 'value' || joined.has(next)) continue;
    const before = mentions.filter(
      (m) =>
        m.entry.kind === 'value' &&
        m.first === m.last &&
        m.last === next.first - 1 &&
        /^\s+$/.test(text.slice(m.end, next.start)) &&
        (m.entry as Extract<LexEntry, { kind: 'value' }>).column !==
          (next.entry as Extract<LexEntry, { kind: 'value' }>).column,
    );
    if (before.length === 0 || !namesWord(next, tokens[next.first - 1] as Token)) continue;
    for (const m of before) joined.add(m);
    // The same value in other columns, named by the same words, takes the word too.
    const first = next.first;
    for (const same of mentions)
      if (
        same.entry.kind === 'value' &&
        same.first === first &&
        same.last === next.last &&
        valueOf(same) === valueOf(next)
      ) {
        same.first = first - 1;
        same.start = (tokens[first - 1] as Token).start;
      }
  }
  return mentions.filter((m) => !joined.has(m));
}
