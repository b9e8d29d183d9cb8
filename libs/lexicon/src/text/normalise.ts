/**
 * One spelling per word, whatever the writer's keyboard: lower case, ё as е, Latin letters without
 * diacritics (the Berka data writes "Plzen" for Plzeň), dashes and quotes of every kind folded.
 * Cyrillic keeps its own letters: й is not и with a mark, so only Latin letters lose their marks.
 */
export function normalise(text: string): string {
  const lower = text.toLowerCase();
  if (PLAIN.test(lower)) return lower;
  return lower
    .replace(/ё/g, 'е')
    .replace(LATIN_WITH_MARKS, (c) => LATIN_EXTRA[c] ?? c.normalize('NFD').replace(/\p{M}/gu, ''))
    .replace(DASHES, '-')
    .replace(QUOTES, '');
}

/** A word of a text: where it stands in the text (UTF-16 offsets) and its normalised form. */
export interface Token {
  start: number;
  end: number;
  /** As written. */
  text: string;
  /** normalise(text). */
  norm: string;
}

/**
 * Words of a text with their places. Hyphens, dots and slashes split words ("Усти-над-Лабем" is three,
 * "Hl.m." two), so a value and a phrase split the same way whatever punctuation each uses.
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    out.push({ start, end: start + m[0].length, text: m[0], norm: normalise(m[0]) });
  }
  return out;
}

/** The normalised words of a text joined by one space: the key a phrase and a value share. */
export function normalisedKey(text: string): string {
  return tokenize(text)
    .map((t) => t.norm)
    .join(' ');
}

export const isNumber = (word: string): boolean => /^\d+$/.test(word);
export const isCyrillic = (word: string): boolean => /[\u0400-\u04FF]/.test(word);

// Most words need nothing but lower case.
const PLAIN = /^[a-z0-9а-я]*$/;
// Letters (with any combining marks) and digits; an apostrophe inside a word stays (o'clock).
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{M}]+)*/gu;
const LATIN_WITH_MARKS = /[\u00C0-\u024F\u1E00-\u1EFF]/g;
// Letters NFD does not split into a base letter and a mark.
const LATIN_EXTRA: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
};
const DASHES = /[\u2010-\u2015\u2212\u00AD]/g;
const QUOTES = /[«»„“”‘’‚‹›"`´]/g;
