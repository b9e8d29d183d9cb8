// How a column's comment names it, as the lexicon and the parser read it: the comment's first phrase
// without "[Area] " and Berka's "A11: " prefixes, and the measure it names whatever year it is of.

/** The first phrase of a comment: up to a colon, a dash, a bracket or a sentence's end ("no. of inhabitants" is one). */
export function columnHead(comment: string | null | undefined): string {
  const text = (comment ?? '').replace(/^\[[^\]]*\]\s*/, '').replace(/^[A-Z]\d+:\s*/, '');
  return text.split(/[:;(—]|\.(?=\s+[A-ZА-ЯЁ]|\s*$)/)[0]?.trim() ?? '';
}

/** "'95", "1995": the year a head names, if it names one. */
export function headYear(head: string): number | undefined {
  const written = YEAR.exec(head)?.[1];
  if (written === undefined) return undefined;
  if (written.length === 4) return Number(written);
  const two = Number(written);
  return two >= 50 ? 1900 + two : 2000 + two;
}

/** The measure a head names in a table, its year left out: "unemployment rate '95" and "'96" are one. */
export function measureOf(table: string, head: string): string {
  return `${table}:${head
    .replace(new RegExp(YEAR.source, 'g'), ' ')
    .replace(/[\s.]+/g, ' ')
    .trim()
    .toLowerCase()}`;
}

/**
 * Of each column's words, those no other measure's words have ("unemployment" of Berka's unemployment
 * rates, which are one measure in two years), by column.
 */
export function measureOwnWords(
  columns: readonly { ref: string; measure: string; words: readonly string[] }[],
): Map<string, string[]> {
  const measures = new Map<string, Set<string>>();
  for (const { measure, words } of columns)
    for (const word of words) measures.set(word, (measures.get(word) ?? new Set()).add(measure));
  return new Map(columns.map(({ ref, words }) => [ref, words.filter((w) => measures.get(w)?.size === 1)]));
}

export const NUMERIC_COLUMN = /^(smallint|integer|bigint|numeric|decimal|real|double precision)/;

const YEAR = /(?:'|’|\b)((?:19|20)\d\d|\d\d)\b(?!\s*%)/;
