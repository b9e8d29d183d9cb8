import { Lexicon } from '../lexicon/lexicon';
import { tokenize, type Token } from '../text/normalise';
import { editSimilarity, jaroWinkler, trigrams } from './similarity';
import { phraseConcepts, wordForms, type WordForms } from './word-forms';

/** Labels of a coded value, from the semantic model ('F': ru "женщины", en "women"). */
export interface ValueLabels {
  ru?: string | readonly string[];
  en?: string | readonly string[];
}

/** One value a column holds, as the catalog's value index lists it, with its labels if any. */
export interface ValueEntry {
  column: string;
  value: string;
  labels?: ValueLabels;
}

/** How a phrase reached a value, from the most to the least certain. */
export type MatchVia = 'exact' | 'normalised' | 'stem' | 'translit' | 'lexicon' | 'fuzzy';

export interface ValueMatch {
  column: string;
  value: string;
  /** 0..1: the weakest word link times how much of the value the phrase covers. */
  score: number;
  via: MatchVia;
  /** The value or the label the phrase matched. */
  surface: string;
}

/** A stretch of text (UTF-16 offsets) that names values. */
export interface ValueSpan {
  start: number;
  end: number;
  text: string;
  matches: ValueMatch[];
}

export interface ValueMatcherOptions {
  /** Matches below this score are dropped. Default DEFAULT_VALUE_THRESHOLD, measured by bench:value-linking. */
  threshold?: number;
  /** Default: the committed lexicon (Lexicon.load()). */
  lexicon?: Lexicon;
  /** At most this many matches per phrase. Default 10. */
  maxMatches?: number;
}

/**
 * The threshold chosen from `npm run bench:value-linking` (table in libs/lexicon/README.md): the knee
 * of the curve. Below it, ordinary dictionary words start to link (14 of 9,000 trials at 0.8, 43 at
 * 0.775, 89 at 0.725); above it, misspelt values stop linking (recall of one-letter typos 0.90 at 0.8,
 * 0.47 at 0.825).
 */
export const DEFAULT_VALUE_THRESHOLD = 0.8;

/** The score of one word link by its kind; a fuzzy link is this times its similarity. */
const TIER: Record<MatchVia, number> = {
  exact: 1,
  normalised: 0.98,
  stem: 0.95,
  translit: 0.9,
  lexicon: 0.85,
  fuzzy: 0.9,
};
const VIA_ORDER: readonly MatchVia[] = ['exact', 'normalised', 'stem', 'translit', 'lexicon', 'fuzzy'];
/** Below this similarity (mean of Jaro-Winkler and edit similarity) two spellings are different words. */
const FUZZY_FLOOR = 0.8;
/** Words shorter than this never link fuzzily. */
const FUZZY_MIN_LENGTH = 4;
/**
 * A phrase that covers part of a value keeps this share of its score, plus the covered share of the
 * rest: "Брно" names 'Brno - mesto', "Прага" names 'Hl.m. Praha'.
 */
const COVER_BASE = 0.8;
/** Weight of a value's function words and one- or two-letter words ("hl", "m", "nad") in its coverage. */
const MINOR_WEIGHT = 0.05;
/**
 * A lexicon link between two words of few senses is as good as TIER.lexicon; between words of many
 * senses a shared sense may be chance, so it loses LEXICON_SPREAD per doubling of the product of
 * their sense counts over LEXICON_PLAIN, down to LEXICON_FLOOR.
 */
const LEXICON_PLAIN = 16;
const LEXICON_SPREAD = 0.04;
const LEXICON_FLOOR = 0.7;
/** What a value named by a concept's leading words alone loses ("higher education" -> 'tertiary'). */
const HEAD_LEFT_TO_COLUMN = 0.04;
const MAX_WINDOW = 4;

interface Surface {
  entry: number;
  text: string;
  words: readonly number[];
  /** Each word's share in the coverage of a partial match; see weigh(). */
  weights: number[];
  totalWeight: number;
  maxWeight: number;
}

/** A word of a text, with the value words it may stand for (each by its best link). */
interface PhraseWord {
  forms: WordForms;
  links: WordLink[];
  /** The best link's score (0 without links). */
  best: number;
  /** The links by value word, made on first use. */
  byWord?: Map<number, WordLink>;
  reach?: Set<number>;
}

interface WordLink {
  word: number;
  score: number;
  via: MatchVia;
}

