// The lexicon of a model indexed by first stem, and the look-ups the steps make in it. Built once per
// parser; read-only afterwards.
import { isStopWord } from '@t2s/lexicon';
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
  /** The words of coded values' labels (see `labelWords`). */
  readonly labelWords: LabelWords;
}

/**
 * The words of the labels of columns that hold a short list of codes labelled in phrases (Berka's loan
 * status: 'running contract, OK so far', 'running contract, client in debt', ...): by stem, the values of
 * each such column some label of which has the word, and how many labelled values each column has.
 */
export interface LabelWords {
  readonly byStem: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
  readonly values: ReadonlyMap<string, number>;
  /** A label entry of each such value, to mention it by, under `column=value`. */
  readonly entries: ReadonlyMap<string, Extract<LexEntry, { kind: 'value' }>>;
}

/** A coded list is short: its labels can be told apart word by word. */
export const MAX_CODES = 12;

function labelWordsOf(entries: Iterable<LexEntry>): LabelWords {
  const byColumn = new Map<string, Map<string, Set<string>>>();
  const phrased = new Set<string>();
  const first = new Map<string, Extract<LexEntry, { kind: 'value' }>>();
  for (const entry of entries) {
    if (entry.kind !== 'value' || entry.weak) continue;
    if (!first.has(`${entry.column}=${entry.value}`)) first.set(`${entry.column}=${entry.value}`, entry);
    if (entry.stems.length > 1) phrased.add(entry.column);
    const values = byColumn.get(entry.column) ?? new Map<string, Set<string>>();
    const stems = values.get(entry.value) ?? new Set<string>();
    for (const stem of entry.stems)
      if (stem.length > 1 && !FILLER.has(stem) && !isStopWord(stem)) stems.add(stem);
    values.set(entry.value, stems);
    byColumn.set(entry.column, values);
  }
  const byStem = new Map<string, Map<string, Set<string>>>();
  const counts = new Map<string, number>();
  for (const [column, values] of byColumn) {
    if (!phrased.has(column) || values.size < 2 || values.size > MAX_CODES) continue;
    counts.set(column, values.size);
    for (const [value, stems] of values)
      for (const stem of stems) {
        const columns = byStem.get(stem) ?? new Map<string, Set<string>>();
        columns.set(column, (columns.get(column) ?? new Set<string>()).add(value));
        byStem.set(stem, columns);
      }
  }
  const labelled = new Map([...first].filter(([key]) => counts.has(key.slice(0, key.indexOf('=')))));
  return { byStem, values: counts, entries: labelled };
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
  return {
    byFirstStem,
    vocabularies,
    columnStems,
    labelWords: labelWordsOf([...byFirstStem.values()].flat()),
  };
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

/**
 * Whether a Russian word is a verb in the past tense by what its stemmer took off ("приходили": "или"
 * after "приход"), not a noun whose stem ends so ("автомобили": "и").
 */
export function pastVerb(token: Token): boolean {
  return /^(?:[аеиоуыя]?л[аиоь]?|[аеиоуыя]?л(?:ся|ась|ись|ось))$/.test(token.text.slice(token.stem.length));
}

/** Entries that may start at a word of this stem. */
export function candidatesByStem(
  lexicon: LexiconIndex,
  tokenStem: string,
  /** Only entries of the stem itself, none of a stem a letter or two apart. */
  exactOnly = false,
): LexEntry[] {
  const byFirstStem = lexicon.byFirstStem;
  // Values whose first stem is one letter shorter or longer (see valueStemMatches).
  const shorter = byFirstStem.get(tokenStem.slice(0, -1)) ?? [];
  const exact = [
    ...(byFirstStem.get(tokenStem) ?? []),
    ...(tokenStem.length >= 8 ? shorter.filter((e) => e.kind === 'value') : []),
  ];
  if (tokenStem.length < 5 || exactOnly) return exact;
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
