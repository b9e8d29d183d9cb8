import type { SemanticModelFile, Terms } from '../semantic-model.schema';

/**
 * A column is often named by the noun its comment ends on alone ("balance" for "average yearly
 * balance", "job" for "type of job", "salary" for "average salary"), and a word of the other language
 * reaches it through the dictionary only as that one word ("остаток": balance). Such a noun becomes a
 * term of its column, and of the attributes named by the same phrase, when it is distinctive: no other
 * column or table of the model has a word of its stem, it is no name of a kind of quantity ("number",
 * "amount", "date") and it is long enough to mean something. Only English phrases: a Russian head puts
 * its noun first and its qualifiers after, and the English words of a column documented in Russian or not
 * at all are its name's ("payments made"), not a phrase.
 */
export function withHeadNouns(
  file: SemanticModelFile,
  documentedInEnglish: (ref: string) => boolean,
): SemanticModelFile {
  const owners = new Map<string, Set<string>>();
  const own = (owner: string, phrase: string) => {
    for (const word of words(phrase)) {
      const stem = crudeStem(word);
      owners.set(stem, (owners.get(stem) ?? new Set()).add(owner));
    }
  };
  for (const [ref, terms] of Object.entries(file.columns)) for (const t of terms.en) own(ref, t);
  for (const [name, table] of Object.entries(file.tables)) {
    own(`table:${name}`, name.replace(/_/g, ' '));
    for (const t of table.terms?.en ?? []) own(`table:${name}`, t);
  }
  const nounOf = new Map<string, string>();
  const columns: SemanticModelFile['columns'] = {};
  for (const [ref, terms] of Object.entries(file.columns)) {
    // A column documented in Russian, or not at all, has English terms from its name's words ("payments
    // made"), no phrase.
    const nouns: string[] = [];
    if (documentedInEnglish(ref)) {
      for (const term of terms.en) {
        for (const noun of headNoun(term).filter((n) => owners.get(crudeStem(n))?.size === 1)) {
          nounOf.set(term, noun);
          nouns.push(noun);
        }
      }
    }
    columns[ref] = withEnglish(terms, nouns);
  }
  const attributes = file.attributes.map((attribute) => {
    const nouns = attribute.terms.en.flatMap((t) => nounOf.get(t) ?? []);
    return nouns.length ? { ...attribute, terms: withEnglish(attribute.terms, nouns) } : attribute;
  });
  return { ...file, columns, attributes };
}

/** The noun a phrase ends on, or the one before its "of" ("outcome of the previous campaign"). */
function headNoun(phrase: string): string[] {
  const all = words(phrase);
  if (all.length < 2) return [];
  const of = all.indexOf('of');
  // "number of contacts", "no. of cities": the noun names what is counted, not the count.
  if (of > 0 && COUNT_WORDS.has(all[of - 1] as string)) return [];
  const nouns = [all.at(-1) as string, ...(of > 0 ? [all[of - 1] as string] : [])];
  return nouns.filter((w) => w.length >= 3 && /^[a-z]+$/.test(w) && !QUANTITY_WORDS.has(crudeStem(w)));
}

function withEnglish(terms: Terms, nouns: readonly string[]): Terms {
  return { ru: terms.ru, en: [...new Set([...terms.en, ...nouns])] };
}

function words(phrase: string): string[] {
  return phrase.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Enough of a stem to tell "contacts" and "contacted" are one word. */
function crudeStem(word: string): string {
  return word.replace(/(?:ies|es|s|ed|ing)$/u, '');
}

const COUNT_WORDS = new Set(['number', 'no', 'count', 'amount', 'share', 'ratio', 'percentage']);

/**
 * Names of a kind of quantity or of a code, not of a thing, and the bank's and client's own names: never
 * a column's name alone.
 */
const QUANTITY_WORDS = new Set(
  [
    'number',
    'amount',
    'count',
    'total',
    'sum',
    'share',
    'rate',
    'ratio',
    'level',
    'type',
    'kind',
    'status',
    'code',
    'date',
    'day',
    'month',
    'year',
    'time',
    'flag',
    'name',
    'value',
    'identifier',
    'record',
    'bank',
    'client',
    'customer',
    'person',
  ].map(crudeStem),
);