/**
 * Links the words of a criteria text to the values columns hold, across case, inflection, script
 * (Czech, English and Russian spellings of one name) and language (through the lexicon). Built once
 * per value index; matching and scanning read its indexes and memoise the words of texts they saw (the
 * same text always gives the same result).
 */
export class ValueMatcher {
  private readonly threshold: number;
  private readonly lexicon: Lexicon;
  private readonly maxMatches: number;
  private readonly entries: readonly ValueEntry[];
  private readonly surfaces: Surface[] = [];
  /** Distinct words of all values and labels, with their forms. */
  private readonly words: WordForms[] = [];
  private readonly wordIds = new Map<string, number>();
  /** Surfaces each word stands in. */
  private readonly wordSurfaces: number[][] = [];
  private readonly byExact = new Map<string, number[]>();
  private readonly byStem = new Map<string, number[]>();
  private readonly bySkeleton = new Map<string, number[]>();
  private readonly byConcept = new Map<string, number[]>();
  private readonly byTrigram = new Map<number, number[]>();
  /** Surfaces of several words by the English keys of the whole ("blue-collar" is "blue collar"). */
  private readonly surfacesByConcept = new Map<string, number[]>();
  private readonly phraseWords = new Map<string, PhraseWord>();
  private readonly phraseConceptCache = new Map<string, readonly string[]>();
  private scratch = new Uint8Array(0);

  constructor(entries: readonly ValueEntry[], options: ValueMatcherOptions = {}) {
    this.threshold = options.threshold ?? DEFAULT_VALUE_THRESHOLD;
    this.lexicon = options.lexicon ?? Lexicon.load();
    this.maxMatches = options.maxMatches ?? 10;
    this.entries = entries;
    entries.forEach((entry, i) => {
      for (const text of [entry.value, ...labelsOf(entry.labels)]) this.addSurface(i, text);
    });
    this.weigh();
  }

  /** Values a phrase names, best first. A phrase of function words or numbers alone names none. */
  match(phrase: string): ValueMatch[] {
    return this.matchTokens(phrase.trim(), tokenize(phrase));
  }

  /**
   * Stretches of a text that name values: windows of one to four words that start and end on a content
   * word and do not cross a comma, semicolon or sentence end; longer windows first, then better ones,
   * never overlapping. Returned in text order.
   */
  scan(text: string): ValueSpan[] {
    const tokens = tokenize(text);
    const candidates: Array<ValueSpan & { from: number; to: number }> = [];
    for (let i = 0; i < tokens.length; i++) {
      if (this.phraseWord((tokens[i] as Token).norm).forms.filler) continue;
      for (let j = i; j < tokens.length && j < i + MAX_WINDOW; j++) {
        if (j > i && BREAK.test(text.slice((tokens[j - 1] as Token).end, (tokens[j] as Token).start))) break;
        if (this.phraseWord((tokens[j] as Token).norm).forms.filler) continue;
        const window = tokens.slice(i, j + 1);
        const start = (tokens[i] as Token).start;
        const end = (tokens[j] as Token).end;
        const matches = this.matchTokens(text.slice(start, end), window);
        if (matches.length)
          candidates.push({ start, end, text: text.slice(start, end), matches, from: i, to: j });
      }
    }
    candidates.sort(
      (a, b) =>
        b.to - b.from - (a.to - a.from) ||
        (b.matches[0] as ValueMatch).score - (a.matches[0] as ValueMatch).score ||
        a.start - b.start,
    );
    const taken = new Array<boolean>(tokens.length).fill(false);
    const spans: ValueSpan[] = [];
    for (const c of candidates) {
      if (taken.slice(c.from, c.to + 1).some(Boolean)) continue;
      taken.fill(true, c.from, c.to + 1);
      spans.push({ start: c.start, end: c.end, text: c.text, matches: c.matches });
    }
    return spans.sort((a, b) => a.start - b.start);
  }

  private addSurface(entry: number, text: string): void {
    const tokens = tokenize(text);
    if (!tokens.length || tokens.every((t) => /^\d+$/.test(t.norm))) return;
    const id = this.surfaces.length;
    const words = tokens.map((t) => this.word(t.norm));
    this.surfaces.push({ entry, text, words, weights: [], totalWeight: 0, maxWeight: 0 });
    for (const w of words) {
      const list = this.wordSurfaces[w] as number[];
      if (list[list.length - 1] !== id) list.push(id);
    }
    push(this.byExact, text.trim(), id);
    for (const concept of phraseConcepts(
      words.map((w) => this.words[w] as WordForms),
      this.lexicon,
    ))
      push(this.surfacesByConcept, concept, id);
  }

