import { conceptStem, lexiconKey } from '../lexicon/lexicon-key';
import type { Lexicon } from '../lexicon/lexicon';
import { isCyrillic, isNumber } from '../text/normalise';
import { stemCs, stemEn, stemRu } from '../text/stem';
import { isStopWord } from '../text/stop-words';
import { skeleton, toCyrillic, toLatin } from '../text/translit';

/** Every form of one normalised word that value linking compares, computed once per word. */
export interface WordForms {
  norm: string;
  cyrillic: boolean;
  /** A function word, a number or a single letter: never links by itself. */
  filler: boolean;
  stop: boolean;
  number: boolean;
  /** Snowball stems tagged by language (`ru:праг`, `en:retir`, `cs:mest`). */
  stems: readonly string[];
  /** Spelling keys across scripts: of the word and of its stem read in Russian (see translit.ts). */
  skeletons: readonly string[];
  /** English lexicon keys of the word's senses; a Latin word's own English stem is one of them. */
  concepts: readonly string[];
}

export function wordForms(norm: string, lexicon: Lexicon): WordForms {
  let cache = CACHE.get(lexicon);
  if (!cache) CACHE.set(lexicon, (cache = new Map()));
  let forms = cache.get(norm);
  if (!forms) {
    if (cache.size >= CACHE_SIZE) cache.clear();
    forms = computeForms(norm, lexicon);
    cache.set(norm, forms);
  }
  return forms;
}

// Forms depend on the word and the lexicon only, so matchers of one process share them: a warehouse's
// matcher rebuilt after its value index changes, or another warehouse's, stems each word once.
const CACHE = new WeakMap<Lexicon, Map<string, WordForms>>();
const CACHE_SIZE = 200_000;

function computeForms(norm: string, lexicon: Lexicon): WordForms {
  const stop = isStopWord(norm);
  const number = isNumber(norm);
  const filler = stop || number || norm.length < 2;
  if (number) return { norm, cyrillic: false, filler, stop, number, stems: [], skeletons: [], concepts: [] };
  if (isCyrillic(norm)) {
    const stem = stemRu(norm);
    return {
      norm,
      cyrillic: true,
      filler,
      stop,
      number,
      stems: stem.length >= MIN_STEM_LENGTH ? [`ru:${stem}`] : [],
      skeletons: unique([skeleton(toLatin(norm)), skeleton(toLatin(stem))]),
      concepts: norm.length < MIN_CONCEPT_LENGTH ? [] : russianConcepts(stem, lexicon),
    };
  }
  const en = stemEn(norm);
  const cs = stemCs(norm);
  return {
    norm,
    cyrillic: false,
    filler,
    stop,
    number,
    stems: [`en:${en}`, `cs:${cs}`].filter((s) => s.length >= MIN_STEM_LENGTH + 3),
    skeletons: unique([skeleton(norm), skeleton(toLatin(stemRu(toCyrillic(norm))))]),
    concepts: norm.length < MIN_CONCEPT_LENGTH ? [] : latinConcepts(en, cs, lexicon),
  };
}

/** English keys of a phrase of several words taken whole ("высшее образование", "blue-collar"). */
export function phraseConcepts(words: readonly string[], lexicon: Lexicon): string[] {
  const text = words.join(' ');
  if (words.some(isCyrillic)) return [...lexicon.russian(lexiconKey(text, 'ru'))];
  const en = lexiconKey(text, 'en');
  return unique([...(en ? [en] : []), ...lexicon.czech(lexiconKey(text, 'cs'))]);
}

/**
 * A Latin word may be English or Czech: its English key, and the senses of its Czech key when that is
 * long enough to mean something (the Czech stemmer cuts "chat" to "ch").
 */
function latinConcepts(enStem: string, csStem: string, lexicon: Lexicon): string[] {
  const cs = conceptStem(csStem, 'cs');
  return unique([conceptStem(enStem, 'en'), ...(cs.length >= MIN_CONCEPT_LENGTH ? lexicon.czech(cs) : [])]);
}

/**
 * Senses of a Russian word. A stem whose vowel drops in inflection ("владельцы" владельц, headword
 * "владелец") is looked up with the vowel back when the stem itself is not a headword.
 */
function russianConcepts(firstStem: string, lexicon: Lexicon): readonly string[] {
  const stem = conceptStem(firstStem, 'ru');
  const found = lexicon.russian(stem);
  if (found.length) return found;
  const fleeting = stem.replace(/ь?([цкн])$/, 'е$1');
  return fleeting === stem ? found : lexicon.russian(fleeting);
}

/** A stem shorter than this ("m" of "mine") says nothing about the word. */
const MIN_STEM_LENGTH = 3;

/** Shorter words are codes or abbreviations ("ST", "hl"): they link by spelling only. */
const MIN_CONCEPT_LENGTH = 3;

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];
