import { findNumberWords, withNumberDigits, type NumberWords } from './number-words';
import { currencyOf, isMoney, type CURRENCIES } from './units';
import type { Comparison, Span } from '@t2s/semantic';

/** A piece of the text that was understood, by character offsets in the normalized text. */
export interface Mark {
  start: number;
  end: number;
}

export interface Quantity extends Mark {
  value: number;
  /** 1, 1 000 (тыс., k) or 1 000 000 (млн): a range's first number takes the second's ("от 50 до 100 тыс."). */
  factor: number;
  unit?: 'year' | 'day' | 'month' | 'money' | (typeof CURRENCIES)[number] | 'percent' | 'count' | 'date';
}

export interface ComparisonMention extends Mark {
  cmp: Comparison;
  unit?: Quantity['unit'];
  /**
   * Hostile text where a number would be ("больше pg_sleep(10)"): nobody can read it, so the attribute
   * it goes to makes no criterion (rather than one with no number, or with digits from the span).
   */
  unreadable?: true;
  /** Its bound's words after the counted thing ("трое детей | и больше"): read with it, not part of it. */
  tail?: Mark;
}

export interface WindowMention extends Mark {
  span: Span;
  /** "за 6 месяцев до этого", "in the 6 months before that": it ends where the previous window starts. */
  relative?: boolean;
  /** Set by the parser for a relative window: how long before the report date it ends. */
  before?: Span;
  /** Set by the parser when the text names the day its criteria are taken at: the window ends then. */
  asOf?: string;
}

// "50 000", "1,5", "120": digit groups separated by spaces are one number.
const NUMBER = String.raw`(\d{1,3}(?:[  ,]\d{3})+(?![.,]?\d)|\d+(?:[.,]\d+)?)`;
const MULTIPLIER = String.raw`(?:\s*(тысяч[аи]?|тыс\.?|т\.р\.?|к(?![а-я])|k\b|thousands?\b|млн\.?|миллион(?:а|ов)?|millions?|mln|(?<=\d)m\b|(?<=\d)м(?![а-я])|%|процент(?:а|ов)?|per\s?cent\b|pct\b))?`;
const UNIT = String.raw`(?:\s*(руб(?:\.|л(?:ей|я|ь)?)?|р\.|₽|rub\b|r(?:o)?ubles?|евро|€|eur(?:os?)?\b|долл(?:\.|ар(?:а|ов)?)?|\$|usd\b|dollars?|крон[аы]?|czk\b|kč|crowns?|korun[ay]?|лет|года?|years?|дн(?:ей|я)|день|days?|месяц(?:а|ев)?|мес\.?|months?|раз(?:а)?|times?))?`;
const QUANTITY = new RegExp(`${NUMBER}${MULTIPLIER}${UNIT}`, 'g');

/** "50 000" and "100,000" group thousands; "1,5" and "2.5" are decimals. */
function numeric(raw: string): number {
  if (/^\d{1,3}([  ,]\d{3})+$/.test(raw)) return Number(raw.replace(/[  ,]/g, ''));
  return Number(raw.replace(',', '.'));
}

function factorOf(multiplier: string | undefined): number {
  const m = multiplier ?? '';
  if (/^(тыс|т\.р|к$|k$|thousand)/.test(m)) return 1_000;
  // "1M+", "1,5м": a letter right after the digits is millions.
  if (/^(млн|миллион|million|mln|m$|м$)/.test(m)) return 1_000_000;
  return 1;
}

function unitOf(multiplier: string | undefined, unit: string | undefined): Quantity['unit'] {
  if (multiplier && /^(%|процент|per\s?cent|pct)/.test(multiplier)) return 'percent';
  if (!unit) return multiplier ? 'money' : undefined;
  const currency = currencyOf(unit);
  if (currency) return currency;
  if (/^(лет|год|year)/.test(unit)) return 'year';
  if (/^(дн|день|day)/.test(unit)) return 'day';
  if (/^(мес|month)/.test(unit)) return 'month';
  return 'count';
}