  /**
   * A word says as much about a value as it tells it from the column's other values: 'POPLATEK' is
   * in all three of account.frequency, so "еженедельно" (TYDNE) covers most of 'POPLATEK TYDNE', and
   * "Брно" most of 'Brno - mesto' (mesto is in four districts). Weight 1 / (values of the column with
   * the word), less for function words and one- or two-letter words.
   */
  private weigh(): void {
    const columns = new Map<string, number>();
    const columnOf = this.entries.map((e) => {
      let id = columns.get(e.column);
      if (id === undefined) columns.set(e.column, (id = columns.size));
      return id;
    });
    // (column, word) as one number: words are fewer than 2^24.
    const key = (surface: Surface, word: number) => (columnOf[surface.entry] as number) * 16_777_216 + word;
    const df = new Map<number, number>();
    for (const surface of this.surfaces) {
      surface.words.forEach((w, i) => {
        if (surface.words.indexOf(w) === i) df.set(key(surface, w), (df.get(key(surface, w)) ?? 0) + 1);
      });
    }
    for (const surface of this.surfaces) {
      let total = 0;
      surface.weights = surface.words.map((w) => {
        const forms = this.words[w] as WordForms;
        const base = forms.number ? 0.5 : forms.stop || forms.norm.length <= 2 ? MINOR_WEIGHT : 1;
        const weight = base / (df.get(key(surface, w)) ?? 1);
        total += weight;
        return weight;
      });
      surface.totalWeight = total;
      surface.maxWeight = Math.max(...surface.weights);
    }
  }

  private word(norm: string): number {
    const known = this.wordIds.get(norm);
    if (known !== undefined) return known;
    const id = this.words.length;
    const forms = wordForms(norm, this.lexicon);
    this.words.push(forms);
    this.wordIds.set(norm, id);
    this.wordSurfaces.push([]);
    for (const stem of forms.stems) push(this.byStem, stem, id);
    for (const skeleton of forms.skeletons) push(this.bySkeleton, skeleton, id);
    for (const concept of forms.concepts) push(this.byConcept, concept, id);
    if (!forms.number && forms.skeletons[0] && forms.skeletons[0].length >= FUZZY_MIN_LENGTH) {
      for (const gram of trigrams(forms.skeletons[0])) push(this.byTrigram, gram, id);
    }
    return id;
  }

  /** A word of a phrase and the value words it may stand for, each by its best link; cached. */
  private phraseWord(norm: string): PhraseWord {
    const cached = this.phraseWords.get(norm);
    if (cached) return cached;
    const forms = wordForms(norm, this.lexicon);
    const best = new Map<number, WordLink>();
    const own = this.wordIds.get(norm);
    if (own !== undefined) offerLink(best, own, TIER.normalised, 'normalised');
    if (!forms.number) {
      for (const stem of forms.stems)
        for (const w of this.byStem.get(stem) ?? []) offerLink(best, w, TIER.stem, 'stem');
      // Transliteration links scripts; two Latin spellings of one word are the fuzzy match's business.
      for (const s of forms.skeletons) {
        for (const w of this.bySkeleton.get(s) ?? []) {
          if ((this.words[w] as WordForms).cyrillic !== forms.cyrillic)
            offerLink(best, w, TIER.translit, 'translit');
        }
      }
      for (const c of forms.concepts) {
        // A sense the glossary gives the word is sure, however many the dictionary adds ("в браке").
        const glossed = forms.glossed.includes(c);
        for (const w of this.byConcept.get(c) ?? []) {
          const senses = (glossed ? 1 : forms.concepts.length) * (this.words[w] as WordForms).concepts.length;
          const spread = LEXICON_SPREAD * Math.log2(Math.max(1, senses / LEXICON_PLAIN));
          offerLink(best, w, Math.max(LEXICON_FLOOR, TIER.lexicon - spread), 'lexicon');
        }
      }
      this.fuzzy(forms, best);
    }
    const links = [...best.values()];
    const entry: PhraseWord = { forms, links, best: Math.max(0, ...links.map((l) => l.score)) };
    if (this.phraseWords.size > 50_000) this.phraseWords.clear();
    this.phraseWords.set(norm, entry);
    return entry;
  }

