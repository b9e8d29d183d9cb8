// Step: what the fragment says that was not read, as written.
// Reads: the fragment (text as written, normalised text, tokens, hostile spans, comparisons, periods,
// windows, "per month", fillers), and what the steps read: the criteria, the groups as built, the
// periods placed, the marks used, the unread stretches.
// Produces: `unparsed`: runs of content words nothing read, unread stretches and hostile text as
// written, and, when the fragment made any criterion, the numbers no criterion took. The whole fragment
// when it made none.
import { showWithin } from '../../text/hostile-text';
import type { ComparisonMention, Mark } from '../../text/quantities';
import { tokenize, type Token } from '../../text/tokens';
import type { FragmentContext } from '../context';
import type { Group } from '../parse-types';
import { COORDINATION, FILLER, NEGATIONS, RELATION_WORDS } from '../words';

export interface WhatWasRead {
  /** How many criteria the fragment made. */
  criteria: number;
  /** Whether any of them reads a span of time (a window, a date relative to now): else a window is unread. */
  windowed: boolean;
  groups: readonly Group[];
  /** Periods placed on a date. */
  placed: readonly ComparisonMention[];
  /** Marks of what made criteria, beyond windows, "per month" and fillers. */
  used: readonly Mark[];
  /** Stretches reported as written (hostile numbers and what they were for). */
  unread: readonly Mark[];
  /** Whether a word names the tables and columns the criteria read: such a word left over is read with them. */
  names: (token: Token) => boolean;
  /**
   * Whether a word is a verb tying a client to what was read ("получили", "pay"): not reported, but
   * still open to the second reading's value linking ("состоявшие в браке").
   */
  glue: (token: Token) => boolean;
}

/** What a fragment left unread. */
export interface Leftovers {
  /** As written, for the marketer. */
  unparsed: string[];
  /** Where the unread content words are (offsets in the fragment): where a value may still be linked. */
  open: Mark[];
  /** Content words of the fragment (not fillers, negations or words of two letters), and how many were read. */
  content: number;
  read: number;
}

export function leftovers(frag: FragmentContext, read: WhatWasRead): Leftovers {
  const { text, original, hostile } = frag;
  const named = frag.tokens.filter(read.names);
  // "not contacted in the last 90 days" read as never contacted: a window no criterion took is reported.
  const lost = read.criteria === 0 || read.windowed ? [] : frag.windows;
  const used: Mark[] = [...frag.windows, ...frag.perMonth, ...frag.fillers, ...read.used, ...named];
  const assigned = new Set<ComparisonMention | undefined>(read.groups.flatMap((g) => [g.cmp, g.cmp2]));
  for (const period of read.placed) assigned.add(period);
  // Periods no date took, and a day criteria are taken at that nothing took ("из Праги на 31.12.1998").
  const comparisons: ComparisonMention[] = [
    ...frag.comparisons,
    ...frag.periods.filter((p) => !read.placed.includes(p)),
    ...frag.asOf
      .filter((d) => !read.used.includes(d))
      .map((d) => ({ ...d, cmp: { op: 'eq' as const, value: d.date } })),
  ];
  const stray = comparisons
    .filter(
      (c) => !c.unreadable && !assigned.has(c) && !used.some((m) => c.start >= m.start && c.end <= m.end),
    )
    .map((c) => text.slice(c.start, c.end).trim());
  const readMarks: Mark[] = [...read.used, ...comparisons.filter((c) => assigned.has(c))];
  used.push(...comparisons, ...read.unread, ...expansions(frag, used), ...definedNames(frag, readMarks));
  // What is reported as written: the unread stretches, and the hostile spans outside them.
  const reported = [
    ...read.unread.map((u) => ({ ...u, shown: showWithin(original, hostile, u.start, u.end) })),
    ...hostile.filter((h) => !read.unread.some((u) => h.start >= u.start && h.end <= u.end)),
  ];
  const whole = read.criteria === 0;
  const isContent = contentOf(original);
  const content = frag.tokens.filter(isContent);
  const open = content.filter((t) => whole || !used.some((m) => t.start >= m.start && t.end <= m.end));
  // "ни разу не звонили": a negated verb says what did not happen; it is no glue.
  const negated = (t: Token) => {
    const i = frag.tokens.indexOf(t);
    return [frag.tokens[i - 1], frag.tokens[i - 2]].some((b) => b !== undefined && NEGATIONS.has(b.text));
  };
  const glued = whole ? [] : open.filter((t) => read.glue(t) && !negated(t));
  const reportedUsed = [...used, ...glued];
  const guessed = [
    ...new Set(read.groups.flatMap((g) => g.unsure ?? []).map((m) => text.slice(m.start, m.end).trim())),
  ];
  // A number no comparison, period or window holds ("1990" read as no amount and no year): a condition
  // lost as silently as a word would be.
  const loose = frag.tokens
    .filter((t) => t.kind === 'number' && !used.some((m) => t.start >= m.start && t.end <= m.end))
    .map((t) => t.text);
  return {
    unparsed: [
      ...unreadRuns(
        showWithin(original, hostile),
        text,
        frag.tokens,
        reportedUsed,
        whole,
        isContent,
        reported,
      ),
      ...(read.criteria > 0 ? [...stray, ...guessed, ...loose] : []),
      ...lost.map((w) => text.slice(w.start, w.end).trim()),
    ],
    open: open.map((t) => ({ start: t.start, end: t.end })),
    content: content.length,
    read: content.length - open.length + glued.length,
  };
}

