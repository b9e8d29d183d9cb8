// Step: values and attributes named in words the model's lexicon does not know.
// Reads: the fragment's text, tokens and mentions, the marks whose words name nothing (numbers, windows,
// fillers, comparisons), the stretches a first reading left unread (`linkable`: only there), and the
// value and attribute linkers (@t2s/lexicon).
// Produces: the mentions, with a value (or attribute) mention for each stretch of unread words that
// surely names a value (or an attribute's terms) in another case, script or language ("в Праге" and
// "Праги" for 'Hl.m. Praha', "золотой" for 'gold', "балансом" for `balance`); the best links, all in
// one table (the value's context decides among its columns).
import { Lexicon, lexiconKey, type ValueMatch } from '@t2s/lexicon';
import { namedInContext, type Named } from '../named-in-context';
import type { LexEntry } from '../../lexicon';
import type { Mark } from '../../text/quantities';
import { normalize, tokenize, type Token } from '../../text/tokens';
import { takenMarks, type FragmentContext, type ParseContext } from '../context';
import { glueVerbs } from '../glue-verbs';
import { pastVerb } from '../lexicon-index';
import { negatedTogether } from '../negated-together';
import { closingNegation, whatItIsOn } from './find-mentions';
import { ATTRIBUTE_COLUMN, NUMBER_COLUMN, type Linker } from '../value-linker';
import type { Mention } from '../parse-types';
import { CODE, COORDINATION, FILLER, NEGATIONS } from '../words';

export function linkedValues(
  ctx: ParseContext,
  frag: FragmentContext,
  linkable: readonly Mark[],
): FragmentContext {
  if (linkable.length === 0) return frag;
  const taken = takenMarks(frag);
  const open = (t: Token) =>
    t.kind === 'word' &&
    !COMPARISON_WORDS.test(t.text) &&
    !FILLER.has(t.stem) &&
    !NEGATIONS.has(t.text) &&
    linkable.some((m) => t.start >= m.start && t.end <= m.end) &&
    // A word mangled by hostile text next to it is no name of anything ("Novgoro'd").
    !frag.hostile.some((h) => t.start <= h.end && h.start <= t.end) &&
    !taken.some((m) => t.start < m.end && m.start < t.end);
  if (!frag.tokens.some(open)) return frag;
  const added: Mention[] = [];
  const linker = ctx.linker();
  // Only stretches of unread words are scanned: a longer window over a word another mention reads
  // ("классической картой", the card read) would hide the unread word's own link.
  let scanned = frag.text;
  for (const t of frag.tokens) {
    // A filler word inside a mention ("yearly" of "average yearly balance") is read too.
    const inMention = frag.mentions.some((m) => t.start >= m.start && t.end <= m.end);
    if (t.kind === 'word' && !open(t) && (!FILLER.has(t.stem) || inMention))
      scanned = scanned.slice(0, t.start) + ' '.repeat(t.end - t.start) + scanned.slice(t.end);
  }
  const spans = [...linker.values.scan(scanned), ...linker.attributes.scan(scanned)];
  for (const span of spans) {
    if (added.some((m) => span.start < m.end && m.start < span.end)) continue;
    const first = frag.tokens.findIndex((t) => t.start >= span.start);
    const last = frag.tokens.findLastIndex((t) => t.end <= span.end);
    if (first < 0 || last < first) continue;
    // Every word of the stretch is unread: a value linked over a word another mention reads is a guess.
    const words = frag.tokens.slice(first, last + 1);
    if (!words.some(open) || !words.every((t) => open(t) || FILLER.has(t.stem))) continue;
    // A name that runs on into hostile text ("Nizhny Novgoro'd") is as unreadable as its mangled end.
    if (frag.hostile.some((h) => h.start >= span.end && h.start - span.end <= 1)) continue;
    const negation = negationBefore(frag, first, [...frag.mentions, ...added]);
    const written = frag.raw.slice(span.start, span.end);
    // A capital letter marks a name, but not on a fragment's first word ("Пришли в банк...").
    const name = first > 0 && /^\p{Lu}/u.test(written);
    // "приходили": a verb misspells no noun ("приходные операции").
    const verb = words.length === 1 && /[а-я]/.test(written.toLowerCase()) && pastVerb(words[0] as Token);
    const sureOnes = span.matches.filter(
      (m) =>
        !(verb && m.via === 'fuzzy') &&
        sure(m, words.length, written, name, scriptsOf(linker.names, m), () =>
          namedInContext(ctx, frag, targetOf(ctx, m), first, last),
        ),
    );
    for (const match of oneTable(best(sureOnes))) {
      const stems = frag.tokens.slice(first, last + 1).map((t) => t.stem);
      const attr = match.column === ATTRIBUTE_COLUMN ? ctx.model.attribute(match.value) : undefined;
      if (match.column === ATTRIBUTE_COLUMN && !attr) continue;
      const number = match.column === NUMBER_COLUMN ? numberColumn(ctx, match.value, stems) : undefined;
      if (match.column === NUMBER_COLUMN && !number) continue;
      added.push({
        entry: attr
          ? { kind: 'attr', attr, stems }
          : number
            ? number
            : {
                kind: 'value',
                column: match.column,
                value: match.value,
                stems,
                partial: false,
                declared: true,
              },
        first,
        last,
        start: negation?.start ?? span.start,
        end: span.end,
        negated: negation !== undefined,
        ...(negation ? { negationAt: negation.start, wordStart: span.start } : {}),
      });
    }
  }
  added.push(...sharedHead(frag, [...frag.mentions, ...added], open, linker));
  if (added.length === 0) return frag;
  // "ипотеки у них пока нет": a negation closing the clause of a linked word (on copies: the first
  // reading's mentions stay as they are).
  const all = whatItIsOn(
    ctx.lexicon,
    [...frag.mentions.map((m) => ({ ...m })), ...added].sort((a, b) => a.first - b.first),
    frag.tokens,
  );
  closingNegation(all, frag.tokens, frag.text, glueVerbs(ctx, frag.tokens));
  const mentions = negatedTogether(all, frag.text);
  return { ...frag, mentions };
}

