import { newStemmer } from 'snowball-stemmers';

const russian = newStemmer('russian');
const english = newStemmer('english');

export interface Token {
  /** Lower case, ё as е. */
  text: string;
  /** Snowball stem (Russian for Cyrillic words, English for Latin ones); numbers as they are. */
  stem: string;
  start: number;
  end: number;
  kind: 'word' | 'number' | 'symbol';
}

/** Lower case, ё → е, typographic dashes and quotes made plain; length preserved for offsets. */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[‐‑‒–—−]/g, '-')
    .replace(/[«»“”„]/g, '"');
}

/** Stem of one lower-case word; words of both scripts (`ипотека`, `cashback`) get their own stemmer. */
export function stem(word: string): string {
  if (/^[a-z][a-z'-]*$/.test(word)) return english.stem(word);
  if (/[а-я]/.test(word)) return russian.stem(word);
  return word;
}

const TOKEN = /(\d+(?:[.,]\d+)?)|([a-zа-я][a-zа-я0-9]*)|([<>≤≥=%+])/g;

export function tokenize(raw: string): Token[] {
  const text = normalize(raw);
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const value = match[0];
    const start = match.index;
    const kind = match[1] ? 'number' : match[2] ? 'word' : 'symbol';
    // Hyphenated words are their parts ("стоп-лист", "sms-рассылка"), in terms and in text alike.
    tokens.push({
      text: value,
      stem: kind === 'word' ? stem(value) : value,
      start,
      end: start + value.length,
      kind,
    });
  }
  return tokens;
}

/** Stems of a phrase, as a key sequence for matching. */
export function phraseStems(phrase: string): string[] {
  return tokenize(phrase)
    .filter((t) => t.kind !== 'symbol')
    .map((t) => t.stem);
}
