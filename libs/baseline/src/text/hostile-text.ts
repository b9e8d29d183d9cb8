// Hostile text: what a client sends that is not criteria, on purpose or through a broken integration.
// SQL (function calls, statements after a semicolon, tautologies, comment markers), terminal escape
// sequences and other control characters, bidi overrides and zero-width characters that hide text, and
// quote debris (stray quotes and backslashes glued to words). None of it reaches SQL (only the value
// index's own values do), but read as criteria it turns into numbers and values nobody asked for:
// "возраст больше pg_sleep(10)" became age > 10, a colour code `ESC[31m` age = 31.
//
// A pure pre-parse step: it tokenises the text, marks the hostile spans and blanks them (spaces, so
// offsets hold), and the parser reads only the blanked text and reports the spans as unparsed, with
// invisible characters shown. Ordinary prose is never marked: parentheses after a space ("(кроме VIP)"),
// apostrophes in English words ("O'Brien", "clients' cards"), balanced quotes and guillemets, dashes.

export type HostileKind = 'control' | 'call' | 'sql' | 'comment' | 'quote' | 'encoded' | 'code';

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

/** Whitespace that is part of ordinary text (tabs, line breaks, no-break and other typographic spaces). */
const ORDINARY_SPACE = /^[\t\n\v\f\r\p{Zs}\u2028\u2029]$/u;
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
const isSpace = (c: string | undefined) => c !== undefined && ORDINARY_SPACE.test(c);
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

interface Mark {
  start: number;
  end: number;
  kind: HostileKind;
}

type Span = Mark & { kinds: HostileKind[] };

/**
 * The hostile spans of a text, merged, each with what it is and how it looks; and the text with them
 * blanked. A leading byte-order mark is an encoding's, not the text's, and is left alone.
 */