/**
 * "с начальным или средним образованием": an unread word before "или", "и", "or", "and" and a value,
 * that with the word after the value (what both describe) names another value of its column.
 */
function sharedHead(
  frag: FragmentContext,
  mentions: readonly Mention[],
  open: (t: Token) => boolean,
  linker: Linker,
): Mention[] {
  const added: Mention[] = [];
  for (const m of mentions) {
    if (m.entry.kind !== 'value' || m.first < 2) continue;
    const join = frag.tokens[m.first - 1] as Token;
    const word = frag.tokens[m.first - 2] as Token;
    // What both words describe: the rest of the value's own words, else the word after it.
    const rest = m.last > m.first ? frag.tokens.slice(m.first + 1, m.last + 1) : [frag.tokens[m.last + 1]];
    if (!COORDINATION.has(join.text) || !open(word) || rest.some((t) => t?.kind !== 'word')) continue;
    const column = m.entry.column;
    const value = m.entry.value;
    const match = linker.values
      .match([word, ...rest].map((t) => (t as Token).text).join(' '))
      .find((v) => v.column === column && v.value !== value && v.score >= LEXICON_PHRASE);
    if (!match || added.some((a) => a.first === m.first - 2)) continue;
    added.push({
      entry: {
        kind: 'value',
        column,
        value: match.value,
        stems: [word.stem],
        partial: false,
        declared: true,
      },
      first: m.first - 2,
      last: m.first - 2,
      start: word.start,
      end: word.end,
      negated: false,
    });
  }
  return added;
}

/** A numeric column as a column mention ("уровнем безработицы": district.a13). */
function numberColumn(ctx: ParseContext, ref: string, stems: string[]): LexEntry | undefined {
  const type = ctx.model.graph.column(ref)?.type;
  return type ? { kind: 'column', column: ref, type, stems } : undefined;
}

/**
 * One column's value, or values of one table's columns: a stretch whose best links go to several
 * tables ("путешествовать": a travel loan, a travel policy, travel agencies) says no more than a word.
 */
function oneTable(matches: readonly ValueMatch[]): readonly ValueMatch[] {
  return new Set(matches.map((m) => m.column.split('.')[0])).size === 1 ? matches : [];
}

/**
 * Whether a link is sure enough to read a criterion from, where a wrong one would go unnoticed:
 * - a lexicon link from one language to another, between words of few senses only (TIER.lexicon of
 *   @t2s/lexicon; words of many senses share one by chance: "проживают" and a settlement);
 * - no fuzzy link of a short word ("hold" is not 'GOLD'), and a code only as written ("credited" is
 *   not 'CREDIT');
 * - a stretch that names only part of a value or label is a name written as one ("Брно" for
 *   'Brno - mesto', "Праги" for 'Hl.m. Praha'), not an ordinary word ("uses" is not a used car,
 *   "семьи" not "Одежда для всей семьи").
 */