  /** Value words spelled like this one: trigram candidates, then Jaro-Winkler on the spelling keys. */
  private fuzzy(forms: WordForms, best: Map<number, WordLink>): void {
    const key = forms.skeletons[0];
    if (!key || key.length < FUZZY_MIN_LENGTH || forms.filler) return;
    const grams = trigrams(key);
    // Shared trigrams counted in a scratch array (a Map per word costs more than the rest of a scan).
    if (this.scratch.length < this.words.length) this.scratch = new Uint8Array(this.words.length * 2);
    const touched: number[] = [];
    for (const gram of grams) {
      for (const w of this.byTrigram.get(gram) ?? []) {
        if (this.scratch[w] === 0) touched.push(w);
        this.scratch[w] = (this.scratch[w] as number) + 1;
      }
    }
    const needed = Math.max(2, Math.ceil(grams.length * 0.4));
    const candidates = touched.filter((w) => (this.scratch[w] as number) >= needed);
    for (const w of touched) this.scratch[w] = 0;
    for (const w of candidates) {
      let similarity = 0;
      for (const a of forms.skeletons) {
        for (const b of (this.words[w] as WordForms).skeletons) {
          // Edit similarity is at most the length ratio: below 0.6 the mean cannot reach the floor.
          if (Math.min(a.length, b.length) < FUZZY_MIN_LENGTH) continue;
          if (Math.min(a.length, b.length) / Math.max(a.length, b.length) < 0.6) continue;
          similarity = Math.max(similarity, (jaroWinkler(a, b) + editSimilarity(a, b)) / 2);
        }
      }
      if (similarity >= FUZZY_FLOOR) offerLink(best, w, TIER.fuzzy * similarity, 'fuzzy');
    }
  }

  private matchTokens(raw: string, tokens: readonly Token[]): ValueMatch[] {
    const words = tokens.map((t) => this.phraseWord(t.norm));
    const content = words.filter((w) => !w.forms.filler);
    if (!content.length) return [];
    const best = new Map<number, ValueMatch>();

    for (const s of this.byExact.get(raw) ?? []) this.offerMatch(best, s, TIER.exact, 'exact');

    // Every content word of the phrase must stand for a word of the value: the surfaces the rarest
    // word reaches, kept if every other word reaches them too.
    const reach = content.map((w) => this.reach(w)).sort((a, b) => a.size - b.size);
    // A bound on any surface's score: the phrase's weakest best link, and the most the phrase's
    // words can cover of it (as many of its heaviest word as the phrase has words).
    const linkBound = Math.min(...content.map((w) => w.best));
    for (const s of reach[0] as Set<number>) {
      const surface = this.surfaces[s] as Surface;
      const coverBound = Math.min(1, (words.length * surface.maxWeight) / surface.totalWeight);
      if (linkBound * (COVER_BASE + (1 - COVER_BASE) * coverBound) < this.threshold) continue;
      if (!reach.every((r) => r.has(s))) continue;
      const scored = this.scoreSurface(this.surfaces[s] as Surface, words);
      if (scored) this.offerMatch(best, s, scored.score, scored.via);
    }

    // A phrase and a value may translate as wholes ("высшее образование" and 'tertiary education',
    // "самозанятые" and 'self-employed'). A phrase's concept of several words also reaches a value
    // named by its leading words, the head noun left to the column ("высшим образованием" 'tertiary'),
    // a little less surely. A single word of many senses loses as its word links do.
    const concepts = this.phraseConcepts(content.map((w) => w.forms));
    const whole =
      content.length > 1
        ? TIER.lexicon
        : TIER.lexicon - LEXICON_SPREAD * Math.log2(Math.max(1, concepts.length / LEXICON_PLAIN));
    const glossed = content.length === 1 ? (content[0]?.forms.glossed ?? []) : [];
    for (const concept of concepts) {
      const score = glossed.includes(concept) ? TIER.lexicon : whole;
      // One word and a value of one word: the word links above judged them, each side's senses counted.
      for (const s of this.surfacesByConcept.get(concept) ?? []) {
        if (content.length > 1 || (this.surfaces[s] as Surface).words.length > 1)
          this.offerMatch(best, s, score, 'lexicon');
      }
      const lead = content.length > 1 ? concept.split(' ').slice(0, -1).join(' ') : '';
      if (!lead) continue;
      for (const s of this.surfacesByConcept.get(lead) ?? [])
        this.offerMatch(best, s, score - HEAD_LEFT_TO_COLUMN, 'lexicon');
    }

    return [...best.values()]
      .sort((a, b) => b.score - a.score || rank(a.via) - rank(b.via) || a.value.localeCompare(b.value))
      .slice(0, this.maxMatches);
  }

