// The words that name what a fragment's criteria read: the tables and columns of their conditions and
// measures, by the model's terms and labels and the lexicon's column names, a word of the other language
// whose dictionary senses meet them ("средним" next to a balance documented as "average yearly balance"),
// and a word the domain glossary says what was read with ("счёте" of "остаток на счёте"). Such a word left
// over is no news ("категории" next to an MCC category read, "district" next to a district's figure
// read): it is counted as read, not reported. So is a word that a product is in force ("valid",
// "действующий", "open") when a criterion reads the state of a product's rows.
import { predicatesOf, type Expr, type RowCondition } from '@t2s/semantic';
import { Lexicon, lexiconKey, wordSenses } from '@t2s/lexicon';
import { phraseStems, type Token } from '../text/tokens';
import { conditionColumns } from './conditions';
import type { ParseContext } from './context';
import { STATE_COLUMN } from './products';
import { IN_FORCE } from './words';

export function readVocabulary(ctx: ParseContext, exprs: readonly Expr[]): (token: Token) => boolean {
  const tables = new Set<string>();
  const columns = new Set<string>();
  // An attribute's own words ("balance" of the average yearly balance, read from a number in euros).
  const named: string[] = [];
  const column = (ref: string) => {
    columns.add(ref);
    tables.add(ref.split('.')[0] as string);
  };
  // Columns the criteria hold a condition on (not those that only could refine them).
  const held = new Set<string>();
  const condition = (cond: RowCondition | undefined): void =>
    conditionColumns(cond).forEach((ref) => {
      held.add(ref);
      column(ref);
    });
  for (const e of exprs.flatMap(predicatesOf)) {
    condition(e.where);
    if (e.type === 'attr') {
      const attr = ctx.model.attribute(e.attr);
      if (!attr) continue;
      named.push(...attr.terms.ru, ...attr.terms.en, attr.label.ru, attr.label.en);
      tables.add(attr.measure.table);
      if (attr.measure.kind !== 'scalar') condition(attr.measure.where);
      if (attr.measure.kind === 'aggregate' && attr.measure.column) column(attr.measure.column);
      for (const ref of attr.refinements) column(ref);
      continue;
    }
    if (e.table) tables.add(e.table);
    if (e.type === 'related' && e.window) column(e.window.column);
    if (e.type === 'aggregate') {
      if (e.column) column(e.column);
      condition(e.share);
    }
  }
  const file = ctx.model.file;
  // "счетов, открытых до 1995 года": a condition on the date a table's rows have speaks the words of
  // holding such a row ("счёт открыт").
  for (const table of tables) {
    const date = file.tables[table]?.date;
    if (!date || !held.has(`${table}.${date}`)) continue;
    for (const a of ctx.model.allAttributes())
      if (
        a.type === 'boolean' &&
        a.measure.kind === 'related' &&
        a.measure.table === table &&
        !a.measure.where
      )
        named.push(...a.terms.ru, ...a.terms.en);
  }
  const words: string[] = [...named];
  for (const table of tables) {
    // A table's own name is often a word of the language ("district", "loan", "client_product").
    words.push(table.replace(/_/g, ' '));
    const terms = file.tables[table];
    words.push(...(terms?.terms?.ru ?? []), ...(terms?.terms?.en ?? []));
    if (terms?.label) words.push(terms.label.ru, terms.label.en);
  }
  // A column's terms, and its own name, often a word too ("previous": the contacts before this campaign).
  for (const ref of columns)
    words.push(
      ...(file.columns[ref]?.ru ?? []),
      ...(file.columns[ref]?.en ?? []),
      (ref.split('.')[1] as string).replace(/_/g, ' '),
    );
  const stems = new Set(words.flatMap(phraseStems));
  if ([...held].some((ref) => STATE_COLUMN.test(ref.split('.')[1] as string)))
    for (const stem of IN_FORCE) stems.add(stem);
  for (const ref of columns) for (const stem of ctx.lexicon.columnStems.get(ref) ?? []) stems.add(stem);
  if (stems.size === 0) return () => false;
  const lexicon = Lexicon.load();
  // "остатком на счёте" beside a balance read: the glossary says the balance with that word.
  const saidWith = (token: Token) =>
    lexicon
      .glossaryWith(lexiconKey(token.text, 'ru'))
      .some((key) => key.split(' ').every((w) => stems.has(w)));
  return (token) =>
    token.kind === 'word' &&
    (stems.has(token.stem) ||
      (/[а-яё]/.test(token.text) &&
        (wordSenses(token.text, lexicon).some((sense) => stems.has(sense)) || saidWith(token))));
}