const NUMBER_WORDS: Record<string, number> = {
  ноль: 0,
  нуля: 0,
  один: 1,
  одного: 1,
  одной: 1,
  одна: 1,
  одним: 1,
  одному: 1,
  одну: 1,
  два: 2,
  двух: 2,
  две: 2,
  двое: 2,
  двоих: 2,
  двумя: 2,
  три: 3,
  трех: 3,
  трое: 3,
  троих: 3,
  тремя: 3,
  четверо: 4,
  пятеро: 5,
  четыре: 4,
  четырех: 4,
  пять: 5,
  пяти: 5,
  шесть: 6,
  шести: 6,
  семь: 7,
  семи: 7,
  восемь: 8,
  восьми: 8,
  девять: 9,
  девяти: 9,
  десять: 10,
  десяти: 10,
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twice: 2,
};
const NUMBER_WORD = new RegExp(`(?<![a-zа-я])(${Object.keys(NUMBER_WORDS).join('|')})(?![a-zа-я])`, 'g');

/**
 * "не менее двух", "at least three", "от тридцати до сорока пяти": number words become digits, padded
 * to the words' length, so offsets hold. Compound numbers first, then the lone small ones they leave.
 */
export function withDigits(text: string, found?: readonly NumberWords[]): string {
  return withNumberDigits(text, found)
    .replace(NUMBER_WORD, (word: string) => String(NUMBER_WORDS[word]).padEnd(word.length, ' '))
    .replace(SIGN_FIRST, (_, sign: string, space: string, number: string) => `${number}${space}${sign}`);
}

// "under €1.5k", "over $2,000": a currency sign written before its number goes after it, where the
// number's unit is read (the same length, so offsets hold).
const SIGN_FIRST = new RegExp(
  String.raw`([€$£₽])(\s?)(${NUMBER}(?:\s?(?:k|к|m|м|тыс\.?|млн\.?)(?![a-zа-я]))?)`,
  'g',
);

// Words that compare magnitudes, never dates: a year-like number after them is an amount.
const MAGNITUDE_BEFORE =
  /(?:^|[^a-zа-яё])(?:over|above|more than|less than|under|at least|at most|больше|более|свыше|меньше|менее|не менее|не более)\s+$/;

// A bare time unit after a comparison word is one of it: "больше месяца", "more than a year".
const BARE_UNIT =
  /(больше|более|свыше|меньше|менее|дольше|over|more than|less than|under|at least|at most|no less than|no more than)\s+(?:a\s+|an\s+)?(недели|месяца|полугода|года|суток|week|month|year)(?![a-zа-я])/g;

export function findQuantities(raw: string): Quantity[] {
  const written = findNumberWords(raw);
  const text = withDigits(raw, written);
  const found: Quantity[] = [];
  for (const match of text.matchAll(BARE_UNIT)) {
    const word = match[2] as string;
    // The quantity is "a year" with its article, so the comparison words are right before it.
    const start = match.index + (match[1] as string).length + 1;
    const [unit, value]: [Quantity['unit'], number] = /^(недел|week)/.test(word)
      ? ['day', 7]
      : /^(месяц|month)/.test(word)
        ? ['month', 1]
        : /^полугод/.test(word)
          ? ['month', 6]
          : /^сут/.test(word)
            ? ['day', 1]
            : ['year', 1];
    found.push({ value, factor: 1, unit, start, end: match.index + match[0].length });
  }
  for (const match of text.matchAll(QUANTITY)) {
    if (found.some((q) => match.index < q.end && q.start < match.index + match[0].length)) continue;
    // "в ноябре 2026 года", "the 1996 rate": a calendar year is a date or a label, not a quantity.
    // After a word of magnitude it is an amount all the same ("balance over 2000", "более 1990 евро").
    const magnitude = MAGNITUDE_BEFORE.test(raw.slice(Math.max(0, match.index - 16), match.index));
    if (/^(19|20)\d\d$/.test(match[1] as string) && !match[2] && !match[3] && !magnitude) continue;
    if (/^(19|20)\d\d$/.test(match[1] as string) && /^(г|год|year)/.test(match[3] ?? '')) continue;
    const factor = factorOf(match[2]);
    // "сорока пяти", "полутора миллионов": the quantity ends where its words do, not its digits.
    const words = written.find((w) => w.start === match.index);
    const end = match.index + match[0].length;
    found.push({
      value: numeric(match[1] as string) * factor,
      factor,
      // "хотя бы одного вклада": a small number written as a word counts things, it is no amount of money.
      unit:
        /[a-zа-я]/.test(raw.charAt(match.index)) && !match[2] && !match[3] && (words?.value ?? 0) < 1_000
          ? 'count'
          : unitOf(match[2], match[3]),
      start: match.index,
      end: words && words.end > end ? words.end : end,
    });
  }
  return found;
}

