import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

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
  ) {}

  /** The committed lexicon, read once per process (1.5 MB gzipped). */
  static load(): Lexicon {
    committed ??= new Lexicon(readData('lexicon.ru-en.tsv.gz'), readData('lexicon.cs-en.tsv.gz'));
    return committed;
  }

  /** A lexicon of the given lines (`key\ten|en`), for specs and for callers with their own data. */
  static fromLines(ru: readonly string[], cs: readonly string[] = []): Lexicon {
    return new Lexicon(parse(ru), parse(cs));
  }

  /** A lexicon that knows no word: value linking by spelling alone. */
  static empty(): Lexicon {
    return new Lexicon(new Map(), new Map());
  }

  /** English keys of a Russian key. */
  russian(key: string): readonly string[] {
    return this.ru.get(key)?.split('|') ?? NONE;
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
