// What the second reading links words to (@t2s/lexicon): every value of the catalog's short value lists
// and every labelled code, with its labels in both languages, and every attribute by its terms and
// labels. Built once per parser, on first use: a parser that never meets an unread word never builds it.
import { ValueMatcher, type ValueEntry } from '@t2s/lexicon';
import type { SemanticModel } from '@t2s/semantic';
import { columnHead, measureOf, measureOwnWords, NUMERIC_COLUMN } from '../column-heads';

/** Columns with more distinct values than this are linked by their labels only. */
const MAX_LINKED_VALUES = 100;

/** The pseudo-column under which attributes are filed, by name. */
export const ATTRIBUTE_COLUMN = '@attribute';

/** The pseudo-column under which numeric columns are filed, by `table.column`. */
export const NUMBER_COLUMN = '@number';

export interface Linker {
  /** Values of the warehouse. */
  readonly values: ValueMatcher;
  /** Attributes, so a word in the other language reaches one whose terms are in one language only. */
  readonly attributes: ValueMatcher;
  /** Every spelling (own and labels) of each value and attribute, by `column=value`. */
  readonly names: ReadonlyMap<string, readonly string[]>;
}

export function linkerOf(model: SemanticModel, columns: Iterable<string> = []): () => Linker {
  let linker: Linker | undefined;
  return () => {
    if (linker) return linker;
    const values = valueEntries(model);
    const attributes = [
      ...model.allAttributes().map((a): ValueEntry => ({
        column: ATTRIBUTE_COLUMN,
        value: a.name,
        labels: { ru: [...a.terms.ru, a.label.ru], en: [...a.terms.en, a.label.en] },
      })),
      ...numberColumnEntries(model, columns),
    ];
    const names = new Map(
      [...values, ...attributes].map((e) => [
        `${e.column}=${e.value}`,
        [e.value, ...[e.labels?.ru ?? [], e.labels?.en ?? []].flat()],
      ]),
    );
    linker = { values: new ValueMatcher(values), attributes: new ValueMatcher(attributes), names };
    return linker;
  };
}

/**
 * Numeric columns the lexicon names by their comment ("unemployment rate '96"), so a word in the other
 * language reaches them too ("уровень безработицы"); filed under NUMBER_COLUMN by `table.column`.
 */
function numberColumnEntries(model: SemanticModel, columns: Iterable<string>): ValueEntry[] {
  const heads: { ref: string; head: string; measure: string }[] = [];
  for (const ref of new Set(columns)) {
    const column = model.graph.column(ref);
    if (!column || !NUMERIC_COLUMN.test(column.type)) continue;
    const head = columnHead(column.comment);
    if (head.length >= 3) heads.push({ ref, head, measure: measureOf(ref.split('.')[0] as string, head) });
  }
  // A long word only one measure's head has names it alone ("безработица": unemployment).
  const own = measureOwnWords(
    heads.map(({ ref, head, measure }) => ({
      ref,
      measure,
      words: head.toLowerCase().match(/\p{L}{6,}/gu) ?? [],
    })),
  );
  return heads.map(({ ref, head }) => {
    const language = /[а-яё]/i.test(head) ? 'ru' : 'en';
    return { column: NUMBER_COLUMN, value: ref, labels: { [language]: [head, ...(own.get(ref) ?? [])] } };
  });
}

function valueEntries(model: SemanticModel): ValueEntry[] {
  const entries: ValueEntry[] = [];
  for (const table of model.catalog.tables) {
    if (table.schema !== model.schema) continue;
    for (const column of table.columns) {
      const ref = `${table.name}.${column.name}`;
      const labels = model.labelsOf(ref);
      // Long lists (merchants, product names) are named exactly, which the lexicon does already;
      // other spellings and languages are for the short lists of places, kinds and codes.
      const listed = (column.values?.length ?? 0) <= MAX_LINKED_VALUES ? (column.values ?? []) : [];
      for (const value of new Set([...listed, ...Object.keys(labels)])) {
        const terms = labels[value];
        entries.push({ column: ref, value, ...(terms ? { labels: { ru: terms.ru, en: terms.en } } : {}) });
      }
    }
  }
  return entries;
}