const WINDOW_UNITS: [RegExp, Span['unit'], number][] = [
  [/^(дн|день|day)/, 'day', 1],
  [/^(недел|week)/, 'day', 7],
  [/^(мес|month)/, 'month', 1],
  [/^(квартал|quarter)/, 'month', 3],
  [/^(полгода|полугод|half)/, 'month', 6],
  [/^(год|лет|year)/, 'month', 12],
];

// "за последние 3 месяца", "за полгода", "в течение 90 дней", "last 6 months", "in the past year".
const WINDOW = new RegExp(
  String.raw`(?:(?:за|в течение|в течении|на протяжении|last|past|over the last|in the last|in the past|during the last|within the last|within|for the last)\s+(?:последн[а-я]*\s+|the\s+)?|последн[а-я]*\s+)(\d+\s+)?(дн[а-я]*|день|недел[а-я]*|месяц[а-я]*|мес\.?|квартал[а-я]*|полгода|полугод[а-я]*|год[а-я]*|лет|days?|weeks?|months?|quarters?|half[- ]year|years?)`,
  'g',
);

const UNIT_WORDS = String.raw`(дн[а-я]*|день|недел[а-я]*|месяц[а-я]*|мес\.?|квартал[а-я]*|полгода|полугод[а-я]*|год[а-я]*|лет|days?|weeks?|months?|quarters?|half[- ]year|years?)`;
// "in the 6 months before that": a window that ends where the one before it in the text starts.
const EARLIER_WINDOW = new RegExp(
  String.raw`(?:in|during|over|for)\s+the\s+(\d+\s+)?${UNIT_WORDS}\s+(?:before that|prior to that|before then|preceding that)`,
  'g',
);
const BEFORE_THAT = /^\s*(?:до этого|перед этим|до того|before that|prior to that|before then)(?![a-zа-я])/;

