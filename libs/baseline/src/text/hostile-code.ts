// Code in criteria text: SQL function calls, statements, tautologies and comment markers, characters in
// a transport's encoding, template and shell substitutions, markup. Each finder returns the stretches
// it marks; `hostile-text.ts` widens them to the words they are glued to, merges and blanks them.
// Ordinary prose is left alone: parentheses after a space ("(кроме VIP)"), a Cyrillic word before a
// parenthesis, "Select clients from Moscow", a dash written as two hyphens between words.

export type HostileKind = 'control' | 'call' | 'sql' | 'comment' | 'quote' | 'encoded' | 'code';

/** A stretch of the text marked hostile, before it is widened and merged. */
export interface Mark {
  start: number;
  end: number;
  kind: HostileKind;
}

/** Where the lines of a text end, found once: no mark runs past the end of its line. */
export class Lines {
  private readonly breaks: number[] = [];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.breaks.push(i);
  }

  /** The index of the line break (or the end of the text) at or after `at`. */
  end(at: number): number {
    return this.breaks[this.line(at)] ?? this.text.length;
  }

  /** The index where the line holding `at` starts. */
  start(at: number): number {
    const line = this.line(at);
    return line > 0 ? (this.breaks[line - 1] as number) + 1 : 0;
  }

  /** The number of line breaks before `at`. */
  private line(at: number): number {
    let lo = 0;
    let hi = this.breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.breaks[mid] as number) < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Whitespace that is part of ordinary text (tabs, line breaks, no-break and other typographic spaces). */
const ORDINARY_SPACE = /^[\t\n\v\f\r\p{Zs}\u2028\u2029]$/u;

export function isSpace(c: string | undefined): boolean {
  return c !== undefined && ORDINARY_SPACE.test(c);
}

/** Index after the last non-space character of text[from, end). */
export function trimEnd(text: string, from: number, end: number): number {
  let e = end;
  while (e > from && isSpace(text[e - 1])) e--;
  return e;
}

// --- Function calls --------------------------------------------------------------------------------

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
/** How far a call's arguments are looked for: an injection's are short, prose after them is not. */
const MAX_ARGUMENTS = 300;

/**
 * Function calls: a name and its parenthesised arguments ("pg_sleep(10)", "version()",
 * "lo_import('/etc/passwd')"). A Cyrillic word before a parenthesis is prose ("лет(18-25)"); a Latin
 * one glued to it is a call when its name or arguments look like code; after a space only a code name
 * is ("pg_sleep (10)", "sleep (5)"), never prose ("VIP (premium)", "clients (except VIP)").
 */
export function calls(text: string, lines: Lines): Mark[] {
  const marks: Mark[] = [];
  let covered = 0;
  for (const match of text.matchAll(CALL)) {
    if (match.index < covered) continue;
    const name = match[1] as string;
    const gap = match[2] as string;
    const open = match.index + match[0].length - 1;
    const limit = Math.min(lines.end(open), open + MAX_ARGUMENTS);
    const close = closingParen(text, open, limit);
    const args = text.slice(open + 1, close ?? limit);
    const codeName = /[_$.\d]/.test(name);
    const known = KNOWN_FUNCTIONS.has(name.toLowerCase());
    const cyrillicOnly = !/[A-Za-z]/.test(name);
    const isCall = cyrillicOnly ? codeName : codeName || ((gap === '' || known) && codeArguments(args));
    if (!isCall) continue;
    // Unclosed: the arguments run to the end of the line, or to the next Cyrillic word.
    const cyrillic = text.slice(open + 1, limit).search(/[а-яё]/i);
    const end =
      close !== null ? close + 1 : trimEnd(text, open + 1, cyrillic >= 0 ? open + 1 + cyrillic : limit);
    marks.push({ start: match.index, end, kind: 'call' });
    covered = end;
  }
  return marks;
}

/**
 * Arguments with no words outside quotes (numbers, strings, operators), a call of their own, or SQL
 * keywords ("x as int", "epoch from now()"); not words in brackets ("user(s)", "Pay(NFC)", "sms(text)").
 */
