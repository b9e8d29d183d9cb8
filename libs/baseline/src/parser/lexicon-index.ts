// The lexicon of a model indexed by first stem, and the look-ups the steps make in it. Built once per
// parser; read-only afterwards.
import type { Attribute, SemanticModel } from '@t2s/semantic';
import { buildLexicon, type LexEntry } from '../lexicon';
import { phraseStems, type Token } from '../text/tokens';
import { stemsClose } from './matching';
import { FILLER } from './words';

export interface LexiconIndex {
  /** Entries by their first stem; values matched on the exact word under `=word`. */
  readonly byFirstStem: ReadonlyMap<string, readonly LexEntry[]>;
  /** Stems of each attribute's terms and labels, fillers left out (see `vocabulary`). */
  readonly vocabularies: ReadonlyMap<string, ReadonlySet<string>>;
  /** Stems of each column's names (its `column` entries), by `table.column`. */
  readonly columnStems: ReadonlyMap<string, readonly string[]>;
}

export function lexiconIndex(model: SemanticModel): LexiconIndex {
  const byFirstStem = new Map<string, LexEntry[]>();
  for (const entry of buildLexicon(model)) {
    const first =
      entry.kind === 'value' && entry.exact ? `=${entry.stems[0] as string}` : (entry.stems[0] as string);
    const list = byFirstStem.get(first) ?? [];
    list.push(entry);
    byFirstStem.set(first, list);
  }
  const vocabularies = new Map(model.allAttributes().map((a) => [a.name, vocabularyOf(a)] as const));
  const columnStems = new Map<string, string[]>();
  for (const entries of byFirstStem.values())
    for (const entry of entries)
      if (entry.kind === 'column')
        columnStems.set(entry.column, [...(columnStems.get(entry.column) ?? []), ...entry.stems]);
  return { byFirstStem, vocabularies, columnStems };
}

function vocabularyOf(attr: Attribute): ReadonlySet<string> {
  const { terms, label } = attr;
  const stems = new Set([...terms.ru, ...terms.en, label.ru, label.en].flatMap(phraseStems));
  for (const stem of FILLER) stems.delete(stem);
  return stems;
}

/** The stems of an attribute's own terms and labels: words that belong to its mention. */
export function vocabulary(lexicon: LexiconIndex, attr: Attribute): ReadonlySet<string> {
  return lexicon.vocabularies.get(attr.name) ?? vocabularyOf(attr);
}

/** Whether a phrase is, word for word, a label of some value. */
export function isLabel(lexicon: LexiconIndex, phrase: string): boolean {
  const stems = phraseStems(phrase);
  return (lexicon.byFirstStem.get(stems[0] ?? '') ?? []).some(
    (e) => e.kind === 'value' && e.stems.length === stems.length && e.stems.every((s, i) => s === stems[i]),
  );
}

/** "pay [leasing] by permanent order": a word that names a value is never skipped inside a term. */
export function namesValue(lexicon: LexiconIndex, token: Token): boolean {
  return (
    (lexicon.byFirstStem.get(token.stem) ?? []).some((e) => e.kind === 'value' && e.stems.length === 1) ||
    lexicon.byFirstStem.has(`=${token.text}`)
  );
}

/** Entries that may start at a word of this stem. */
export function candidatesByStem(lexicon: LexiconIndex, tokenStem: string): LexEntry[] {
  const byFirstStem = lexicon.byFirstStem;
  // Values whose first stem is one letter shorter or longer (see valueStemMatches).
  const shorter = byFirstStem.get(tokenStem.slice(0, -1)) ?? [];
  const exact = [
    ...(byFirstStem.get(tokenStem) ?? []),
    ...(tokenStem.length >= 8 ? shorter.filter((e) => e.kind === 'value') : []),
  ];
  if (tokenStem.length < 5) return exact;
  // Stems of the same word may differ in a letter or two ("кредитк" / "кредитн"): long prefixes match.
  const prefix = tokenStem.slice(0, 5);
  const near: LexEntry[] = [];
  for (const [first, entries] of byFirstStem) {
    if (
      first !== tokenStem &&
      first.length >= 5 &&
      first.startsWith(prefix) &&
      stemsClose(first, tokenStem)
    ) {
      near.push(...entries);
    }
  }
  return [...exact, ...near];
}
