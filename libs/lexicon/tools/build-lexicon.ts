/**
 * Builds libs/lexicon/data/lexicon.{ru,cs}-en.tsv.gz from Debian's dictd dictionaries:
 *
 *   apt-get update && apt-get install -y dict-freedict-eng-rus dict-freedict-ces-eng \
 *     dict-freedict-eng-ces mueller7-dict
 *   npx tsx libs/lexicon/tools/build-lexicon.ts [--dictd /usr/share/dictd] [--no-mueller]
 *
 * Each output line is `<Russian or Czech key>\t<English key>|<English key>...`, keys as
 * lexiconKey() makes them (content-word stems), so the product loads the file without stemming and
 * never needs the Debian packages. What is taken from each dictionary is in libs/lexicon/data/README.md.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { lexiconKey, type LexiconLanguage } from '../src/lexicon/lexicon-key';

const args = process.argv.slice(2);
const DICTD = args.includes('--dictd') ? (args[args.indexOf('--dictd') + 1] as string) : '/usr/share/dictd';
const WITH_MUELLER = !args.includes('--no-mueller');
const OUT = join(__dirname, '..', 'data');
/** Longest phrase kept on either side, in content words: values are names, not sentences. */
const MAX_WORDS = 3;

interface Entry {
  headword: string;
  body: string;
}

/** Entries of a dictd dictionary: the .index gives each headword's offset and length in the .dict. */
function readDictd(name: string): Entry[] {
  const dict = gunzipSync(readFileSync(join(DICTD, `${name}.dict.dz`)));
  const entries: Entry[] = [];
  for (const line of readFileSync(join(DICTD, `${name}.index`), 'utf8').split('\n')) {
    const [headword, offset, length] = line.split('\t');
    if (!headword || !offset || !length || headword.startsWith('00database')) continue;
    const text = dict.subarray(base64(offset), base64(offset) + base64(length)).toString('utf8');
    const newline = text.indexOf('\n');
    entries.push({ headword, body: newline < 0 ? '' : text.slice(newline + 1) });
  }
  return entries;
}

function base64(text: string): number {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let n = 0;
  for (const c of text) n = n * 64 + alphabet.indexOf(c);
  return n;
}

const CYRILLIC_PHRASE = /^[а-яё]+(?:[ -][а-яё]+)*$/i;
const LATIN_PHRASE = /^[a-zà-ž]+(?:[ '-][a-zà-ž]+)*$/i;
const words = (phrase: string) => phrase.split(/[ -]+/).length;

/** Pairs (English phrase, other phrase) found in the dictionaries, deduplicated by their keys. */
class Pairs {
  private readonly byKey = new Map<string, Set<string>>();
  readonly sources = new Map<string, number>();

  add(source: string, english: string, other: string, language: LexiconLanguage): void {
    english = english.trim();
    other = other.trim();
    if (!english || !other || words(english) > MAX_WORDS || words(other) > MAX_WORDS) return;
    const en = lexiconKey(english, 'en');
    const key = lexiconKey(other, language);
    if (!en || !key) return;
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    if (set.has(en)) return;
    set.add(en);
    this.sources.set(source, (this.sources.get(source) ?? 0) + 1);
  }

  get size(): number {
    let n = 0;
    for (const set of this.byKey.values()) n += set.size;
    return n;
  }

  get keys(): number {
    return this.byKey.size;
  }

  /** Drops the keys some other spelling also has: a Czech key that is an English word too ("chat"). */
  dropKeys(keys: ReadonlySet<string>): number {
    let dropped = 0;
    for (const key of this.byKey.keys()) {
      if (keys.has(key)) {
        dropped += (this.byKey.get(key) as Set<string>).size;
        this.byKey.delete(key);
      }
    }
    return dropped;
  }

  /** Every English key the pairs reach. */
  englishKeys(): Set<string> {
    const out = new Set<string>();
    for (const set of this.byKey.values()) for (const en of set) out.add(en);
    return out;
  }

  lines(): string[] {
    return [...this.byKey]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, en]) => `${key}\t${[...en].sort().join('|')}`);
  }
}

/** FreeDict eng-rus: "city /sitiː/\nгород" or numbered senses "1. банк\n2. банка". */
function freedictEngRus(pairs: Pairs): void {
  for (const { headword, body } of readDictd('freedict-eng-rus')) {
    for (const line of body.split('\n')) {
      for (const item of line.replace(/^\s*\d+\.\s*/, '').split(/[,;]/)) {
        const ru = item.replace(/\(.*?\)/g, '').trim();
        if (CYRILLIC_PHRASE.test(ru)) pairs.add('freedict-eng-rus', headword, ru, 'ru');
      }
    }
  }
}

/**
 * Mueller's English-Russian: senses as "1) управление; заведование", with the transcription in
 * brackets, grammar labels as "_n." and notes in parentheses. Taken: each sense's Russian
 * equivalents (split at ';' and ','), and its short examples "secondary school средняя школа"
 * as pairs of their own. Headwords that are abbreviations or carry digits are skipped.
 */
