import { SCIENTIFIC, translate } from 'iuliia';

/**
 * Cyrillic to Latin by iuliia's "scientific" scheme, the one Slavists use: it writes Russian with
 * the Czech alphabet (ч č, ш š, ж ž, ц c, й j, ы y), so after dropping diacritics a Russian name of a
 * Czech place reads as the Berka data writes it ("Оломоуц" olomouc, "Ческе Будеёвице" ceske
 * budejovice). Input is one normalised word; soft and hard signs are dropped.
 */
export function toLatin(word: string): string {
  let out = '';
  let previous = '';
  for (const c of word) {
    // е says "je" at the start of a word and after a vowel, as Czech writes it (Есеник, Jeseník);
    // ё was folded into е by normalise(), so "Будеёвице" needs this to reach Budějovice.
    out +=
      c === 'е' && (previous === '' || VOWELS.includes(previous)) ? 'je' : (CYRILLIC_TO_LATIN.get(c) ?? c);
    previous = c;
  }
  return out;
}

const VOWELS = 'аеёиоуыэюя';

// The scheme maps letter by letter (it has no context or ending rules), so its table is read once
// from iuliia and applied without the per-call overhead of translate(), which the matcher would pay
// for every word of every value.
const CYRILLIC_TO_LATIN = new Map(
  [...'абвгдеёжзийклмнопрстуфхцчшщъыьэюя'].map((c) => [
    c,
    translate(c, SCIENTIFIC).normalize('NFD').replace(/\p{M}/gu, '').replace(/[ʹʺ]/g, ''),
  ]),
);

/**
 * Latin to Cyrillic, as a Russian reader says a Czech or English spelling: the inverse of the same
 * scheme, plus the Czech readings it does not cover (h is г, ch is х, je/ju/ja are е/ю/я, y is ы).
 * Used to stem a Latin value with the Russian stemmer, so "Praha" meets "в Праге" (both прага → праг).
 */
export function toCyrillic(word: string): string {
  let out = '';
  for (let i = 0; i < word.length;) {
    const three = LATIN_TO_CYRILLIC.get(word.slice(i, i + 3));
    if (three !== undefined) {
      out += three;
      i += 3;
      continue;
    }
    const two = LATIN_TO_CYRILLIC.get(word.slice(i, i + 2));
    if (two !== undefined) {
      out += two;
      i += 2;
      continue;
    }
    const ch = word[i] as string;
    out += LATIN_TO_CYRILLIC.get(ch) ?? ch;
    i += 1;
  }
  return out;
}

/**
 * A coarse Latin spelling key that both scripts reach: Czech, scientific and English-style
 * romanisations of one name fold together (ch/kh/x, h/g as Czech h is Russian г, sh/š, ts/c, y/j/i,
 * w/v, doubled letters once). Apply it to toLatin() of Cyrillic words and to Latin words as they are.
 */
export function skeleton(latin: string): string {
  return latin
    .replace(/['’ʹʺ]/g, '')
    .replace(/shch/g, 'sc')
    .replace(/[kc]h/g, 'x')
    .replace(/zh/g, 'z')
    .replace(/sh/g, 's')
    .replace(/t[sz]|cz/g, 'c')
    .replace(/ck/g, 'k')
    .replace(/ph/g, 'f')
    .replace(/th/g, 't')
    .replace(/h/g, 'g')
    .replace(/w/g, 'v')
    .replace(/q/g, 'k')
    .replace(/[yj]/g, 'i')
    .replace(/(.)\1+/g, '$1');
}

// The inverse of the scientific scheme's letters (iuliia maps one Cyrillic letter at a time), with
// diacritics dropped as in the data, then the Czech readings that override it.
const LATIN_TO_CYRILLIC = (() => {
  const map = new Map<string, string>();
  for (const letter of 'абвгдежзийклмнопрстуфхцчшщыэюя') {
    const latin = toLatin(letter);
    if (latin && !map.has(latin)) map.set(latin, letter);
  }
  const czech: Array<[string, string]> = [
    ['h', 'г'],
    ['ch', 'х'],
    ['x', 'кс'],
    ['w', 'в'],
    ['q', 'к'],
    ['y', 'ы'],
    ['je', 'е'],
    ['ju', 'ю'],
    ['ja', 'я'],
    ['jo', 'йо'],
    ['sch', 'ш'],
    ['c', 'ц'],
    ['s', 'с'],
    ['z', 'з'],
    ['e', 'е'],
  ];
  for (const [latin, cyr] of czech) map.set(latin, cyr);
  return map;
})();