  /** Keeps the better of two matches of one value (a value and its labels are several surfaces). */
  private offerMatch(best: Map<number, ValueMatch>, surface: number, score: number, via: MatchVia): void {
    if (score < this.threshold) return;
    const s = this.surfaces[surface] as Surface;
    const known = best.get(s.entry);
    if (known && (known.score > score || (known.score === score && rank(known.via) <= rank(via)))) return;
    const entry = this.entries[s.entry] as ValueEntry;
    best.set(s.entry, {
      column: entry.column,
      value: entry.value,
      score: Math.round(score * 1000) / 1000,
      via,
      surface: s.text,
    });
  }

  /** Surfaces a phrase word may stand in, computed once per word. */
  private reach(word: PhraseWord): Set<number> {
    if (!word.reach) {
      word.reach = new Set<number>();
      for (const link of word.links)
        for (const s of this.wordSurfaces[link.word] as number[]) word.reach.add(s);
    }
    return word.reach;
  }

  private phraseConcepts(forms: readonly WordForms[]): readonly string[] {
    const key = forms.map((f) => f.norm).join(' ');
    let concepts = this.phraseConceptCache.get(key);
    if (!concepts) {
      if (this.phraseConceptCache.size > 50_000) this.phraseConceptCache.clear();
      concepts = phraseConcepts(forms, this.lexicon);
      this.phraseConceptCache.set(key, concepts);
    }
    return concepts;
  }

  /**
   * Pairs the phrase's words with the surface's, best links first, each surface word used once.
   */
  private scoreSurface(
    surface: Surface,
    words: ReadonlyArray<PhraseWord>,
  ): { score: number; via: MatchVia } | undefined {
    const options: Array<{ phrase: number; position: number; score: number; via: MatchVia }> = [];
    for (let phrase = 0; phrase < words.length; phrase++) {
      const w = words[phrase] as PhraseWord;
      w.byWord ??= new Map(w.links.map((link) => [link.word, link]));
      for (let position = 0; position < surface.words.length; position++) {
        const link = w.byWord.get(surface.words[position] as number);
        // A function word pairs only with itself, in either script ("над" with "nad").
        if (!link || (w.forms.filler && link.via !== 'normalised' && link.via !== 'translit')) continue;
        options.push({ phrase, position, score: link.score, via: link.via });
      }
    }
    if (options.length > 1) options.sort((a, b) => b.score - a.score);
    const phraseUsed = new Array<boolean>(words.length).fill(false);
    const surfaceUsed = new Array<boolean>(surface.words.length).fill(false);
    let score = 1;
    let via: MatchVia = 'normalised';
    let covered = 0;
    for (const o of options) {
      if (phraseUsed[o.phrase] || surfaceUsed[o.position]) continue;
      phraseUsed[o.phrase] = surfaceUsed[o.position] = true;
      covered += surface.weights[o.position] as number;
      if (!(words[o.phrase] as { forms: WordForms }).forms.stop) {
        score = Math.min(score, o.score);
        if (rank(o.via) > rank(via)) via = o.via;
      }
    }
    // Content words and numbers must all pair; so must a function word between two content words
    // ("Usti nad Labem"): "Моравии и Северной" is two phrases, not one value.
    let first = -1;
    let last = -1;
    for (let i = 0; i < words.length; i++) {
      if ((words[i] as PhraseWord).forms.filler) continue;
      if (first < 0) first = i;
      last = i;
    }
    for (let i = 0; i < words.length; i++) {
      if (phraseUsed[i]) continue;
      const forms = (words[i] as PhraseWord).forms;
      if (forms.stop ? i > first && i < last : !forms.filler || forms.number) return undefined;
    }
    const coverage = covered / surface.totalWeight;
    return { score: score * (COVER_BASE + (1 - COVER_BASE) * coverage), via };
  }
}

// Punctuation that ends a phrase: a window never crosses it.
const BREAK = /[,;:!?()[\]\n]|\.(?:\s|$)/;

const rank = (via: MatchVia) => VIA_ORDER.indexOf(via);

// A plain function, not a closure per call: tsx wraps each named closure it creates (keepNames).
function offerLink(best: Map<number, WordLink>, word: number, score: number, via: MatchVia): void {
  const known = best.get(word);
  if (!known || known.score < score) best.set(word, { word, score, via });
}

function labelsOf(labels: ValueLabels | undefined): string[] {
  if (!labels) return [];
  return [labels.ru, labels.en].flatMap((l) => (l === undefined ? [] : typeof l === 'string' ? [l] : [...l]));
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}
