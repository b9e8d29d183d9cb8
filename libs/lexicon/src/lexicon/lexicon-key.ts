import { isNumber, tokenize } from '../text/normalise';
import { stemCs, stemEn, stemRu } from '../text/stem';
import { isStopWord } from '../text/stop-words';

export type LexiconLanguage = 'en' | 'ru' | 'cs';

const STEMMERS: Record<LexiconLanguage, (word: string) => string> = { en: stemEn, ru: stemRu, cs: stemCs };

/**
 * The key of a dictionary phrase or of a phrase of the text: its content words' stems in its
 * language, one space apart ("ушедший на пенсию" is "ушедш пенс"); '' when it has none. The lexicon
 * file stores these keys, so loading it stems nothing; rebuild the file when this function changes.
 */
export function lexiconKey(phrase: string, language: LexiconLanguage): string {
  return tokenize(phrase)
    .map((t) => t.norm)
    .filter((w) => !isStopWord(w) && !isNumber(w) && w.length > 1)
    .map((w) => conceptStem(w, language))
    .join(' ');
}

/**
 * A word's stem, stemmed again until it stops changing: Snowball is not idempotent, and a dictionary
 * headword and a value may be different forms of one word ("divorcee" divorce, "divorced" divorc;
 * "retiree" retire, "retired" retir). Both end at the same fixed point.
 */
export function conceptStem(word: string, language: LexiconLanguage): string {
  const stem = STEMMERS[language];
  let current = word;
  for (let i = 0; i < 4; i++) {
    const next = stem(current);
    if (next === current) break;
    current = next;
  }
  return current;
}