function sure(
  match: ValueMatch,
  words: number,
  written: string,
  name: boolean,
  scripts: ReadonlySet<boolean>,
  inContext: () => boolean,
): boolean {
  const text = written.toLowerCase();
  // A code ('CREDIT', 'OPENED') is named by its labels; as a word it is only itself, written as one.
  if (CODE.test(match.surface) && !(match.via === 'exact' && written === match.surface)) return false;
  // A lexicon link translates, for a value nobody named in the text's own language ("золотой": 'gold');
  // a value with a name in that language would have been read by it ("message" is no 'EMAIL').
  // A phrase of several words translated whole is surer than a word ("высшим образованием": 'tertiary').
  // A word of many senses is sure where the fragment names what it is a value of too ("итог прошлой
  // кампании — неудача": the outcome of the previous campaign) or gives its unit ("остатком больше 1000
  // евро": the balance in euros).
  const fewSenses = words > 1 ? LEXICON_PHRASE : LEXICON_FEW_SENSES;
  const senses = match.score >= fewSenses || (match.score >= LEXICON_IN_CONTEXT && inContext());
  // In the value's own language only the domain glossary links ("university degree": tertiary
  // education; "mortgage": housing loan); a dictionary's word for a word is a guess.
  const glossed = !cyrillic(text) && glossarySynonyms(text, match.surface);
  // "страховые взносы" for 'страховые платежи': a name of several words, in its own language, with a
  // word for a word of the same sense and the rest as written.
  const synonym = words > 1 && sharesWord(text, match.surface);
  if (match.via === 'lexicon' && (!senses || (scripts.has(cyrillic(text)) && !glossed && !synonym)))
    return false;
  if (match.via === 'fuzzy' && text.length < 6) return false;
  // "указан" is not 'Казань': a word in lower case misspells no proper name.
  if (match.via === 'fuzzy' && /^\p{Lu}\p{Ll}/u.test(match.surface) && !/^\p{Lu}/u.test(written))
    return false;
  // A translation names the whole value, whatever its word count ("самозанятые": 'self-employed').
  if (match.via === 'lexicon') return true;
  return words >= wordsOf(match.surface) || name || match.via === 'translit';
}

/** Whether two phrases share a content word (by stem). */
function sharesWord(a: string, b: string): boolean {
  const stems = (text: string) =>
    tokenize(normalize(text))
      .filter((t) => t.kind === 'word' && t.text.length > 2 && !FILLER.has(t.stem))
      .map((t) => t.stem);
  const own = new Set(stems(a));
  return stems(b).some((stem) => own.has(stem));
}

const LEXICON_FEW_SENSES = 0.85;
const LEXICON_PHRASE = 0.8;
const LEXICON_IN_CONTEXT = 0.8;

/** What a link names: an attribute, or a column (of a value, or a numeric one). */
function targetOf(ctx: ParseContext, match: ValueMatch): Named {
  if (match.column === ATTRIBUTE_COLUMN) return { attr: ctx.model.attribute(match.value) };
  return { column: match.column === NUMBER_COLUMN ? match.value : match.column };
}

/** Whether the glossary gives the English words and the value's name as one concept (or a word of it). */
function glossarySynonyms(written: string, surface: string): boolean {
  const name = lexiconKey(surface, 'en');
  const phrase = (key: string) => key.includes(' ');
  // "mortgage yet": the words that say something.
  const said = tokenize(normalize(written))
    .filter((t) => t.kind === 'word' && !FILLER.has(t.stem))
    .map((t) => t.text)
    .join(' ');
  const own = lexiconKey(said, 'en');
  if (name === '') return false;
  // "retirees": 'retired', the same word.
  if (own === name) return true;
  // A phrase on one side at least: a glossary line's single words are as loose as a dictionary's
  // ("work" is no bank employee).
  if (!phrase(name) && !phrase(own)) return false;
  return Lexicon.load()
    .english(own)
    .some((key) => key === name || key.split(' ').includes(name));
}

function cyrillic(text: string): boolean {
  return /[а-яё]/i.test(text);
}

/** The scripts a value is named in (its own spelling and its labels): true for Cyrillic. */
function scriptsOf(names: Linker['names'], match: ValueMatch): ReadonlySet<boolean> {
  return new Set((names.get(`${match.column}=${match.value}`) ?? [match.value]).map(cyrillic));
}

/** Words of comparisons, read by the numbers' step even when their number is unreadable. */
const COMPARISON_WORDS =
  /^(больше|более|меньше|менее|свыше|выше|ниже|старше|младше|моложе|дольше|over|under|above|below|more|less|older|younger|greater|fewer|least|most)$/;

function wordsOf(surface: string): number {
  return surface.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2).length;
}

/** The matches tied for the best score, one per column. */
function best(matches: readonly ValueMatch[]): ValueMatch[] {
  const top = matches[0]?.score;
  if (top === undefined) return [];
  const seen = new Set<string>();
  return matches.filter((m) => {
    if (m.score < top - 1e-9 || seen.has(m.column)) return false;
    seen.add(m.column);
    return true;
  });
}

/** A negation word right before the stretch (up to two words on, none of them another mention's). */
function negationBefore(
  frag: FragmentContext,
  first: number,
  mentions: readonly Mention[],
): Token | undefined {
  for (let k = first - 1; k >= Math.max(0, first - 2); k--) {
    if (mentions.some((m) => k >= m.first && k <= m.last)) return undefined;
    const token = frag.tokens[k] as Token;
    if (NEGATIONS.has(token.text)) return token;
  }
  return undefined;
}