function codeArguments(args: string): boolean {
  const bare = args.replace(/'[^']*'|"[^"]*"/g, ' ');
  return (
    !/\p{L}/u.test(bare) ||
    /[A-Za-z_][A-Za-z0-9_]*\s*\(/.test(bare) ||
    /\b(?:as|from|select|union|null)\b/i.test(bare)
  );
}

/** The index of the parenthesis closing the one at `open`, before `limit`; quoted strings skipped. */
function closingParen(text: string, open: number, limit: number): number | null {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < limit; i++) {
    const c = text[i] as string;
    if (quote !== null) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return null;
}

// --- Statements ------------------------------------------------------------------------------------

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
/** A statement's body: up to the next semicolon, the end of the line or the first Cyrillic word. */
const BODY = /[^;\n\u0400-\u04ff]*/uy;

/**
 * SQL statements ("; DROP TABLE clients", "UNION SELECT", "; select 1 from t"): from the keyword to the
 * end of the statement. A semicolon before the keyword still ends the fragment before it, unless a
 * closing quote or bracket is glued to it ("Москва'); DROP"): that is a string's break-out, and the
 * statement starts there.
 */
export function statements(text: string): Mark[] {
  const marks: Mark[] = [];
  for (const match of text.matchAll(STATEMENT)) {
    let start = match.index + (/^;[ \t]*/.exec(match[0])?.[0].length ?? 0);
    const before = text.slice(Math.max(0, start - 40), start);
    const breakout = /['"`)\]][ \t]*;[ \t]*$/.exec(before);
    if (breakout) start -= before.length - breakout.index;
    const from = match.index + match[0].length;
    BODY.lastIndex = from;
    const body = BODY.exec(text)?.[0].length ?? 0;
    marks.push({ start, end: trimEnd(text, from, from + body), kind: 'sql' });
  }
  return marks;
}

// --- Comments --------------------------------------------------------------------------------------

/**
 * Comment markers: a block comment (to its end or the end of the line), and a double hyphen that is not
 * a dash: a dash stands between two words or numbers ("18--25", "Москва -- Питер"), a comment marker
 * ends the line or is glued to code ("admin'--", "1=1 --", "--+"). A line of dashes is a separator.
 */
export function comments(text: string, lines: Lines): Mark[] {
  const marks: Mark[] = [];
  let covered = 0;
  for (const match of text.matchAll(/\/\*|\*\//g)) {
    if (match.index < covered) continue;
    const line = lines.end(match.index);
    const close = match[0] === '/*' ? text.slice(match.index + 2, line).indexOf('*/') : -2;
    const end = match[0] === '*/' ? match.index + 2 : close >= 0 ? match.index + 4 + close : line;
    marks.push({ start: match.index, end, kind: 'comment' });
    covered = end;
  }
  const separator = new Map<number, boolean>();
  for (const match of text.matchAll(/-{2,}/g)) {
    const start = match.index;
    const end = start + match[0].length;
    const lineStart = lines.start(start);
    if (!separator.has(lineStart))
      separator.set(lineStart, /^[\s\-=_*~]+$/.test(text.slice(lineStart, lines.end(start))));
    if (separator.get(lineStart)) continue;
    const word = (c: string | undefined) => c !== undefined && /^[\p{L}\p{N}]$/u.test(c);
    if (word(text[start - 1]) && word(text[end])) continue;
    if (isDash(text, start, end)) continue;
    marks.push({ start, end, kind: 'comment' });
  }
  return marks;
}

/** A double hyphen between spaces, with words after it: a dash as typewriters write it. */
export function isDash(text: string, start: number, end: number): boolean {
  const left = text[start - 1];
  const right = text[end];
  const spaced = (left === undefined || isSpace(left)) && right !== undefined && isSpace(right);
  return spaced && /^[ \t]*[\p{L}\p{N}«"“„(]/u.test(text.slice(end, end + 40));
}

// --- Tautologies -----------------------------------------------------------------------------------

const LITERAL = String.raw`(?:\d+(?:\.\d+)?(?![\p{L}\p{N}])|'[^'\n]{0,40}'?|"[^"\n]{0,40}"?|(?:true|false|null)${E})`;
/** "1=1", "OR 'a'='a'": a literal compared with a literal is never a criterion. */
const TAUTOLOGY = new RegExp(
  String.raw`(?:${B}(?:or|and|xor|или|и)\s+|(?:\|\||&&)\s*)?(?<![\p{L}\p{N}_'"])${LITERAL}\s*(?:<=>|<>|!=|==|=|${B}like${E})\s*${LITERAL}`,
  'giu',
);
/** "OR 1", "AND NOT 'x'": a boolean operator and a literal; hostile only next to other hostile text. */
export const BOOLEAN_TAIL = new RegExp(
  String.raw`${B}(?:or|and|xor|\|\||&&)\s+(?:not\s+)?${LITERAL}(?:\s*(?:<=>|<>|!=|==|=|<|>)\s*${LITERAL})?`,
  'giu',
);

export function tautologies(text: string): Mark[] {
  return [...text.matchAll(TAUTOLOGY)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    kind: 'sql' as const,
  }));
}

// --- Encodings, templates, markup ------------------------------------------------------------------

// Characters written in a transport's encoding ("%27", "&#39;", "&quot;"), and substitutions and markup
// of templates, shells and HTML ("${jndi:...}", "{{7*7}}", "$(reboot)", "<script>").
const ENCODED =
  /(?<![\p{L}\p{N}%])(?:%[0-9A-Fa-f]{2})+|&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/gu;
const CODE =
  /\$\{[^}\n]*\}?|\{\{[^}\n]*(?:\}\})?|\$\([^)\n]*\)?|<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?\/?>/g;

export function encoded(text: string): Mark[] {
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
