// Step: words, numbers and time expressions of the fragment.
// Reads: `text`, the hostile spans, the model's convention for "recently".
// Produces: tokens; windows (a relative one ending where the one before it starts; the model's
// "recently" when none is written) and the fragment's window; "per month" marks; filler phrases; date
// periods; comparisons in text order (a number touching a word mangled by hostile text, and hostile
// text where a number would be, are `unreadable`); the words of numbers.
import type { Span } from '@t2s/semantic';
import type { HostileSpan } from '../../text/hostile-text';
import {
  comparisonWordsBefore,
  findComparisons,
  findDatePeriods,
  findPerMonth,
  findQuantities,
  findWindows,
  type ComparisonMention,
  type Mark,
  type WindowMention,
} from '../../text/quantities';
import { datePeriodsOf, findDates, referenceDates } from '../../text/dates';
import { tokenize } from '../../text/tokens';
import type { MarkedText, ParseContext, PreparedText } from '../context';
import { FILLER_PHRASES } from '../words';

const RECENTLY = /(?<![a-zа-я])(?:недавно|в последнее время|на днях|recently|lately|of late)(?![a-zа-я])/;

export function findMarks(ctx: ParseContext, prepared: PreparedText): MarkedText {
  const { text, hostile } = prepared;
  const perMonth = findPerMonth(text);
  const fillers = [...text.matchAll(FILLER_PHRASES)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
  }));
  // Full dates first: a bound ("до 01.01.1995") is a period, a reference ("as of 31 Dec 1998") the day
  // an attribute is taken at; the years inside them are no periods or numbers of their own.
  const dates = findDates(text);
  const datePeriods = datePeriodsOf(text, dates);
  const asOf = referenceDates(text, dates).filter((r) => !datePeriods.some((p) => overlaps(p, r)));
  const periods = [
    ...findDatePeriods(text).filter((p) => !dates.some((d) => overlaps(p, d))),
    ...datePeriods,
  ].sort((a, b) => a.start - b.start);
  const windows = chainedWindows(findWindows(text));
  // "недавно оспаривали операцию": the model's convention for "recently", when no window is written.
  const recently = ctx.model.file.recently;
  const recentWord = windows.length === 0 && recently ? RECENTLY.exec(text) : null;
  if (recentWord && recently) {
    windows.push({ span: recently, start: recentWord.index, end: recentWord.index + recentWord[0].length });
  }
  // A number right next to a word mangled by hostile characters may have lost its comparison words or
  // its unit to it ("бо⟨U+200B⟩льше 30", "100 тыс⟨U+00AD⟩"): it is no more readable than that word.
  const comparisons = findComparisons(text, [...windows, ...perMonth, ...periods, ...dates, ...asOf])
    .map((c): ComparisonMention =>
      hostile.some((h) => h.word && touching(text, c, h)) ? { ...c, unreadable: true } : c,
    )
    .concat(unreadable(text, hostile))
    .sort((a, b) => a.start - b.start);
  // "трое детей и больше": the bound's words after the counted thing say nothing of their own.
  for (const c of comparisons) if (c.tail) fillers.push(c.tail);
  return {
    ...prepared,
    tokens: tokenize(text),
    windows,
    window: windows[0],
    perMonth,
    fillers,
    periods,
    asOf,
    comparisons,
    numbers: findQuantities(text),
  };
}

/** "за 6 месяцев до этого": a relative window ends where the window before it in the text starts. */
function chainedWindows(found: readonly WindowMention[]): WindowMention[] {
  const windows: WindowMention[] = [];
  for (const w of found) {
    const previous = windows.at(-1);
    windows.push(
      w.relative && previous
        ? { ...w, before: previous.before ? sumSpans(previous.before, previous.span) : previous.span }
        : w,
    );
  }
  return windows;
}

/** Two spans added; in days when their units differ (a month as 30 days). */
function sumSpans(a: Span, b: Span): Span {
  if (a.unit === b.unit) return { n: a.n + b.n, unit: a.unit };
  const days = (s: Span) => s.n * (s.unit === 'day' ? 1 : s.unit === 'month' ? 30 : 365);
  return { n: days(a) + days(b), unit: 'day' };
}

/** Whether only spaces part two stretches of a line. */
function touching(text: string, a: Mark, b: Mark): boolean {
  const [left, right] = a.start <= b.start ? [a, b] : [b, a];
  return left.end <= right.start && /^[ \t]*$/.test(text.slice(left.end, right.start));
}

/**
 * Hostile spans standing where a number would: after comparison words ("больше pg_sleep(10)") or with
 * digits of their own (`ESC[31m`). Each is a comparison nobody can read (see ComparisonMention).
 */
function unreadable(text: string, hostile: readonly HostileSpan[]): ComparisonMention[] {
  return hostile.flatMap((h) => {
    const words = comparisonWordsBefore(text, text.slice(0, h.start).trimEnd().length);
    // A comment ("/* 500 */") is text set aside, not a value written in its place.
    const digits = /\d/.test(h.shown) && h.kinds.some((k) => k !== 'comment');
    if (words === null && !digits) return [];
    return [{ cmp: { op: 'eq', value: 0 }, start: words ?? h.start, end: h.end, unreadable: true }];
  });
}

const overlaps = (a: Mark, b: Mark): boolean => a.start < b.end && b.start < a.end;
