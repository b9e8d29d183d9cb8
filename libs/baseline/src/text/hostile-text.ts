// Hostile text: what a client sends that is not criteria, on purpose or through a broken integration.
// SQL (function calls, statements after a semicolon, tautologies, comment markers), terminal escape
// sequences and other control characters, bidi overrides and zero-width characters that hide text, and
// quote debris (stray quotes and backslashes glued to words). None of it reaches SQL (only the value
// index's own values do), but read as criteria it turns into numbers and values nobody asked for:
// "возраст больше pg_sleep(10)" became age > 10, a colour code `ESC[31m` age = 31.
//
// A pure pre-parse step: it tokenises the text, marks the hostile spans (characters here, code in
// `hostile-code.ts`), widens each to the words it is glued to, merges and blanks them (spaces, so
// offsets hold). The parser reads only the blanked text and reports the spans as unparsed, invisible
// characters shown. Ordinary prose is never marked: parentheses after a space ("(кроме VIP)"),
// apostrophes in English words ("O'Brien", "clients' cards"), balanced quotes and guillemets, dashes.

import {
  BOOLEAN_TAIL,
  calls,
  comments,
  encoded,
  isDash,
  isSpace,
  Lines,
  statements,
  tautologies,
  trimEnd,
  type HostileKind,
  type Mark,
} from './hostile-code';

export type { HostileKind };

export interface HostileSpan {
  start: number;
  end: number;
  kinds: HostileKind[];
  /**
   * A word written with hostile characters in or around it ("бо⟨U+200B⟩льше", "Моск'ва", "тыс⟨U+00AD⟩"),
   * rather than code: the words or the unit of a number next to it may be lost in it.
   */
  word: boolean;
  /** The span as written, invisible characters shown as ⟨U+XXXX⟩. */
  shown: string;
}

export interface ScreenedText {
  /** The text with every hostile span blanked: spaces of the same length, so offsets hold. */
  masked: string;
  spans: HostileSpan[];
}

// --- Characters ------------------------------------------------------------------------------------