export function screenText(text: string): ScreenedText {
  const tokens = hostileTokens(text);
  const marks: Mark[] = [
    ...controls(text, tokens),
    ...strayQuotes(text, tokens),
    ...calls(text),
    ...statements(text),
    ...comments(text),
    ...tautologies(text),
    ...encoded(text),
  ];
  if (marks.length === 0) return { masked: text, spans: [] };
  // A word glued to hostile characters is part of them: "Моск'ва" is no city, `ESC[31m30` no age.
  let spans = merge(
    text,
    marks.map((m) => glued(text, m)),
  );
  // "' OR 1 --", "' OR 1=1 -- x": a boolean operator with a literal, or a double hyphen, next to hostile
  // text is part of it.
  spans = merge(text, [...spans, ...tails(text, spans)]);
  let masked = text;
  for (const s of spans)
    masked = masked.slice(0, s.start) + ' '.repeat(s.end - s.start) + masked.slice(s.end);
  return {
    masked,
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
function controls(text: string, tokens: Token[]): Mark[] {
  const marks: Mark[] = [];
  for (const t of tokens) {
    if (t.kind === 'escape' || (t.kind === 'invisible' && !(t.start === 0 && text[0] === '\uFEFF'))) {
      marks.push({ start: t.start, end: t.end, kind: 'control' });
    } else if (t.kind === 'backslash') {
      // A backslash escapes something: a quote (`"Kazan\"`), a character code (`\u001b`, `\x1b`).
      marks.push({ start: t.start, end: t.end, kind: 'quote' });
    } else if (t.kind === 'bidi') {
      const closer = BIDI_CLOSER[text[t.start] as string] as string;
      const line = lineEnd(text, t.end);
      const close = text.indexOf(closer, t.end);
      marks.push({ start: t.start, end: close >= 0 && close < line ? close + 1 : line, kind: 'control' });
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
  const flush = () => {
    for (const o of open) stray.push({ start: o.at, end: o.at + 1, kind: 'quote' });
    open = [];
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
    const pending = open.some((o) => o.family === family);
    if (APOSTROPHES.has(c) && left === 's' && isLatin(text[at - 2]) && !pending) {
      if (right === undefined || CLOSE_BEFORE.test(right) || isQuote(right)) continue;
    }
    const canOpen =
      !CLOSES_ONLY.has(c) &&
      (OPENS_ONLY.has(c) ||
        ((left === undefined || OPEN_AFTER.test(left) || isQuote(left)) &&
          right !== undefined &&
          !isSpace(right)));
    const canClose =
      !OPENS_ONLY.has(c) &&
      (CLOSES_ONLY.has(c) ||
        (left !== undefined &&
          !isSpace(left) &&
          (right === undefined || CLOSE_BEFORE.test(right) || isQuote(right))));
    if (canClose && !(canOpen && !pending)) {
      const k = open.map((o) => o.family).lastIndexOf(family);
      if (k >= 0) {
        // Quotes opened inside this pair and never closed are debris.
        for (const o of open.slice(k + 1)) stray.push({ start: o.at, end: o.at + 1, kind: 'quote' });
        open = open.slice(0, k);
        continue;
      }
      stray.push({ start: at, end: at + 1, kind: 'quote' });
      continue;
    }
    if (canOpen) {
      open.push({ at, family });
      continue;
    }
    stray.push({ start: at, end: at + 1, kind: 'quote' });
  }
  flush();
  return stray;
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

// Characters written in a transport's encoding ("%27", "&#39;", "&quot;"), and substitutions and markup
// of templates, shells and HTML ("${jndi:...}", "{{7*7}}", "$(reboot)", "<script>").
const ENCODED =
  /(?<![\p{L}\p{N}%])(?:%[0-9A-Fa-f]{2})+|&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/gu;
const CODE =
  /\$\{[^}\n]*\}?|\{\{[^}\n]*(?:\}\})?|\$\([^)\n]*\)?|<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?\/?>/g;

function encoded(text: string): Mark[] {
  return [
    ...[...text.matchAll(ENCODED)].map((m) => ({
      start: m.index,
      end: m.index + m[0].length,
      kind: 'encoded' as const,
    })),
    ...[...text.matchAll(CODE)].map((m) => ({
      start: m.index,
      end: m.index + m[0].length,
      kind: 'code' as const,
    })),
  ];
}

// Names of functions an injection reaches for, besides any name with `_`, `$`, a digit or a schema.
const KNOWN_FUNCTIONS = new Set(
  (
    'sleep benchmark version char chr concat ascii ord hex unhex substr substring mid length lower upper ' +
    'cast convert extract extractvalue updatexml database schema user now md5 sha1 sha2 count exec ' +
    'execute waitfor if iif coalesce nullif ifnull isnull randomblob load_file lo_import dblink ' +
    'current_user session_user system_user current_setting set_config query_to_xml'
  ).split(' '),
);
const CALL = /(?<![\p{L}\p{N}_$.])((?:[\p{L}_][\p{L}\p{N}_$]*\.)*[\p{L}_][\p{L}\p{N}_$]*)([ \t]*)\(/gu;

/**
 * Function calls: a name and its parenthesised arguments ("pg_sleep(10)", "version()",
 * "lo_import('/etc/passwd')"). A Cyrillic word before a parenthesis is prose ("лет(18-25)"); a Latin
 * one glued to it is a call when its name or arguments look like code; after a space only a code name
 * is ("pg_sleep (10)", "sleep (5)"), never prose ("VIP (premium)", "clients (except VIP)").
 */
function calls(text: string): Mark[] {
  const marks: Mark[] = [];
  for (const match of text.matchAll(CALL)) {
    const name = match[1] as string;
    const gap = match[2] as string;
    const open = match.index + match[0].length - 1;
    const close = closingParen(text, open);
    const args = text.slice(open + 1, close ?? lineEnd(text, open));
    const codeName = /[_$.\d]/.test(name);
    const known = KNOWN_FUNCTIONS.has(name.toLowerCase());
    const cyrillicOnly = !/[A-Za-z]/.test(name);
    const isCall = cyrillicOnly ? codeName : codeName || ((gap === '' || known) && codeArguments(args));
    if (!isCall) continue;
    // Unclosed: the arguments run to the end of the line, or to the next Cyrillic word.
    const end = close !== null ? close + 1 : unclosedEnd(text, open + 1);
    marks.push({ start: match.index, end, kind: 'call' });
  }
  return marks;
}

/**
 * Arguments with no words outside quotes (numbers, strings, operators), a call of their own, or SQL
 * ("x as int", "epoch from now()"); not words in brackets ("user(s)", "Pay(NFC)").
 */
function codeArguments(args: string): boolean {
  const bare = args.replace(/'[^']*'|"[^"]*"/g, ' ');
  return (
    !/\p{L}/u.test(bare) ||
    /[A-Za-z_][A-Za-z0-9_]*\s*\(/.test(bare) ||
    /\b(?:as|from|select|union|null|int|integer|text|varchar|bigint|numeric|epoch)\b/i.test(bare)
  );
}

/** The index of the parenthesis closing the one at `open`, on the same line; quoted strings skipped. */
function closingParen(text: string, open: number): number | null {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n') return null;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      const line = lineEnd(text, i);
      if (end < 0 || end > line) return null;
      i = end;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')' && --depth === 0) return i;
  }
  return null;
}

function unclosedEnd(text: string, from: number): number {
  const line = lineEnd(text, from);
  const cyrillic = text.slice(from, line).search(/[а-яё]/i);
  return trimEnd(text, from, cyrillic >= 0 ? from + cyrillic : line);
}

const B = String.raw`(?<![\p{L}\p{N}_])`;
const E = String.raw`(?![\p{L}\p{N}_])`;
const IDENT = String.raw`[\p{L}_"\x60][\p{L}\p{N}_."\x60]*`;
/** Statements no criteria text contains, wherever they are. */
const STRONG_STATEMENT = [
  String.raw`drop\s+(?:table|database|schema|view|function|procedure|role|user|index|trigger|sequence|extension|owned|type|policy|materialized\s+view)`,
  String.raw`delete\s+from\s+${IDENT}`,
  String.raw`insert\s+into\s+${IDENT}`,
  String.raw`union\s+(?:all\s+|distinct\s+)?select`,
  String.raw`truncate\s+table`,
  String.raw`alter\s+(?:table|role|user|system|database|schema|function|default\s+privileges)`,
  String.raw`create\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+)?(?:table|function|extension|trigger|procedure|language|rule)`,
  String.raw`select\s+(?:\*|@@|'|"|null${E}|(?:current_user|session_user|version|pg_\w+)${E}|\d+\s*(?:,|--|;|$|\)|from${E}|union${E}))`,
  String.raw`copy\s+\S+\s+(?:to|from)\s+(?:program|stdin|stdout|'|")`,
  String.raw`exec(?:ute)?\s+(?:xp_|sp_|master\.|immediate${E})`,
  String.raw`waitfor\s+(?:delay|time)`,
  String.raw`declare\s+@`,
  String.raw`into\s+(?:outfile|dumpfile)`,
  String.raw`load\s+data\s+(?:local\s+)?infile`,
];
/** Statements that are SQL only where a statement starts: after a semicolon. */
const STATEMENT_AFTER_SEMICOLON = [
  String.raw`(?:create|drop)\s+(?:user|role|schema|database|view|index|server|policy)`,
  String.raw`(?:grant|revoke)\s+[\p{L}\s,]{1,80}?\s(?:on|to|from)${E}`,
  String.raw`update\s+${IDENT}\s+set`,
  String.raw`select\s+[\p{L}\p{N}_.*,\s]{1,80}?\s+from\s+${IDENT}\s*(?:;|$|--|(?:where|limit|order|union)${E})`,
  String.raw`(?:delete|truncate|exec|execute|shutdown|vacuum)${E}`,
  String.raw`set\s+(?:role|session|search_path|statement_timeout|local)${E}`,
  String.raw`(?:begin|commit|rollback|end)\s*(?:;|$)`,
];
const STATEMENT = new RegExp(
  `${B}(?:${STRONG_STATEMENT.join('|')})|;[ \\t]*(?:${STATEMENT_AFTER_SEMICOLON.join('|')})`,
  'gimu',
);

/**
 * SQL statements ("; DROP TABLE clients", "UNION SELECT", "; select 1 from t"): from the keyword to the
 * end of the statement: the next semicolon, the end of the line or the first Cyrillic word.
 */
function statements(text: string): Mark[] {
  const marks: Mark[] = [];
  for (const match of text.matchAll(STATEMENT)) {
    // A statement starts at its keyword: the semicolon before it still ends the fragment before, unless a
    // closing quote or bracket is glued to it ("Москва'); DROP"), the break-out of a string.
    let start = match.index + (/^;[ \t]*/.exec(match[0])?.[0].length ?? 0);
    const breakout = /['"`)\]][ \t]*;[ \t]*$/.exec(text.slice(0, start));
    if (breakout) {
      start = breakout.index;
      while (start > 0 && !isSpace(text[start - 1]) && text[start - 1] !== ',') start--;
    }
    const from = match.index + match[0].length;
    const line = lineEnd(text, from);
    const rest = text.slice(from, line);
    const stop = rest.search(/;|[а-яё]/i);
    marks.push({ start, end: trimEnd(text, from, stop >= 0 ? from + stop : line), kind: 'sql' });
  }
  return marks;
}

/**
 * Comment markers: a block comment (to its end or the end of the line), and a double hyphen that is not
 * a dash: a dash stands between two words or numbers ("18--25", "Москва -- Питер"), a comment marker
 * ends the line or is glued to code ("admin'--", "1=1 --", "--+"). A line of dashes is a separator.
 */
function comments(text: string): Mark[] {
  const marks: Mark[] = [];
  for (const match of text.matchAll(/\/\*|\*\//g)) {
    if (match[0] === '*/') {
      if (!marks.some((m) => match.index >= m.start && match.index < m.end))
        marks.push({ start: match.index, end: match.index + 2, kind: 'comment' });
      continue;
    }
    if (marks.some((m) => match.index >= m.start && match.index < m.end)) continue;
    const line = lineEnd(text, match.index);
    const close = text.indexOf('*/', match.index + 2);
    marks.push({ start: match.index, end: close >= 0 && close < line ? close + 2 : line, kind: 'comment' });
  }
  for (const match of text.matchAll(/-{2,}/g)) {
    const start = match.index;
    const end = start + match[0].length;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const line = text.slice(lineStart, lineEnd(text, end));
    if (/^[\s\-=_*~]+$/.test(line)) continue;
    const left = text[start - 1];
    const right = text[end];
    const word = (c: string | undefined) => c !== undefined && /^[\p{L}\p{N}]$/u.test(c);
    if (word(left) && word(right)) continue;
    if (isDash(text, start, end)) continue;
    marks.push({ start, end, kind: 'comment' });
  }
  return marks;
}

/** A double hyphen between spaces, with words after it: a dash as typewriters write it. */
function isDash(text: string, start: number, end: number): boolean {
  const left = text[start - 1];
  const right = text[end];
  const spaced = (left === undefined || isSpace(left)) && right !== undefined && isSpace(right);
  return spaced && /^[ \t]*[\p{L}\p{N}«"“„(]/u.test(text.slice(end));
}

const LITERAL = String.raw`(?:\d+(?:\.\d+)?(?![\p{L}\p{N}])|'[^'\n]{0,40}'?|"[^"\n]{0,40}"?|(?:true|false|null)${E})`;
/** "1=1", "OR 'a'='a'": a literal compared with a literal is never a criterion. */
const TAUTOLOGY = new RegExp(
  String.raw`(?:${B}(?:or|and|xor|или|и)\s+|(?:\|\||&&)\s*)?(?<![\p{L}\p{N}_'"])${LITERAL}\s*(?:<=>|<>|!=|==|=|${B}like${E})\s*${LITERAL}`,
  'giu',
);
const BOOLEAN_TAIL = new RegExp(
  String.raw`${B}(?:or|and|xor|\|\||&&)\s+(?:not\s+)?${LITERAL}(?:\s*(?:<=>|<>|!=|==|=|<|>)\s*${LITERAL})?`,
  'giu',
);

function tautologies(text: string): Mark[] {
  return [...text.matchAll(TAUTOLOGY)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    kind: 'sql' as const,
  }));
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

/** The mark widened to the word it is glued to: up to a space, a comma or a semicolon. */
function glued(text: string, mark: Mark): Mark {
  const edge = (c: string | undefined) => c === undefined || isSpace(c) || c === ',' || c === ';';
  let start = mark.start;
  let end = mark.end;
  if (!edge(text[start])) while (!edge(text[start - 1])) start--;
  if (!isSpace(text[end - 1])) while (!edge(text[end])) end++;
  // A sentence's own full stop (or colon, or mark) after the word stays the sentence's.
  while (end > mark.end && /[.:!?…]/.test(text[end - 1] as string)) end--;
  return { start, end, kind: mark.kind };
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

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i < 0 ? text.length : i;
}

function trimEnd(text: string, from: number, end: number): number {
  let e = end;
  while (e > from && isSpace(text[e - 1])) e--;
  return e;
}
