import { conceptStem } from '../lexicon/lexicon-key';
import type { Lexicon } from '../lexicon/lexicon';
import { isCyrillic, isNumber, normalise } from '../text/normalise';
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
  /** Of those, the senses the domain glossary gives the word (a Russian word's): sure ones. */
  glossed: readonly string[];
  /** The word's part of a lexicon key in each language it may be in (lexiconKey's stems). */
  keys: { ru?: string; en?: string; cs?: string };
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

/** What a number links by: its spelling only. */
const NO_FORMS = { stems: [], skeletons: [], concepts: [], glossed: [], keys: {} } as const;

function computeForms(norm: string, lexicon: Lexicon): WordForms {
  const stop = isStopWord(norm);
  const number = isNumber(norm);
  const filler = stop || number || norm.length < 2;
  if (number) return { norm, cyrillic: false, filler, stop, number, ...NO_FORMS };
  if (isCyrillic(norm)) {
    const stem = stemRu(norm);
    const ru = conceptStem(stem, 'ru');
    return {
      norm,
      cyrillic: true,
      filler,
      stop,
      number,
      stems: stem.length >= MIN_STEM_LENGTH - 1 ? [`ru:${stem}`] : [],
      skeletons: unique([skeleton(toLatin(norm)), skeleton(toLatin(stem))]),
      concepts: norm.length < MIN_CONCEPT_LENGTH ? [] : russianConcepts(ru, lexicon),
      glossed: norm.length < MIN_CONCEPT_LENGTH ? [] : lexicon.glossary(ru),
      keys: filler ? {} : { ru },
    };
  }
  const enStem = stemEn(norm);
  const csStem = stemCs(norm);
  const en = conceptStem(enStem, 'en');
  const cs = conceptStem(csStem, 'cs');
  return {
    norm,
    cyrillic: false,
    filler,
    stop,
    number,
    stems: [`en:${enStem}`, `cs:${csStem}`].filter((s) => s.length >= MIN_STEM_LENGTH + 3),
    // Read in Russian and stemmed, a name ending in a vowel meets its Russian cases ("Praha" прага,
    // "в Праге" праг); one ending in a consonant is a prefix of them already ("Хомутове", Chomutov).
    skeletons: unique([
      ...romanisations(norm).map(skeleton),
      ...(/[aeiouy]$/.test(norm) ? [skeleton(toLatin(stemRu(toCyrillic(norm))))] : []),
    ]),
    concepts: norm.length < MIN_CONCEPT_LENGTH ? [] : latinConcepts(en, cs, lexicon),
    glossed: [],
    keys: filler ? {} : { en, cs, ru: norm },
  };
}

/** English keys of one word's senses ("средний": averag, mean, middl...; a Latin word: its own stem too). */
export function wordSenses(word: string, lexicon: Lexicon): readonly string[] {
  return wordForms(normalise(word), lexicon).concepts;
}

/**
 * English keys of a phrase of several words taken whole ("высшее образование", "blue-collar"): the
 * lexicon key its words make (as lexiconKey would, from forms already computed), looked up.
 */
export function phraseConcepts(words: readonly WordForms[], lexicon: Lexicon): readonly string[] {
  const content = words.filter((w) => !w.filler);
  if (!content.length) return [];
  const key = (language: 'ru' | 'en' | 'cs') => content.map((w) => w.keys[language] ?? w.norm).join(' ');
  if (content.some((w) => w.cyrillic)) return lexicon.russian(key('ru'));
  return unique([key('en'), ...lexicon.english(key('en')), ...lexicon.czech(key('cs'))]);
}

/**
 * A Latin word as Czech spelling and as English-style romanisation of Russian read it: "ch" is х in
 * Czech (Cheb) and ч in "Sochi"; "yo" after a consonant is ё, which normalise() wrote as е in the
 * value ("Pyatyorochka", Пятёрочка).
 */
function romanisations(norm: string): string[] {
  const out = [norm];
  if (norm.includes('ch')) out.push(norm.replace(/(?<![sc])ch/g, 'c'));
  if (/[^aeiouy][yj]o/.test(norm)) out.push(...out.map((w) => w.replace(/([^aeiouy])[yj]o/g, '$1e')));
  return out;
}

/**
 * A Latin word may be English or Czech: its English key, and the senses of its Czech key when that is
 * long enough to mean something (the Czech stemmer cuts "chat" to "ch").
 */
function latinConcepts(en: string, cs: string, lexicon: Lexicon): string[] {
  return unique([en, ...(cs.length >= MIN_CONCEPT_LENGTH ? lexicon.czech(cs) : [])]);
}

/**
 * Senses of a Russian word. A stem whose vowel drops in inflection ("владельцы" владельц, headword
 * "владелец"; "остатку" остатк, headword "остаток") is also looked up with the vowel back.
 */
function russianConcepts(stem: string, lexicon: Lexicon): readonly string[] {
  if (!/ь?[цкн]$/.test(stem)) return lexicon.russian(stem);
  const fleeting = ['е', 'о'].map((vowel) => stem.replace(/ь?([цкн])$/, `${vowel}$1`));
  return unique([stem, ...fleeting].flatMap((key) => lexicon.russian(key)));
}

/** A Latin stem shorter than this ("m" of "mine") says nothing about the word; a Russian one may be one shorter ("в Уфе", Уфа). */
const MIN_STEM_LENGTH = 3;

/** Shorter words are codes or abbreviations ("ST", "hl"): they link by spelling only. */
const MIN_CONCEPT_LENGTH = 3;

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];