/** Controls, format characters (zero-width, bidi, soft hyphen, tags), lone surrogates, blank fillers. */
const INVISIBLE = /^[\p{Cc}\p{Cf}\p{Cs}\u115F\u1160\u3164\uFFA0]$/u;
/** Bidi embeddings, overrides and isolates: what follows them is shown in another order than it is read. */
const BIDI_CLOSER: Record<string, string> = {
  '\u202A': '\u202C',
  '\u202B': '\u202C',
  '\u202D': '\u202C',
  '\u202E': '\u202C',
  '\u2066': '\u2069',
  '\u2067': '\u2069',
  '\u2068': '\u2069',
};
/** ECMA-48 sequences: CSI (`ESC[31m`), OSC (`ESC]0;title BEL`), string controls and two-character escapes. */
const ESCAPE =
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|[PX^_][^\x1b\n]*(?:\x1b\\)?|[ -/]*[0-~])?|\x9b[0-?]*[ -/]*[@-~]/y;
/** The same sequences with the escape character lost or written out (`^[[31m`, `[0m`): escape debris. */
const ESCAPE_DEBRIS = /(?:\^\[)?\[[0-9]{1,3}(?:;[0-9]{1,3})*[mKJHfABCDG](?![\p{L}\p{N}])/uy;

// Quotes of one family pair with each other; guillemets and low quotes have a direction of their own.
const QUOTE_FAMILY: Record<string, string> = {
  '"': 'double',
  '“': 'double',
  '”': 'double',
  '„': 'double',
  '‟': 'double',
  '″': 'double',
  '＂': 'double',
  "'": 'single',
  '‘': 'single',
  '’': 'single',
  '‚': 'single',
  '‛': 'single',
  '′': 'single',
  '＇': 'single',
  '´': 'single',
  '`': 'backtick',
  '«': 'guillemet',
  '»': 'guillemet',
  '‹': 'angle',
  '›': 'angle',
};
const OPENS_ONLY = new Set(['«', '‹', '„', '‚']);
const CLOSES_ONLY = new Set(['»', '›']);
/** Quote characters that are also apostrophes inside an English word ("O'Brien", "clients’"). */
const APOSTROPHES = new Set(["'", '’', '‘', '´', '`']);

const isQuote = (c: string | undefined) => c !== undefined && c in QUOTE_FAMILY;
const isLatin = (c: string | undefined) => c !== undefined && /^[A-Za-z]$/.test(c);
/** A quote may open after these (or at the start of a line). */
const OPEN_AFTER = /^[\s([{\-–—/]$/u;
/** A quote may close before these (or at the end of a line). */
const CLOSE_BEFORE = /^[\s)\]}.,;:!?…\-–—/]$/u;

// --- Tokens ----------------------------------------------------------------------------------------

type TokenKind = 'space' | 'word' | 'quote' | 'escape' | 'invisible' | 'bidi' | 'backslash' | 'other';

interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

/** Words, quotes, escape sequences, invisible characters and the rest, by code point. */
function hostileTokens(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = String.fromCodePoint(text.codePointAt(i) as number);
    const start = i;
    ESCAPE.lastIndex = i;
    ESCAPE_DEBRIS.lastIndex = i;
    const escape = ESCAPE.exec(text) ?? ((c === '[' || c === '^') && ESCAPE_DEBRIS.exec(text));
    if (escape) {
      i += escape[0].length;
      tokens.push({ kind: 'escape', start, end: i });
      continue;
    }
    i += c.length;
    const kind: TokenKind = isSpace(c)
      ? 'space'
      : c in BIDI_CLOSER
        ? 'bidi'
        : INVISIBLE.test(c)
          ? 'invisible'
          : isQuote(c)
            ? 'quote'
            : c === '\\'
              ? 'backslash'
              : /^[\p{L}\p{N}\p{M}_]$/u.test(c)
                ? 'word'
                : 'other';
    const last = tokens.at(-1);
    if (last && last.kind === kind && (kind === 'word' || kind === 'space')) last.end = i;
    else tokens.push({ kind, start, end: i });
  }
  return tokens;
}

// --- Spans -----------------------------------------------------------------------------------------

type Span = Mark & { kinds: HostileKind[] };

/**
 * The hostile spans of a text, merged, each with what it is and how it looks; and the text with them
 * blanked. A leading byte-order mark is an encoding's, not the text's, and is left alone.
 */
export function screenText(text: string): ScreenedText {
  const tokens = hostileTokens(text);
  const lines = new Lines(text);
  const marks: Mark[] = [
    ...controls(text, tokens, lines),
    ...strayQuotes(text, tokens),
    ...calls(text, lines),
    ...statements(text),
    ...comments(text, lines),
    ...tautologies(text),
    ...encoded(text),
  ];
  if (marks.length === 0) return { masked: text, spans: [] };
  // A word glued to hostile characters is part of them: "Моск'ва" is no city, `ESC[31m30` no age.
  const words = new Words(text);
  let spans = merge(
    text,
    marks.map((m) => words.around(m)),
  );
  // "' OR 1 --", "' OR 1=1 -- x": a boolean operator with a literal, or a double hyphen, next to hostile
  // text is part of it.
  spans = merge(text, [...spans, ...tails(text, spans)]);
  const pieces: string[] = [];
  let at = 0;
  for (const s of spans) {
    pieces.push(text.slice(at, s.start), ' '.repeat(s.end - s.start));
    at = s.end;
  }
  pieces.push(text.slice(at));
  return {
    masked: pieces.join(''),
    spans: spans.map((s) => ({
      start: s.start,
      end: s.end,
      kinds: s.kinds,
      word: isWord(text.slice(s.start, s.end), s.kinds),
      shown: showInvisible(text.slice(s.start, s.end)),
    })),
  };
}

/** Letters of a word, once controls, quotes and backslashes are taken out; not code. */
function isWord(span: string, kinds: readonly HostileKind[]): boolean {
  if (!kinds.every((k) => k === 'control' || k === 'quote')) return false;
  const letters = hostileTokens(span)
    .filter((t) => t.kind === 'word' || t.kind === 'other')
    .map((t) => span.slice(t.start, t.end))
    .join('');
  return /\p{L}{2,}/u.test(letters);
}

/** Invisible and control characters written out as ⟨U+XXXX⟩; everything else as it is. */
export function showInvisible(text: string): string {
  let out = '';
  for (const c of text) {
    const visible = c === ' ' || (!INVISIBLE.test(c) && !(isSpace(c) && c !== '\u00a0' && c !== '\u202f'));
    out += visible ? c : `⟨U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}⟩`;
  }
  return out;
}

/** A stretch of the original text with the hostile spans in it shown (invisible characters written out). */
export function showWithin(
  text: string,
  spans: readonly HostileSpan[],
  start = 0,
  end = text.length,
): string {
  let out = '';
  let at = start;
  for (const s of spans) {
    if (s.end <= start || s.start >= end) continue;
    const from = Math.max(s.start, start);
    const to = Math.min(s.end, end);
    out += text.slice(at, from) + showInvisible(text.slice(from, to));
    at = to;
  }
  return out + text.slice(at, end);
}

/** Escape sequences, invisible characters and bidi runs (to their closing mark or the end of the line). */
function controls(text: string, tokens: Token[], lines: Lines): Mark[] {
  const marks: Mark[] = [];
  let bidiUntil = 0;
  for (const t of tokens) {
    if (t.kind === 'escape' || (t.kind === 'invisible' && !(t.start === 0 && text[0] === '\uFEFF'))) {
      marks.push({ start: t.start, end: t.end, kind: 'control' });
    } else if (t.kind === 'backslash') {
      // A backslash escapes something: a quote (`"Kazan\"`), a character code (`\u001b`, `\x1b`).
      marks.push({ start: t.start, end: t.end, kind: 'quote' });
    } else if (t.kind === 'bidi' && t.start >= bidiUntil) {
      const line = lines.end(t.end);
      const close = text.slice(t.end, line).indexOf(BIDI_CLOSER[text[t.start] as string] as string);
      bidiUntil = close >= 0 ? t.end + close + 1 : line;
      marks.push({ start: t.start, end: bidiUntil, kind: 'control' });
    }
  }
  return marks;
}

/**
 * Quotes that open nothing and close nothing. An English apostrophe ("O'Brien", "don't", "Moscow's"),
 * one after an English plural ("clients' cards") or in a number's "'s" ("2008's") is a letter of its word.
 * A quote opens after a space or a bracket and closes before one; one glued on both sides ("Моск'ва"),
 * loose between spaces, or left without its pair at the end of the line is debris. Guillemets and low
 * quotes keep their direction whatever is around them.
 */
function strayQuotes(text: string, tokens: Token[]): Mark[] {
  const stray: Mark[] = [];
  let open: { at: number; family: string }[] = [];
  const pending = new Map<string, number>();
  const flush = () => {
    for (const o of open) stray.push({ start: o.at, end: o.at + 1, kind: 'quote' });
    open = [];
    pending.clear();
  };
  for (const t of tokens) {
    if (t.kind === 'space' && text.slice(t.start, t.end).includes('\n')) flush();
    if (t.kind !== 'quote') continue;
    const at = t.start;
    const c = text[at] as string;
    const left = at > 0 ? text[at - 1] : undefined;
    const right = text[at + 1];
    const family = QUOTE_FAMILY[c] as string;
    if (APOSTROPHES.has(c) && isLatin(left) && isLatin(right) && englishApostrophe(text, at)) continue;
    // "2008's Grand Prix", "player 23's scores".
    if (
      APOSTROPHES.has(c) &&
      /^\d$/.test(left ?? '') &&
      right === 's' &&
      !/^\p{L}$/u.test(text[at + 2] ?? '')
    )
      continue;
    const isPending = (pending.get(family) ?? 0) > 0;
    if (APOSTROPHES.has(c) && left === 's' && isLatin(text[at - 2]) && !isPending) {
      if (right === undefined || CLOSE_BEFORE.test(right) || otherQuote(c, right)) continue;
    }
    // Another kind of quote next to this one nests («„...“»); the same one doubled ('') is debris.
    const canOpen =
      !CLOSES_ONLY.has(c) &&
      (OPENS_ONLY.has(c) ||
        ((left === undefined || OPEN_AFTER.test(left) || otherQuote(c, left)) &&
          right !== undefined &&
          !isSpace(right)));
    const canClose =
      !OPENS_ONLY.has(c) &&
      (CLOSES_ONLY.has(c) ||
        (left !== undefined &&
          !isSpace(left) &&
          (right === undefined || CLOSE_BEFORE.test(right) || otherQuote(c, right))));
    if (canClose && !(canOpen && !isPending)) {
      let k = open.length - 1;
      while (k >= 0 && (open[k] as { family: string }).family !== family) k--;
      const opener = open[k];
      // A pair with nothing inside ('', "") quotes nothing.
      if (opener && opener.at < at - 1) {
        // Quotes opened inside this pair and never closed are debris.
        for (const o of open.splice(k)) {
          pending.set(o.family, (pending.get(o.family) ?? 1) - 1);
          if (o !== opener) stray.push({ start: o.at, end: o.at + 1, kind: 'quote' });
        }
        continue;
      }
      stray.push({ start: at, end: at + 1, kind: 'quote' });
      continue;
    }
    if (canOpen) {
      open.push({ at, family });
      pending.set(family, (pending.get(family) ?? 0) + 1);
      continue;
    }
    stray.push({ start: at, end: at + 1, kind: 'quote' });
  }
  flush();
  return stray;
}

/** A quote character next to `c` that is not `c` itself. */
function otherQuote(c: string, next: string): boolean {
  return next !== c && isQuote(next);
}

const PRONOUNS = new Set(
  'i you he she it we they who that there here what where how which why when this'.split(' '),
);

/**
 * Whether a quote between Latin letters is an English apostrophe: a possessive or "is" ("Moscow's",
 * "it's"), a negation ("don't", "isn't"), a pronoun's contraction ("they'd", "I'm", "we'll"), or a name's
 * particle ("O'Brien", "D'Angelo", "L'Oreal"). Inside any other word it is debris: "Novgoro'd" is no
 * "Novgoro" with a rating D, "Mos'cow" no Moscow.
 */
function englishApostrophe(text: string, at: number): boolean {
  const before = (/[A-Za-z]+$/.exec(text.slice(Math.max(0, at - 40), at))?.[0] ?? '').toLowerCase();
  const after = (/^[A-Za-z]+/.exec(text.slice(at + 1, at + 41))?.[0] ?? '').toLowerCase();
  if (after === 's') return true;
  if (after === 't') return before.endsWith('n');
  if (['d', 'm', 'll', 've', 're'].includes(after)) return PRONOUNS.has(before);
  return /^[odl]$/.test(before);
}

/**
 * "' OR 1 --", "' OR 1=1 -- x": a boolean operator with a literal, or a double hyphen written as a dash,
 * right before or after a hostile span (other than a control character) belongs to it.
 */
function tails(text: string, spans: readonly Span[]): Mark[] {
  const sqlish = spans.filter((s) => s.kinds.some((k) => k !== 'control'));
  const touches = (start: number, end: number) =>
    sqlish.some(
      (s) =>
        (s.end <= start && /^[ \t,;]*$/.test(text.slice(s.end, start))) ||
        (s.start >= end && /^[ \t,;]*$/.test(text.slice(end, s.start))),
    );
  const marks: Mark[] = [];
  for (const match of text.matchAll(BOOLEAN_TAIL)) {
    const start = match.index;
    const end = start + match[0].length;
    if (touches(start, end)) marks.push({ start, end, kind: 'sql' });
  }
  for (const match of text.matchAll(/-{2,}/g)) {
    const start = match.index;
    const end = start + match[0].length;
    if (isDash(text, start, end) && touches(start, end)) marks.push({ start, end, kind: 'comment' });
  }
  return marks;
}

/** The words of a text, as runs between spaces, commas and semicolons, found once. */
class Words {
  /** For each position, where its run starts and ends. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  constructor(private readonly text: string) {
    const n = text.length;
    this.starts = new Int32Array(n + 1);
    this.ends = new Int32Array(n + 1);
    for (let i = 0, start = 0; i <= n; i++) {
      this.starts[i] = start;
      if (i < n && edge(text[i])) start = i + 1;
    }
    for (let i = n, end = n; i >= 0; i--) {
      if (i < n && edge(text[i])) end = i;
      this.ends[i] = end;
    }
  }

  /** The mark widened to the word it is glued to; a sentence's own full stop after it stays outside. */
  around(mark: Mark): Mark {
    const text = this.text;
    const start = edge(text[mark.start]) ? mark.start : (this.starts[mark.start] as number);
    let end = isSpace(text[mark.end - 1]) ? mark.end : (this.ends[mark.end] as number);
    while (end > mark.end && /[.:!?…]/.test(text[end - 1] as string)) end--;
    return { start, end, kind: mark.kind };
  }
}

function edge(c: string | undefined): boolean {
  return c === undefined || isSpace(c) || c === ',' || c === ';';
}

/** Marks sorted and joined where they overlap or only spaces, commas or semicolons part them on a line. */
function merge(text: string, marks: readonly (Mark & { kinds?: HostileKind[] })[]): Span[] {
  const sorted = [...marks].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const m of sorted) {
    const kinds = m.kinds ?? [m.kind];
    const last = out.at(-1);
    if (last && (m.start <= last.end || /^[ \t,;]*$/.test(text.slice(last.end, m.start)))) {
      last.end = Math.max(last.end, m.end);
      for (const k of kinds) if (!last.kinds.includes(k)) last.kinds.push(k);
      continue;
    }
    out.push({ start: m.start, end: m.end, kind: m.kind, kinds: [...kinds] });
  }
  // Spaces at a span's edges (a bidi run to the end of its line) are the text's.
  for (const span of out) span.end = trimEnd(text, span.start, span.end);
  return out;
}
