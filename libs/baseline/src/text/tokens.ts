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

// Latin spellings of Russian names ("Yekaterinburg", "Kazan", "Krasnodar Krai"), longest first.
const LATIN_TO_CYRILLIC: [RegExp, string][] = [
  [/shch/g, 'щ'],
  [/^ye/g, 'е'],
  [/([aeiou])ye/g, '$1е'],
  [/yo/g, 'ё'],
  [/yu/g, 'ю'],
  [/ya/g, 'я'],
  [/zh/g, 'ж'],
  [/kh/g, 'х'],
  [/ts/g, 'ц'],
  [/ch/g, 'ч'],
  [/sh/g, 'ш'],
  [/iy$|yy$|y$/g, 'ий'],
  [/ai$/g, 'ай'],
  [/a/g, 'а'],
  [/b/g, 'б'],
  [/v|w/g, 'в'],
  [/g/g, 'г'],
  [/d/g, 'д'],
  [/e/g, 'е'],
  [/z/g, 'з'],
  [/i/g, 'и'],
  [/y/g, 'ы'],
  [/k|c|q/g, 'к'],
  [/l/g, 'л'],
  [/m/g, 'м'],
  [/n/g, 'н'],
  [/o/g, 'о'],
  [/p/g, 'п'],
  [/r/g, 'р'],
  [/s/g, 'с'],
  [/t/g, 'т'],
  [/u/g, 'у'],
  [/f/g, 'ф'],
  [/h/g, 'х'],
  [/x/g, 'кс'],
  [/j/g, 'й'],
];

/**
 * Russian stems a word written in Latin letters may stand for, by the usual transliteration
 * ("yekaterinburg" → "екатеринбург"; "kazan" → "каза" or, with the soft sign it drops, "казан"), for
 * names whose values are in Russian; none for words it cannot spell.
 */
export function cyrillicStems(word: string): string[] {
  if (!/^[a-z]{4,}$/.test(word)) return [];
  let out = word;
  for (const [pattern, letter] of LATIN_TO_CYRILLIC) out = out.replace(pattern, letter);
  if (!/^[а-яё]+$/.test(out)) return [];
  const plain = out.replace(/ё/g, 'е');
  return [...new Set([stem(plain), stem(`${plain}ь`)])];
}