export function findWindows(raw: string): WindowMention[] {
  const text = withDigits(raw);
  const found: WindowMention[] = [];
  for (const pattern of [WINDOW, EARLIER_WINDOW]) {
    for (const match of text.matchAll(pattern)) {
      const count = match[1] ? Number(match[1].trim()) : 1;
      const word = match[2] as string;
      const unit = WINDOW_UNITS.find(([p]) => p.test(word));
      if (!unit || count < 1) continue;
      const [, spanUnit, factor] = unit;
      const end = match.index + match[0].length;
      if (found.some((f) => match.index < f.end && f.start < end)) continue;
      const earlier = BEFORE_THAT.exec(text.slice(end));
      found.push({
        span: { n: count * factor, unit: spanUnit },
        start: match.index,
        end: end + (earlier?.[0].length ?? 0),
        ...(earlier || pattern === EARLIER_WINDOW ? { relative: true } : {}),
      });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

const PER_MONTH = /в месяц|ежемесячн[а-я]*|в среднем за месяц|per month|a month|monthly|each month|\/\s*мес/g;

export function findPerMonth(text: string): Mark[] {
  return [...text.matchAll(PER_MONTH)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

type Op = 'gt' | 'gte' | 'lt' | 'lte' | 'eq';
const INSTRUMENTAL = /^(одним|одной|двумя|тремя|четырьмя|пятью)(?![а-я])/;
// "с 4 детьми", "с 2 картами": a noun in the instrumental after the number.
const INSTRUMENTAL_NOUN = /^\s*[а-я]+(?:ами|ями|ьми|ыми|ими)(?![а-я])/;

// Longest first: "не менее" before "менее", "more than" before "more".
const BEFORE: [RegExp, Op][] = [
  [
    /(не менее|не меньше|не младше|не моложе|не ниже|no less than|not less than|at least|хотя бы|как минимум|минимум|min\.?|от|from|from age|age from|(?:^|\s)с|с возраста|от возраста|исполнилось|исполнился|исполнилось уже|уже исполнилось|turned|has turned|have turned|≥|>=)\s*$/,
    'gte',
  ],
  [
    /(не более|не больше|не старше|не выше|no more than|not more than|at most|up to|максимум|max\.?|до|≤|<=)\s*$/,
    'lte',
  ],
  [
    /(больше|более|больше чем|более чем|больше чем на|более чем на|свыше|выше|старше|превышает|превышают|превышающ[а-я]*|over|more than|above|greater than|older than|exceeds|exceed|exceeding|>)\s*$/,
    'gt',
  ],
  [
    /(меньше|менее|меньше чем|менее чем|меньше чем на|менее чем на|ниже|младше|моложе|under|less than|below|younger than|fewer than|<)\s*$/,
    'lt',
  ],
  [/(ровно|равно|равен|exactly|=)\s*$/, 'eq'],
];
/** Where the comparison words ("больше", "не менее", ">=") that end right at `at` start, if any. */
export function comparisonWordsBefore(text: string, at: number): number | null {
  const before = text.slice(Math.max(0, at - 30), at);
  for (const [pattern] of BEFORE) {
    const match = pattern.exec(before);
    // Whole words only: "работ" does not end with "от".
    if (match && !/[a-zа-я]/.test(before.charAt(match.index - 1))) return at - match[0].length;
  }
  return null;
}

/** One word right after a number, the thing it counts ("детей", "contacts"). */
const COUNTED_WORD = /^\s*[a-zа-яё]+(?=\s)/;

const AFTER: [RegExp, Op][] = [
  [
    /^\s*(и более|и больше|и старше|и выше|или более|или больше|или выше|или дольше|и дольше|or more|or older|or higher|or above|or greater|or over|or longer|and older|and more|and above|and higher|and over|and longer|and up|\+)/,
    'gte',
  ],
  [
    /^\s*(и менее|и меньше|и младше|или меньше|или ниже|or less|or younger|or lower|or below|or fewer|and below|and under)/,
    'lte',
  ],
];

/**
 * Comparisons with numbers: ranges ("от 25 до 35", "25-35", "между 2 и 5", "between 2 and 5"), then
 * single bounds by the words before or after the number. A bare number is `eq` for years and counts,
 * `gte` for money ("траты 50 тыс." means at least that). Quantities inside `skip` (windows) are ignored.
 */
export function findComparisons(raw: string, skip: readonly Mark[] = []): ComparisonMention[] {
  // "between the ages of 22 and 28", "under the age of 26": the words between the comparison and its
  // number name the attribute, which the parser reads from the text as it is.
  const blanked = raw.replace(/\b(?:the\s+)?ages?\s+of\b/g, (words) => ' '.repeat(words.length));
  const text = withDigits(blanked);
  const inSkip = (q: Mark) => skip.some((s) => q.start >= s.start && q.end <= s.end);
  const quantities = findQuantities(blanked).filter((q) => !inSkip(q));
  const found: ComparisonMention[] = [];
  const used = new Set<Quantity>();

  for (let i = 0; i + 1 < quantities.length; i++) {
    const a = quantities[i] as Quantity;
    const b = quantities[i + 1] as Quantity;
    const between = text.slice(a.end, b.start);
    const before = text.slice(0, a.start);
    const dash = /^\s*-\s*$/.test(between);
    const fromTo = /(?:^|[^a-zа-я])(от|from|с)\s*$/.test(before) && /^\s*(до|to|по)\s*$/.test(between);
    const betweenAnd = /(между|between)\s*$/.test(before) && /^\s*(и|and)\s*$/.test(between);
    // "aged 30 to 50", "thirty to fifty" (numbers in words count, unless a unit says otherwise).
    const plainTo =
      /^\s*(to|до)\s*$/.test(between) && (a.unit === undefined || (a.unit === 'count' && b.unit === 'count'));
    if (!(dash || fromTo || betweenAnd || plainTo)) continue;
    const unit = b.unit ?? a.unit;
    const scale = a.factor === 1 && b.factor > 1 && a.value * b.factor <= b.value ? b.factor : 1;
    const start = fromTo || betweenAnd ? before.search(/(от|from|с|между|between)\s*$/) : a.start;
    found.push({ cmp: { op: 'between', min: a.value * scale, max: b.value }, unit, start, end: b.end });
    used.add(a).add(b);
    i++;
  }

  for (const q of quantities) {
    if (used.has(q)) continue;
    const before = text.slice(Math.max(0, q.start - 30), q.start);
    const after = text.slice(q.end, q.end + 32);
    let op: Op | undefined;
    let start = q.start;
    let end = q.end;
    let tail: Mark | undefined;
    // "с двумя и более детьми": "with" two, and the bound after it.
    let withCount = false;
    for (const [pattern, candidate] of BEFORE) {
      const match = pattern.exec(before);
      if (match) {
        op = candidate;
        start = q.start - match[0].length;
        // "с одним ребёнком", "с двумя картами": "с" with a number in the instrumental is "with", not "from".
        if (
          /(?:^|\s)с\s*$/.test(match[0]) &&
          (INSTRUMENTAL.test(raw.slice(q.start)) ||
            INSTRUMENTAL_NOUN.test(raw.slice(q.end).replace(/^\s*(?:и|или)\s+(?:более|больше)/, '')))
        ) {
          op = 'eq';
          withCount = true;
        }
        break;
      }
    }
    if (!op || withCount) {
      for (const [pattern, candidate] of AFTER) {
        // "3 contacts or more", "трое детей и больше": the counted thing's word may come first.
        const direct = pattern.exec(after);
        const counted = COUNTED_WORD.exec(after)?.[0] ?? '';
        const match =
          direct ?? (counted ? pattern.exec(' '.repeat(counted.length) + after.slice(counted.length)) : null);
        if (match && !/^\s*(?:than|чем|\d)/.test(after.slice(match[0].length))) {
          op = candidate;
          if (direct) end = q.end + match[0].length;
          else tail = { start: q.end + counted.length, end: q.end + match[0].length };
          break;
        }
      }
    }
    const resolved: Op = op ?? (isMoney(q.unit) ? 'gte' : 'eq');
    found.push({
      cmp: { op: resolved, value: q.value },
      unit: q.unit,
      start,
      end,
      ...(tail ? { tail } : {}),
    });
  }
  found.push(...signComparisons(text, found, inSkip));
  // "не менее двух": a number word's digits are shorter than the word; the comparison ends with it.
  for (const c of found) {
    while (c.end < raw.length && text[c.end] === ' ' && /[a-zа-яё]/.test(raw[c.end] as string)) c.end++;
  }
  return found.sort((x, y) => x.start - y.start);
}

/**
 * Years as periods: "before 1950", "до 1994 года", "after 2020", "in 1997 or 1998", "в 2026 году",
 * "в 1997-1998 годах". Each is a comparison on a date column (ISO date strings), unit `date`.
 */
const MONTHS = [
  /^(январ|jan)/,
  /^(феврал|feb)/,
  /^(март|mar)/,
  /^(апрел|apr)/,
  /^(ма[йяе]|may)/,
  /^(июн|jun)/,
  /^(июл|jul)/,
  /^(август|aug)/,
  /^(сентябр|sep)/,
  /^(октябр|oct)/,
  /^(ноябр|nov)/,
  /^(декабр|dec)/,
];
const MONTH_PERIOD = new RegExp(
  String.raw`(?:(?<![a-zа-я])(?:in|в|за|during)\s+)(январ[а-я]*|феврал[а-я]*|март[а-я]*|апрел[а-я]*|ма[йяе]|июн[а-я]*|июл[а-я]*|август[а-я]*|сентябр[а-я]*|октябр[а-я]*|ноябр[а-я]*|декабр[а-я]*|january|february|march|april|may|june|july|august|september|october|november|december)(?![a-zа-я])(?:\s+((?:19|20)\d\d)(?:\s*(?:года|году|г\.?))?)?`,
  'gi',
);
// The future counterpart of WINDOW: "в ближайшие 2 месяца", "в течение следующих 30 дней", "in the next 60 days".
const NEXT_WINDOW = new RegExp(
  String.raw`(?:в ближайш[а-я]*|в течение (?:следующ|ближайш)[а-я]*|в следующ[а-я]*|(?:with)?in the next|over the next|during the next)\s+(\d+\s+)?(дн[а-я]*|день|недел[а-я]*|месяц[а-я]*|мес\.?|квартал[а-я]*|полгода|год[а-я]*|days?|weeks?|months?|quarters?|years?)`,
  'g',
);

/** Words of money after a number: "от 2000 до 2020 евро" is an amount, not years. */
const CURRENCY_WORDS = String.raw`руб|р\.|₽|rub|roub|евро|€|eur|долл|\$|usd|dollar|крон|czk|kč|crown|тыс|k\b|млн|m\b`;

/** Every day of the years from `a` to `b` (of the year `a` alone without `b`). */
const years = (a: number, b: number = a): Comparison => ({
  op: 'between',
  min: `${Math.min(a, b)}-01-01`,
  max: `${Math.max(a, b)}-12-31`,
});

export function findDatePeriods(raw: string): ComparisonMention[] {
  const text = withDigits(raw);
  const found: ComparisonMention[] = [];
  const year = String.raw`((?:19|20)\d\d)`;
  const tail = String.raw`(?:\s*(?:года|году|годах|годов|г\.?|year))?`;
  const patterns: [RegExp, (a: number, b?: number) => Comparison][] = [
    [
      new RegExp(String.raw`(?:before|prior to|earlier than|до|раньше|ранее)\s+${year}${tail}`, 'g'),
      (a) => ({ op: 'lt', value: `${a}-01-01` }),
    ],
    [
      new RegExp(String.raw`(?:after|since|later than|после|позже|начиная с)\s+${year}${tail}`, 'g'),
      (a) => ({ op: 'gte', value: `${a + 1}-01-01` }),
    ],
    // "born in 1970 or later", "в 1995 году и раньше": the year and every one after (before) it.
    [
      new RegExp(
        String.raw`(?:in|в|за|с|from)\s+${year}${tail}\s*(?:,\s*)?(?:or|and|или|и)\s+(?:later|after|позже|позднее|после)(?![a-zа-я])`,
        'g',
      ),
      (a) => ({ op: 'gte', value: `${a}-01-01` }),
    ],
    [
      new RegExp(
        String.raw`(?:in|в|за|до)\s+${year}${tail}\s*(?:,\s*)?(?:or|and|или|и)\s+(?:earlier|before|раньше|ранее|до)(?![a-zа-я])`,
        'g',
      ),
      (a) => ({ op: 'lte', value: `${a}-12-31` }),
    ],
    // "born between 1960 and 1979", "с 1960 по 1979 год", "1950–1960 годов рождения": every year from
    // the first to the last (not an amount: no currency after it).
    [
      new RegExp(
        String.raw`(?:between|from|с|со|от)\s+${year}\s*(?:and|to|till|until|through|по|до|и|-|–|—)\s*${year}${tail}(?!\s*(?:${CURRENCY_WORDS}))`,
        'g',
      ),
      years,
    ],
    [
      new RegExp(
        String.raw`(?<![\d.,])${year}\s*[-–—]\s*${year}\s*(?:годов|годах|гг\.?|years)(?![a-zа-я])`,
        'g',
      ),
      years,
    ],
    [new RegExp(String.raw`(?<=born\s+(?:in\s+)?)${year}\s*[-–—]\s*${year}(?![\d.,])`, 'g'), years],
    // "1960 года рождения", "born 1960": that year.
    [new RegExp(String.raw`(?<![\d.,])${year}\s*(?:года|г\.?)(?=\s+рожд)`, 'g'), years],
    [new RegExp(String.raw`(?<=born\s+)${year}(?![\d.,]|\s*(?:-|–|—|or|and|to)\s*\d)`, 'g'), years],
    [new RegExp(String.raw`(?:in|в|за)\s+${year}\s*(?:or|and|или|и|-|–)\s*${year}${tail}`, 'g'), years],
    [new RegExp(String.raw`(?:in|в|за)\s+${year}${tail}(?![\d-])`, 'g'), years],
  ];
  // "в ноябре 2026 года", "in November 2026": that month; without a year, that month of the report year.
  for (const match of text.matchAll(MONTH_PERIOD)) {
    const month = MONTHS.findIndex((m) => m.test((match[1] as string).toLowerCase()));
    if (month < 0) continue;
    const y = match[2] === undefined ? undefined : Number(match[2]);
    const mm = String(month + 1).padStart(2, '0');
    const last = new Date(Date.UTC(y ?? 2001, month + 1, 0)).getUTCDate();
    found.push({
      cmp:
        y === undefined
          ? {
              op: 'between',
              min: { now: true, start: 'year', ...(month ? { plus: { n: month, unit: 'month' } } : {}) },
              max: {
                now: true,
                start: 'year',
                minus: { n: 1, unit: 'day' },
                plus: { n: month + 1, unit: 'month' },
              },
            }
          : { op: 'between', min: `${y}-${mm}-01`, max: `${y}-${mm}-${last}` },
      unit: 'date',
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  // "в ближайшие 2 месяца", "within the next 30 days": from the report date to that far after it.
  for (const match of text.matchAll(NEXT_WINDOW)) {
    const count = match[1] ? Number(match[1].trim()) : 1;
    const unit = WINDOW_UNITS.find(([pattern]) => pattern.test(match[2] as string));
    if (!unit || count < 1) continue;
    found.push({
      cmp: {
        op: 'between',
        min: { now: true },
        max: { now: true, plus: { n: count * unit[2], unit: unit[1] } },
      },
      unit: 'date',
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  // "в этом году", "this month", "с начала года", "year to date": from the first day of the report
  // date's year or month.
  for (const match of text.matchAll(
    /(?:в этом|в текущем|this|in the current|с начала(?: этого| текущего)?|since the (?:start|beginning) of the|since the (?:start|beginning) of this)\s+(году|месяце|года|месяца|year|month)|(?<![a-z])(year|month)[- ]to[- ]date/g,
  )) {
    const start = /^(год|year)/.test((match[1] ?? match[2]) as string) ? 'year' : 'month';
    found.push({
      cmp: { op: 'gte', value: { now: true, start } },
      unit: 'date',
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  for (const [pattern, build] of patterns) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (found.some((f) => start < f.end && f.start < end)) continue;
      const a = Number(match[1]);
      const b = match[2] === undefined ? undefined : Number(match[2]);
      found.push({ cmp: build(a, b), unit: 'date', start, end });
    }
  }
  return found.sort((x, y) => x.start - y.start);
}

// A sign in words: "в минусе", "отрицательный остаток", "overdrawn" (below zero); "в плюсе", "positive".
const NEGATIVE =
  /(?<![a-zа-я])(?:(не|not)\s+)?(отрицательн[а-я]*|в минусе|в минус|ниже нуля|меньше нуля|negative|overdrawn|in the red|in deficit|below zero|less than zero)(?![a-zа-я])/g;
const POSITIVE =
  /(?<![a-zа-я])(?:(не|not)\s+)?(положительн[а-я]*|в плюсе|выше нуля|больше нуля|positive|in the black|in credit|above zero|more than zero)(?![a-zа-я])/g;
// "в минусе более чем на 500", "overdrawn by more than 500": how far below zero.
const DEPTH =
  /^\s*(?:by|на)?\s*(?:более чем на|больше чем на|свыше чем на|свыше|more than|over|at least|не менее чем на)?\s*$/;

/**
 * Comparisons with zero that words make. "Overdrawn by more than 500" is below -500: the number's own
 * comparison, in `found`, is turned to the other side of zero and widened to the sign's words.
 */
function signComparisons(
  text: string,
  found: ComparisonMention[],
  inSkip: (m: Mark) => boolean,
): ComparisonMention[] {
  const out: ComparisonMention[] = [];
  for (const [pattern, below] of [
    [NEGATIVE, true],
    [POSITIVE, false],
  ] as const) {
    for (const match of text.matchAll(pattern)) {
      const mark = { start: match.index, end: match.index + match[0].length };
      if (inSkip(mark) || found.some((f) => f.start < mark.end && mark.start < f.end)) continue;
      const negated = match[1] !== undefined;
      // "в минусе более чем на 500": the next comparison, its words between, measures the depth.
      const depth =
        below && !negated ? found.find((f) => f.start >= mark.end && f.start - mark.end < 24) : undefined;
      if (depth && 'value' in depth.cmp && typeof depth.cmp.value === 'number') {
        const between = text.slice(mark.end, depth.start);
        if (DEPTH.test(between)) {
          const strict =
            depth.cmp.op === 'gt' || depth.cmp.op === 'eq' || /более|больше|свыше|more|over/.test(between);
          depth.cmp = { op: strict ? 'lt' : 'lte', value: -depth.cmp.value };
          depth.start = mark.start;
          continue;
        }
      }
      const op: Op = below ? (negated ? 'gte' : 'lt') : negated ? 'lte' : 'gt';
      // "в минусе", "overdrawn", "in the red" say money; "negative" may be any number.
      const money = /минус|плюс|overdrawn|red|black|deficit|credit/.test(match[2] as string);
      out.push({ cmp: { op, value: 0 }, ...(money ? { unit: 'money' as const } : {}), ...mark });
    }
  }
  return out;
}