function mueller(pairs: Pairs): void {
  for (const { headword, body } of readDictd('mueller7')) {
    if (!LATIN_PHRASE.test(headword)) continue;
    const text = body
      .replace(/\[[^\]]*\]/g, ' ')
      .replace(/\([^)]*\)/g, ' ')
      .replace(/_[\p{L}-]+\./gu, ' ')
      .replace(/(^|\s)(?:\d+[.)]|[а-я]\))/gm, ';')
      .replace(/\s+/g, ' ');
    for (const segment of text.split(/[;:]/)) {
      const s = segment.trim();
      const example = /^([a-z][a-z' -]*?)\s+([а-яё][а-яё ,-]*)$/i.exec(s);
      if (example && !/[а-яё]/i.test(example[1] as string)) {
        pairs.add(
          'mueller7 examples',
          example[1] as string,
          (example[2] as string).split(',')[0] as string,
          'ru',
        );
        continue;
      }
      if (/[a-z]/i.test(s)) continue;
      // A list of equivalents, not prose: "студент, оплачивающий обучение и содержание" is a gloss.
      const items = s.split(',').map((item) => item.trim());
      if (items.some((item) => !CYRILLIC_PHRASE.test(item) || words(item) > MAX_WORDS)) continue;
      for (const ru of items) pairs.add('mueller7', headword, ru, 'ru');
    }
  }
}

/** FreeDict ces-eng: "Praha /prˈaha/\nPrague", "město /mɲˈesto/\ncity, town". */
function freedictCesEng(pairs: Pairs): void {
  for (const { headword, body } of readDictd('freedict-ces-eng')) {
    const cs = headword.replace(/\/.*?\//g, '').trim();
    for (const en of body.split(/[,;\n]/)) {
      if (LATIN_PHRASE.test(en.trim()) && LATIN_PHRASE.test(cs)) pairs.add('freedict-ces-eng', en, cs, 'cs');
    }
  }
}

/** FreeDict eng-ces: "retired <adj>\nv důchodu", one Czech equivalent per entry. */
function freedictEngCes(pairs: Pairs): void {
  for (const { headword, body } of readDictd('freedict-eng-ces')) {
    const en = headword.replace(/<[^>]*>/g, '').trim();
    if (!LATIN_PHRASE.test(en)) continue;
    for (const cs of body.split(/[,;\n]/)) {
      if (LATIN_PHRASE.test(cs.trim())) pairs.add('freedict-eng-ces', en, cs, 'cs');
    }
  }
}

/** The dictionary's own description (authors, edition, licence stanza), the dictd "00databaseinfo" entry. */
function databaseInfo(name: string): string {
  const dict = gunzipSync(readFileSync(join(DICTD, `${name}.dict.dz`)));
  for (const line of readFileSync(join(DICTD, `${name}.index`), 'utf8').split('\n')) {
    const [headword, offset, length] = line.split('\t');
    if (headword === '00databaseinfo' && offset && length)
      return dict.subarray(base64(offset), base64(offset) + base64(length)).toString('utf8');
  }
  return '';
}

/** The licence notices of every dictionary taken, kept beside the data (all GPL-2.0-or-later). */
function writeLicences(names: readonly string[]): void {
  const dir = join(OUT, 'licences');
  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    const info = databaseInfo(name);
    if (info) writeFileSync(join(dir, `${name}.info.txt`), info);
  }
  copyFileSync('/usr/share/doc/dict-freedict-eng-rus/copyright', join(dir, 'freedict.debian-copyright.txt'));
  if (names.includes('mueller7'))
    copyFileSync('/usr/share/doc/mueller7-dict/copyright', join(dir, 'mueller7.debian-copyright.txt'));
  copyFileSync('/usr/share/common-licenses/GPL-2', join(dir, 'GPL-2.txt'));
  copyFileSync('/usr/share/common-licenses/GPL-3', join(dir, 'GPL-3.txt'));
}

function write(name: string, pairs: Pairs, header: string): number {
  const text = [`# ${header}`, ...pairs.lines()].join('\n') + '\n';
  const gz = gzipSync(Buffer.from(text, 'utf8'), { level: 9 });
  writeFileSync(join(OUT, name), gz);
  return gz.length;
}

const ru = new Pairs();
freedictEngRus(ru);
if (WITH_MUELLER) mueller(ru);
const cs = new Pairs();
freedictCesEng(cs);
freedictEngCes(cs);
// A Latin word in a text may be English or Czech; where a Czech key is also an English word, the
// English reading wins, so the Czech senses of "chat" (cottage) never reach the value 'CHAT'.
const ambiguous = cs.dropKeys(new Set([...ru.englishKeys(), ...cs.englishKeys()]));

const header = (sources: Map<string, number>) =>
  `lexicon v1: key\tenglish keys; from ${[...sources.keys()].join(', ')}; built by libs/lexicon/tools/build-lexicon.ts`;
writeLicences([
  'freedict-eng-rus',
  ...(WITH_MUELLER ? ['mueller7'] : []),
  'freedict-ces-eng',
  'freedict-eng-ces',
]);
const ruBytes = write('lexicon.ru-en.tsv.gz', ru, header(ru.sources));
const csBytes = write('lexicon.cs-en.tsv.gz', cs, header(cs.sources));
process.stdout.write(
  `ru-en: ${ru.keys} Russian keys, ${ru.size} pairs, ${ruBytes} bytes gzipped ` +
    `${JSON.stringify(Object.fromEntries(ru.sources))}\n` +
    `cs-en: ${cs.keys} Czech keys, ${cs.size} pairs (${ambiguous} dropped: key is an English word too), ` +
    `${csBytes} bytes gzipped ${JSON.stringify(Object.fromEntries(cs.sources))}\n`,
);
