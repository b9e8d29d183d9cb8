// Calendar dates written in full ("31.12.1998", "31 декабря 1998 года", "December 31, 1998", "1 Jan
// 1999", "на конец 1998 года", "at the end of 1998"), and what the words before one make of it:
// - a reference ("as of", "на", "по состоянию на"): the day an attribute is taken at ("aged 25 to 35 as
//   of 1 January 1999");
// - a bound ("before", "до", "after", "since", "с ... по ..."): a period on a date column, as the years of
//   findDatePeriods are.
import type { Comparison } from '@t2s/semantic';
import type { ComparisonMention, Mark } from './quantities';

export interface DateMention extends Mark {
  /** ISO date. */
  date: string;
}

const MONTH_STEMS: readonly [RegExp, number][] = [
  [/^(январ|jan)/, 1],
  [/^(феврал|feb)/, 2],
  [/^(март|mar)/, 3],
  [/^(апрел|apr)/, 4],
  [/^(ма[йяе]|may)/, 5],
  [/^(июн|jun)/, 6],
  [/^(июл|jul)/, 7],
  [/^(август|aug)/, 8],
  [/^(сентябр|sep)/, 9],
  [/^(октябр|oct)/, 10],
  [/^(ноябр|nov)/, 11],
  [/^(декабр|dec)/, 12],
];
const MONTH_WORD = String.raw`(январ[а-я]*|феврал[а-я]*|март[а-я]*|апрел[а-я]*|ма[йяе]|июн[а-я]*|июл[а-я]*|август[а-я]*|сентябр[а-я]*|октябр[а-я]*|ноябр[а-я]*|декабр[а-я]*|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const YEAR = String.raw`((?:19|20)\d\d)`;
const YEAR_TAIL = String.raw`(?:\s*(?:года|году|г\.?)(?![a-zа-я]))?`;
const DAY = String.raw`(\d{1,2})(?:st|nd|rd|th|-?го|-?е)?`;

/** Each form of a written date, and how its groups make a date. */
const FORMS: readonly [RegExp, (m: RegExpMatchArray) => string | null][] = [
  // 31.12.1998, 31/12/1998 (day first, as both languages write it here), 1998-12-31
  [
    new RegExp(String.raw`(?<![\d.])(\d{1,2})[./](\d{1,2})[./]${YEAR}(?![\d.]\d)`, 'g'),
    (m) => iso(m[3], m[2], m[1]),
  ],
  [new RegExp(String.raw`(?<!\d)${YEAR}-(\d{2})-(\d{2})(?!\d)`, 'g'), (m) => iso(m[1], m[2], m[3])],
  // 31 декабря 1998 года, 1 January 1999, 31 Dec 1998
  [
    new RegExp(String.raw`(?<![\d.])${DAY}\s+(?:of\s+)?${MONTH_WORD}\s*,?\s*${YEAR}${YEAR_TAIL}`, 'g'),
    (m) => iso(m[3], month(m[2]), m[1]),
  ],
  // December 31, 1998; Dec 31st 1998
  [
    new RegExp(String.raw`(?<![a-zа-я])${MONTH_WORD}\s+${DAY}\s*,?\s*${YEAR}`, 'g'),
    (m) => iso(m[3], month(m[1]), m[2]),
  ],
  // на конец 1998 года, at the end of 1998, к началу 1999 года, the start of 1999
  [
    new RegExp(
      String.raw`(?<![a-zа-я])(?:(?:the\s+)?(end|start|beginning)\s+of|(конец|конца|концу|начало|начала|началу))\s+${YEAR}${YEAR_TAIL}`,
      'g',
    ),
    (m) => (/^(end|конц|конец)/.test(m[1] ?? m[2] ?? '') ? `${m[3]}-12-31` : `${m[3]}-01-01`),
  ],
];

/** Words before a date that make it the day an attribute is taken at. */
const REFERENCE = /(?:по состоянию на|на дату|на|к|as of|as at|as on|at|on|by)\s+(?:the\s+)?$/;

/** Words before (and between) dates that make them a bound on a date column. */
const BOUNDS: readonly [RegExp, (date: string) => Comparison][] = [
  [
    /(?:before|prior to|earlier than|до|раньше|ранее|не позднее|no later than|not later than)\s+$/,
    (d) => ({ op: 'lt', value: d }),
  ],
  [/(?:after|later than|после|позже|позднее)\s+$/, (d) => ({ op: 'gt', value: d })],
  [/(?:since|starting|from|начиная с|с|со)\s+$/, (d) => ({ op: 'gte', value: d })],
];

/** Every full date of the text, in text order. */
export function findDates(text: string): DateMention[] {
  const found: DateMention[] = [];
  for (const [pattern, read] of FORMS) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (found.some((f) => start < f.end && f.start < end)) continue;
      const date = read(match);
      if (date) found.push({ date, start, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * The dates the words before them make a reference of ("as of 31 Dec 1998"), with those words in the
 * mark; dates that are bounds are periods instead (see datePeriodsOf).
 */
export function referenceDates(text: string, dates: readonly DateMention[]): DateMention[] {
  return dates.flatMap((d) => {
    const lead = REFERENCE.exec(text.slice(Math.max(0, d.start - 24), d.start));
    return lead ? [{ ...d, start: d.start - lead[0].length }] : [];
  });
}

/**
 * Dates as periods on a date column: "before 1 March 1996", "с 01.07.1997 по 31.12.1997", "between 1 Jan
 * 1997 and 30 Jun 1997" (inclusive), "opened on 15.03.1995" is left to the reference reading.
 */
export function datePeriodsOf(text: string, dates: readonly DateMention[]): ComparisonMention[] {
  const found: ComparisonMention[] = [];
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i] as DateMention;
    const next = dates[i + 1];
    const before = text.slice(Math.max(0, d.start - 24), d.start);
    if (next) {
      const between = text.slice(d.end, next.start);
      const range =
        (/(?:between|с|со|from)\s+$/.test(before) &&
          /^\s*(?:and|по|до|to|till|until|-|–|—)\s*$/.test(between)) ||
        /^\s*(?:-|–|—)\s*$/.test(between);
      if (range) {
        const lead = /(?:between|с|со|from)\s+$/.exec(before);
        found.push({
          cmp: { op: 'between', min: d.date, max: next.date },
          unit: 'date',
          start: d.start - (lead?.[0].length ?? 0),
          end: next.end,
        });
        i++;
        continue;
      }
    }
    for (const [pattern, cmp] of BOUNDS) {
      const lead = pattern.exec(before);
      if (!lead) continue;
      found.push({ cmp: cmp(d.date), unit: 'date', start: d.start - lead[0].length, end: d.end });
      break;
    }
  }
  return found;
}

function month(word: string | undefined): string | undefined {
  const n = MONTH_STEMS.find(([stem]) => stem.test(word ?? ''))?.[1];
  return n === undefined ? undefined : String(n);
}

/** The ISO date of year, month and day as written, or null when there is no such day. */
function iso(y: string | undefined, m: string | undefined, d: string | undefined): string | null {
  const [year, mon, day] = [Number(y), Number(m), Number(d)];
  if (!year || !mon || !day || mon > 12) return null;
  const date = new Date(Date.UTC(year, mon - 1, day));
  if (date.getUTCMonth() !== mon - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}
