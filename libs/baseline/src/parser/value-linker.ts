// The values of a model's warehouse as the value linker (@t2s/lexicon) reads them: every value of the
// catalog's value index and every labelled code, with the labels in both languages. Built once per
// parser, lazily: a parser that never meets an unknown word never builds it.
import { ValueMatcher, type ValueEntry } from '@t2s/lexicon';
import type { SemanticModel } from '@t2s/semantic';

/** Columns with more distinct values than this are linked by their labels only. */
const MAX_LINKED_VALUES = 100;

export function valueEntries(model: SemanticModel): ValueEntry[] {
  const entries: ValueEntry[] = [];
  for (const table of model.catalog.tables) {
    if (table.schema !== model.schema) continue;
    for (const column of table.columns) {
      const ref = `${table.name}.${column.name}`;
      const labels = model.labelsOf(ref);
      // Long lists (merchants, product names) are named exactly, which the lexicon does already;
      // other spellings and languages are for the short lists of places, kinds and codes.
      const listed = (column.values?.length ?? 0) <= MAX_LINKED_VALUES ? (column.values ?? []) : [];
      const values = new Set([...listed, ...Object.keys(labels)]);
      for (const value of values) {
        const terms = labels[value];
        entries.push({ column: ref, value, ...(terms ? { labels: { ru: terms.ru, en: terms.en } } : {}) });
      }
    }
  }
  return entries;
}

export function valueLinker(model: SemanticModel): () => ValueMatcher {
  let matcher: ValueMatcher | undefined;
  return () => (matcher ??= new ValueMatcher(valueEntries(model)));
}

/** Every spelling of each linked value, its own and its labels', by `table.column=value`. */
export type ValueNames = ReadonlyMap<string, readonly string[]>;

export function valueNames(model: SemanticModel): () => ValueNames {
  let names: Map<string, string[]> | undefined;
  return () => {
    if (names) return names;
    names = new Map();
    for (const entry of valueEntries(model)) {
      const labels = [entry.labels?.ru ?? [], entry.labels?.en ?? []].flat();
      names.set(`${entry.column}=${entry.value}`, [entry.value, ...labels]);
    }
    for (const [key, spellings] of attributeNames(model)) names.set(key, [...spellings]);
    return names;
  };
}

/** The pseudo-column under which the attribute linker files attributes, by name. */
export const ATTRIBUTE_COLUMN = '@attribute';

/**
 * The model's attributes as the value linker reads them: each by its name, its terms and labels being
 * the spellings, so a word in the other language ("баланс", "жилищный кредит") reaches an attribute
 * whose terms are in one language only (a model bootstrapped from English comments).
 */
export function attributeLinker(model: SemanticModel): () => ValueMatcher {
  let matcher: ValueMatcher | undefined;
  return () =>
    (matcher ??= new ValueMatcher(
      model.allAttributes().map((a) => ({
        column: ATTRIBUTE_COLUMN,
        value: a.name,
        labels: { ru: [...a.terms.ru, a.label.ru], en: [...a.terms.en, a.label.en] },
      })),
    ));
}

/** Every spelling of each attribute, by name. */
export function attributeNames(model: SemanticModel): ReadonlyMap<string, readonly string[]> {
  return new Map(
    model
      .allAttributes()
      .map((a) => [`${ATTRIBUTE_COLUMN}=${a.name}`, [...a.terms.ru, ...a.terms.en, a.label.ru, a.label.en]]),
  );
}