/**
 * "OSAGO (compulsory motor insurance)", "СБП (Faster Payments)": a bracket right after an abbreviation
 * that was read spells it out, and says nothing more unless it has a number, a negation or an exception.
 */
function expansions(frag: FragmentContext, used: readonly Mark[]): Mark[] {
  const found: Mark[] = [];
  for (const bracket of frag.text.matchAll(/\(([^()]*)\)/g)) {
    const start = bracket.index;
    const inner = bracket[1] as string;
    if (/\d|кроме|исключ|except|exclud/.test(inner) || tokenize(inner).some((t) => NEGATIONS.has(t.text)))
      continue;
    const before = frag.tokens.findLast((t) => t.end <= start);
    if (!before || !/^\s*$/.test(frag.text.slice(before.end, start))) continue;
    if (!/^[\p{Lu}]{2,6}$/u.test(frag.original.slice(before.start, before.end))) continue;
    if (!used.some((m) => before.start >= m.start && before.end <= m.end)) continue;
    found.push({ start, end: start + bracket[0].length });
  }
  return found;
}

/**
 * "Pensioners: 65 and over", "Young professionals: management or technician jobs, under 35", "Семейные
 * (в браке) клиенты", "Young account owners – born in 1970 or later": the words that open a fragment
 * before a colon, a bracket or a dash, when what follows it (to the closing bracket) reads a criterion,
 * name what follows; they say nothing more. Only a bare name: a few words, no number, no preposition,
 * negation or "and/or" (those say a condition of their own: "клиенты из Казани (старше 30)"), no
 * capitalised word after the first (a place's name), and no word that names something the reading left
 * out.
 */
function definedNames(frag: FragmentContext, read: readonly Mark[]): Mark[] {
  const first = frag.tokens[0];
  if (!first) return [];
  const mark = /\s*(?::|\(|[–—]|-\s)/g;
  mark.lastIndex = first.end;
  const at = mark.exec(frag.text);
  if (!at) return [];
  const name = frag.tokens.filter((t) => t.end <= at.index);
  const bare = name.every(
    (t, i) =>
      t.kind === 'word' &&
      !NEGATIONS.has(t.text) &&
      !COORDINATION.has(t.text) &&
      !RELATION_WORDS.has(t.text) &&
      (i === 0 || !/^\p{Lu}/u.test(frag.original.slice(t.start, t.end))),
  );
  // "причина отказа — низкий доход": words that name a column are no bare name, though nothing read them.
  const names = frag.mentions.some(
    (m) => m.start < at.index && !read.some((r) => r.start <= m.start && r.end >= m.end),
  );
  if (name.length === 0 || name.length > 4 || !bare || names) return [];
  const from = at.index + at[0].length;
  const to = at[0].trim() === '(' ? frag.text.indexOf(')', from) : -1;
  const end = to < 0 ? frag.text.length : to;
  const defines = read.some((m) => m.start >= from && m.end <= end);
  return defines ? [{ start: first.start, end: at.index }] : [];
}

/**
 * A word that says something: not a filler, a negation or a word of one or two letters, unless those
 * two are capitals ("IT", "ИП": an abbreviation names a thing as fully as a long word).
 */
function contentOf(original: string): (t: Token) => boolean {
  return (t) =>
    t.kind === 'word' &&
    !FILLER.has(t.stem) &&
    !NEGATIONS.has(t.text) &&
    (t.text.length > 2 || /^\p{Lu}{2}$/u.test(original.slice(t.start, t.end)));
}

/** A stretch reported as written (hostile text, see text/hostile-text.ts), with invisible characters shown. */
interface ShownMark extends Mark {
  shown: string;
}

/**
 * Runs of content words that no mention, number, window or filler explains, and the stretches reported
 * as written (`reported`: hostile text), in the order of the text; a run never spans one of those.
 * `whole`: the fragment as shown, when nothing of it was read.
 */
function unreadRuns(
  shown: string,
  text: string,
  tokens: readonly Token[],
  used: readonly Mark[],
  whole: boolean,
  isContent: (t: Token) => boolean,
  reported: readonly ShownMark[] = [],
): string[] {
  if (whole) return shown.trim() ? [shown.trim()] : [];
  const runs: string[] = [];
  const pending = [...reported].sort((a, b) => a.start - b.start);
  let run: Token[] = [];
  const flush = () => {
    if (run.some(isContent)) {
      runs.push(text.slice((run[0] as Token).start, (run.at(-1) as Token).end));
    }
    run = [];
  };
  for (const token of tokens) {
    if (pending.length > 0 && (pending[0] as ShownMark).start < token.start) {
      flush();
      while (pending.length > 0 && (pending[0] as ShownMark).start < token.start)
        runs.push((pending.shift() as ShownMark).shown);
    }
    const covered = used.some((m) => token.start >= m.start && token.end <= m.end);
    if (covered || token.kind !== 'word' || FILLER.has(token.stem) || NEGATIONS.has(token.text)) {
      flush();
      continue;
    }
    run.push(token);
  }
  flush();
  runs.push(...pending.map((h) => h.shown));
  return runs;
}
