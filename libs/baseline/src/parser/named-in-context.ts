// Whether the rest of a fragment names what a word may be a value of: the fragment's other words, or a
// Russian word's dictionary senses, meet the column's comment head or terms (the attribute's label and
// terms), or a number in the fragment is in its unit. A word of many senses links where it does
// ("итог прошлой кампании — неудача": the outcome of the previous campaign), and a word two columns hold
// goes to the one named ("образование неизвестно": the education's "unknown").
import { Lexicon, wordSenses } from '@t2s/lexicon';
import type { Attribute } from '@t2s/semantic';
import { columnHead } from '../column-heads';
import { phraseStems } from '../text/tokens';
import { unitsAgree } from '../text/units';
import type { FragmentContext, ParseContext } from './context';
import { FILLER } from './words';

export type Named = { attr?: Attribute | undefined; column?: string };

/** Whether the fragment, its tokens first..last left out, names the attribute or column. */
export function namedInContext(
  ctx: ParseContext,
  frag: FragmentContext,
  { attr, column }: Named,
  first: number,
  last: number,
): boolean {
  const names: string[] = attr ? [attr.label.en, attr.label.ru, ...attr.terms.en, ...attr.terms.ru] : [];
  if (column) {
    const terms = ctx.model.file.columns[column];
    names.push(
      columnHead(ctx.model.graph.column(column)?.comment),
      ...(terms?.en ?? []),
      ...(terms?.ru ?? []),
    );
  }
  const unit =
    attr?.unit ??
    (column
      ? ctx.model.allAttributes().find((a) => a.terms.en.some((t) => names.includes(t)))?.unit
      : undefined);
  if (unit && frag.comparisons.some((c) => c.unit !== undefined && unitsAgree(unit, c.unit))) return true;
  const stems = new Set(names.flatMap(phraseStems).filter((s) => s.length >= 4));
  if (stems.size === 0) return false;
  const lexicon = Lexicon.load();
  return frag.tokens.some(
    (t, i) =>
      (i < first || i > last) &&
      t.kind === 'word' &&
      !FILLER.has(t.stem) &&
      (stems.has(t.stem) ||
        (/[а-яё]/i.test(t.text) && wordSenses(t.text, lexicon).some((sense) => stems.has(sense)))),
  );
}
