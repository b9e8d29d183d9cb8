import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { lexiconKey } from './lexicon-key';

/**
 * A bilingual lexicon with English as the pivot: each Russian or Czech key (content-word stems, see
 * lexiconKey) maps to the English keys of its translations. Two phrases in any of the three languages
 * share a sense when their English keys meet: "женатые" and 'married' (marri), "восток" and the
 * Czech "vychod" (east). Built from FreeDict and Mueller by tools/build-lexicon.ts; see data/README.md.
 */
export class Lexicon {
  private constructor(
    private readonly ru: ReadonlyMap<string, string>,
    private readonly cs: ReadonlyMap<string, string>,
    private readonly en: ReadonlyMap<string, string> = new Map(),
    private readonly glossed: ReadonlyMap<string, readonly string[]> = new Map(),
    private readonly negated: ReadonlyMap<string, readonly string[]> = new Map(),
  ) {}

  /**
   * English keys the domain glossary alone gives a Russian key ("брак": married, not the dictionary's
   * "defect"): a sense a person chose for the domain, as sure as a word of few senses.
   */
  glossary(key: string): readonly string[] {
    return this.glossed.get(key) ?? NONE;
  }

  /**
   * English keys of the glossary's concepts one of whose Russian phrases has this word ("счет" of
   * "остаток на счете": balance): what the word is said with in the domain.
   */
  glossaryWith(word: string): readonly string[] {
    if (!this.byWord) {
      const byWord = new Map<string, Set<string>>();
      for (const [phrase, keys] of this.glossed)
        for (const w of phrase.split(' ')) {
          const set = byWord.get(w) ?? new Set<string>();
          for (const key of keys) set.add(key);
          byWord.set(w, set);
        }
      this.byWord = new Map([...byWord].map(([w, keys]) => [w, [...keys]]));
    }
    return this.byWord.get(word) ?? NONE;
  }

  private byWord: Map<string, readonly string[]> | undefined;

  /**
   * The committed lexicon, read once per process (1.5 MB gzipped): the dictionaries, with the domain
   * glossary (`glossary.tsv`) over them.
   */
  static load(): Lexicon {
    committed ??= Lexicon.withGlossary(
      readData('lexicon.ru-en.tsv.gz'),
      readData('lexicon.cs-en.tsv.gz'),
      readFileSync(join(LEXICON_DATA_DIR, 'glossary.tsv'), 'utf8').split('\n'),
    );
    return committed;
  }

  /** A lexicon of the given lines (`key\ten|en`), for specs and for callers with their own data. */
  static fromLines(
    ru: readonly string[],
    cs: readonly string[] = [],
    glossary: readonly string[] = [],
  ): Lexicon {
    return Lexicon.withGlossary(parse(ru), parse(cs), glossary);
  }

  /** A lexicon that knows no word: value linking by spelling alone. */
  static empty(): Lexicon {
    return new Lexicon(new Map(), new Map());
  }

  /**
   * Dictionaries with a glossary over them: lines `english|english...<TAB>russian|russian...`, one
   * concept each, as written (keys are made here). Each Russian phrase gains the line's English keys;
   * each English phrase has the others as synonyms ("pensioner" and 'retired').
   */
  private static withGlossary(
    ru: Map<string, string>,
    cs: Map<string, string>,
    glossary: readonly string[],
  ): Lexicon {
    const en = new Map<string, string>();
    const glossed = new Map<string, string[]>();
    const add = (map: Map<string, string>, key: string, keys: readonly string[]) => {
      const known = map.get(key)?.split('|') ?? [];
      const all = [...new Set([...known, ...keys.filter((k) => k !== key)])];
      if (all.length > 0) map.set(key, all.join('|'));
    };
    const negated = new Map<string, string[]>();
    for (const line of glossary) {
      if (!line.trim() || line.startsWith('#')) continue;
      const [english = '', russian = ''] = line.split('\t');
      // Keys drop function words, negations among them: "not married" would key as married.
      const phrases = (list: string) => list.split('|').filter((p) => !NEGATED.test(p));
      const keys = [...new Set(phrases(english).map((p) => lexiconKey(p, 'en')))].filter(Boolean);
      for (const key of keys) add(en, key, keys);
      for (const phrase of phrases(russian)) {
        const key = lexiconKey(phrase, 'ru');
        if (!key) continue;
        add(ru, key, keys);
        glossed.set(key, [...new Set([...(glossed.get(key) ?? []), ...keys])]);
      }
      // "never married", "не замужем": a negated phrase, by what it negates, names the line's concept.
      for (const [list, language] of [
        [english, 'en'],
        [russian, 'ru'],
      ] as const)
        for (const phrase of list.split('|').filter((p) => NEGATED.test(p))) {
          const key = lexiconKey(phrase.replace(new RegExp(NEGATED.source, 'giu'), ' '), language);
          if (key) negated.set(key, [...new Set([...(negated.get(key) ?? []), ...keys])]);
        }
    }
    return new Lexicon(ru, cs, en, glossed, negated);
  }

  /**
   * English keys of the glossary concept a negated phrase names, by the key of what it negates
   * ("married" of "never married": single).
   */
  negatedGlossary(key: string): readonly string[] {
    return this.negated.get(key) ?? NONE;
  }

  /** English keys of a Russian key. */
  russian(key: string): readonly string[] {
    return this.ru.get(key)?.split('|') ?? NONE;
  }

  /** English keys of the same concept as an English key, from the glossary. */
  english(key: string): readonly string[] {
    return this.en.get(key)?.split('|') ?? NONE;
  }

  /** English keys of a Czech key. */
  czech(key: string): readonly string[] {
    return this.cs.get(key)?.split('|') ?? NONE;
  }

  /** How many keys each side has. */
  get size(): { ru: number; cs: number } {
    return { ru: this.ru.size, cs: this.cs.size };
  }
}

let committed: Lexicon | undefined;
const NEGATED = /(?<![\p{L}])(not|no|never|without|non|не|нет|ни|без|вне)(?![\p{L}])/iu;
const NONE: readonly string[] = [];

export const LEXICON_DATA_DIR = join(__dirname, '..', '..', 'data');

function readData(file: string): Map<string, string> {
  return parse(
    gunzipSync(readFileSync(join(LEXICON_DATA_DIR, file)))
      .toString('utf8')
      .split('\n'),
  );
}

// The English keys stay one string until asked for: most keys of a load are never looked up.
function parse(lines: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of lines) {
    if (!line || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    if (tab > 0) map.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return map;
}
