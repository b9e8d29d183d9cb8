import { newStemmer } from 'snowball-stemmers';
import { isCyrillic } from './normalise';

// The same Snowball stemmers the parser uses (libs/baseline/src/text/tokens.ts), plus Czech for the
// Berka values and the Czech side of the lexicon.
const russian = newStemmer('russian');
const english = newStemmer('english');
const czech = newStemmer('czech');

/** Snowball stem of one normalised Russian word. */
export const stemRu = (word: string): string => russian.stem(word);
/** Snowball stem of one normalised English word. */
export const stemEn = (word: string): string => english.stem(word);
/** Snowball stem of one normalised Czech word (diacritics already dropped, as the data writes them). */
export const stemCs = (word: string): string => czech.stem(word);

/**
 * Language-tagged stems of one normalised word: a Cyrillic word is Russian; a Latin word may be
 * English or Czech, so it gets both, each tagged so that an English stem never meets a Czech one.
 * Numbers stay as they are.
 */
export function stemKeys(word: string): string[] {
  if (/^\d+$/.test(word)) return [`#:${word}`];
  if (isCyrillic(word)) return [`ru:${stemRu(word)}`];
  return [`en:${stemEn(word)}`, `cs:${stemCs(word)}`];
}
