// Numbers, ranges, comparisons, time windows and "per month" in criteria text, read the way the criteria
// parser reads a fragment: normalized, with windows and per-month phrases set aside before comparisons
// are looked for (so "за последние 3 месяца" is a window, not the number 3). Expectations state what a
// marketer means; the rows the reader gets wrong today are in "known gaps" (test.failing), to be moved
// up once fixed.
import type { Comparison, Span } from '@t2s/semantic';
import {
  findDatePeriods,
  findComparisons,
  findPerMonth,
  findQuantities,
  findWindows,
  type Quantity,
} from './quantities';
import { normalize } from './tokens';

type Unit = Quantity['unit'];

function quantities(text: string): { value: number; unit: Unit }[] {
  return findQuantities(normalize(text)).map((q) => ({ value: q.value, unit: q.unit }));
}

function comparisons(text: string): { cmp: Comparison; unit: Unit }[] {
  const normalized = normalize(text);
  const skip = [...findWindows(normalized), ...findPerMonth(normalized)];
  return findComparisons(normalized, skip).map((c) => ({ cmp: c.cmp, unit: c.unit }));
}

function windows(text: string): Span[] {
  return findWindows(normalize(text)).map((w) => w.span);
}

function perMonth(text: string): boolean {
  return findPerMonth(normalize(text)).length > 0;
}

const between = (min: number, max: number): Comparison => ({ op: 'between', min, max });
const op = (name: 'eq' | 'gt' | 'gte' | 'lt' | 'lte', value: number): Comparison => ({ op: name, value });
const months = (n: number): Span => ({ n, unit: 'month' });
const days = (n: number): Span => ({ n, unit: 'day' });

describe('numbers', () => {
  it.each<[string, number, Unit]>([
    ['50 000', 50_000, undefined],
    ['1 500 000 руб.', 1_500_000, 'rub'],
    ['10 000 000', 10_000_000, undefined],
    ['100,000', 100_000, undefined],
    ['100,000 RUB', 100_000, 'rub'],
    ['1,5 млн', 1_500_000, 'money'],
    ['1.5 млн', 1_500_000, 'money'],
    ['5 млн.', 5_000_000, 'money'],
    ['2 миллиона', 2_000_000, 'money'],
    ['less than 1 million', 1_000_000, 'money'],
    ['2,5 тыс.', 2_500, 'money'],
    ['150 тыс. руб.', 150_000, 'rub'],
    ['10 тыс', 10_000, 'money'],
    ['50 тысяч', 50_000, 'money'],
    ['50k', 50_000, 'money'],
    ['200k RUB', 200_000, 'rub'],
    ['100 000 ₽', 100_000, 'rub'],
    ['50 000 rubles', 50_000, 'rub'],
    ['50k roubles', 50_000, 'rub'],
    ['3 млн рублей', 3_000_000, 'rub'],
    ['20%', 20, 'percent'],
    ['60 %', 60, 'percent'],
    ['15 процентов', 15, 'percent'],
    ['0,7', 0.7, undefined],
    ['2.5', 2.5, undefined],
    ['30 лет', 30, 'year'],
    ['3 года', 3, 'year'],
    ['90 дней', 90, 'day'],
    ['6 месяцев', 6, 'month'],
    ['5 раз', 5, 'count'],
    ['больше месяца', 1, 'month'],
    ['more than a year', 1, 'year'],
  ])('reads %j as %d (%s)', (text, value, unit) => {
    expect(quantities(text)).toEqual([{ value, unit }]);
  });

  it('does not read a calendar year as a quantity', () => {
    expect(quantities('в ноябре 2026 года')).toEqual([]);
  });

  it('reads number words as digits ("не менее двух раз", "at least three times")', () => {
    expect(comparisons('не менее двух раз')).toEqual([{ cmp: op('gte', 2), unit: 'count' }]);
    expect(comparisons('at least three times')).toEqual([{ cmp: op('gte', 3), unit: 'count' }]);
  });
});

describe('ranges', () => {
  it.each<[string, Comparison, Unit]>([
    ['от 25 до 35', between(25, 35), undefined],
    ['от 25 до 35 лет', between(25, 35), 'year'],
    ['с 18 до 25 лет', between(18, 25), 'year'],
    ['25-35 лет', between(25, 35), 'year'],
    ['25–35', between(25, 35), undefined],
    ['между 2 и 5', between(2, 5), undefined],
    ['between 2 and 5', between(2, 5), undefined],
    ['from 25 to 45', between(25, 45), undefined],
    ['25 to 45', between(25, 45), undefined],
    ['от 50 до 100 тыс.', between(50_000, 100_000), 'money'],
    ['от 50 тыс. до 100 тыс.', between(50_000, 100_000), 'money'],
    ['от 100 тыс. до 1 млн', between(100_000, 1_000_000), 'money'],
    ['от 1 до 5 млн руб.', between(1_000_000, 5_000_000), 'rub'],
    ['от 0,5 до 1,5 млн', between(500_000, 1_500_000), 'money'],
    ['100-200 тыс.', between(100_000, 200_000), 'money'],
    ['1–3 млн', between(1_000_000, 3_000_000), 'money'],
    ['50 000 – 100 000 руб.', between(50_000, 100_000), 'rub'],
    ['from 100k to 500k', between(100_000, 500_000), 'money'],
    ['aged thirty to fifty', between(30, 50), 'count'],
  ])('reads %j as one range', (text, cmp, unit) => {
    expect(comparisons(text)).toEqual([{ cmp, unit }]);
  });
});

describe('a currency sign written before its number', () => {
  it.each<[string, Comparison, Unit]>([
    ['balance under €1.5k', op('lt', 1500), 'eur'],
    ['balance over $2,000', op('gt', 2000), 'usd'],
    ['остаток больше ₽100 000', op('gt', 100_000), 'rub'],
  ])('reads %j with the comparison before it', (text, cmp, unit) => {
    expect(comparisons(text)).toEqual([{ cmp, unit }]);
  });

  it('reads "₽100" as roubles', () => {
    expect(quantities('₽100')).toEqual([{ value: 100, unit: 'rub' }]);
  });
});

describe('comparisons', () => {
  it.each<[string, Comparison]>([
    ['не менее 10 тыс.', op('gte', 10_000)],
    ['не меньше 3 раз', op('gte', 3)],
    ['не ниже 700', op('gte', 700)],
    ['от 18 лет', op('gte', 18)],
    ['от 500 тыс.', op('gte', 500_000)],
    ['минимум 3', op('gte', 3)],
    ['at least 21', op('gte', 21)],
    ['≥ 5', op('gte', 5)],
    ['>= 5', op('gte', 5)],
    ['40 лет и более', op('gte', 40)],
    ['40 и старше', op('gte', 40)],
    ['3 или более', op('gte', 3)],
    ['5 и более раз', op('gte', 5)],
    ['three or more', op('gte', 3)],
    ['65+', op('gte', 65)],
    ['не более 3', op('lte', 3)],
    ['more than a year ago', op('gt', 1)],
    ['for at least a year', op('gte', 1)],
    ['не больше 2', op('lte', 2)],
    ['не выше 3', op('lte', 3)],
    ['максимум 5', op('lte', 5)],
    ['до 150 000 ₽', op('lte', 150_000)],
    ['up to 150 000', op('lte', 150_000)],
    ['at most 3', op('lte', 3)],
    ['no more than 2', op('lte', 2)],
    ['2 or less', op('lte', 2)],
    ['больше 30 000 руб.', op('gt', 30_000)],
    ['свыше 1 млн ₽', op('gt', 1_000_000)],
    ['превышает 100 тыс.', op('gt', 100_000)],
    ['старше 30 лет', op('gt', 30)],
    ['over 60', op('gt', 60)],
    ['older than 45', op('gt', 45)],
    ['above 700', op('gt', 700)],
    ['more than 100k', op('gt', 100_000)],
    ['exceeding 1 million', op('gt', 1_000_000)],
    ['> 100', op('gt', 100)],
    ['меньше 5', op('lt', 5)],
    ['младше 25 лет', op('lt', 25)],
    ['моложе 35', op('lt', 35)],
    ['under 30', op('lt', 30)],
    ['younger than 30', op('lt', 30)],
    ['below 40%', op('lt', 40)],
    ['fewer than 5', op('lt', 5)],
    ['< 3', op('lt', 3)],
    ['ровно 2', op('eq', 2)],
  ])('reads %j', (text, cmp) => {
    expect(comparisons(text).map((c) => c.cmp)).toEqual([cmp]);
  });

  it('takes a bare number of years or times as equal, a bare amount of money as a minimum', () => {
    expect(comparisons('30 лет')).toEqual([{ cmp: op('eq', 30), unit: 'year' }]);
    expect(comparisons('5 раз')).toEqual([{ cmp: op('eq', 5), unit: 'count' }]);
    expect(comparisons('траты 50 тыс.')).toEqual([{ cmp: op('gte', 50_000), unit: 'money' }]);
  });

  it('keeps the unit of the compared number (years, percent, roubles)', () => {
    expect(comparisons('over 60 years')).toEqual([{ cmp: op('gt', 60), unit: 'year' }]);
    expect(comparisons('below 40%')).toEqual([{ cmp: op('lt', 40), unit: 'percent' }]);
    expect(comparisons('больше 5 лет')).toEqual([{ cmp: op('gt', 5), unit: 'year' }]);
  });

  it('does not compare the number of a window or a "per month" phrase', () => {
    expect(comparisons('не менее 10 тыс. за последние 3 месяца')).toEqual([
      { cmp: op('gte', 10_000), unit: 'money' },
    ]);
    expect(comparisons('больше 30 тыс. руб. в месяц')).toEqual([{ cmp: op('gt', 30_000), unit: 'rub' }]);
    expect(comparisons('за последние 3 месяца')).toEqual([]);
  });

  it.each([
    ['трое детей и больше', op('gte', 3)],
    ['3 contacts or more', op('gte', 3)],
    ['48 months or longer', op('gte', 48)],
    ['2 карты или меньше', op('lte', 2)],
  ])('reads a bound said after the counted thing: %s', (text, cmp) => {
    expect(comparisons(text).map((c) => c.cmp)).toEqual([cmp]);
  });

  it('takes no bound that starts another comparison ("3 cards and more than 2 loans")', () => {
    expect(comparisons('3 cards and more than 2 loans').map((c) => c.cmp)).toEqual([
      op('eq', 3),
      op('gt', 2),
    ]);
  });

  it('reads two comparisons in one sentence in order', () => {
    expect(comparisons('старше 30 лет с доходом от 150 тыс. руб.').map((c) => c.cmp)).toEqual([
      op('gt', 30),
      op('gte', 150_000),
    ]);
  });
});

describe('windows', () => {
  it.each<[string, Span]>([
    ['за последние 3 месяца', months(3)],
    ['за последние три месяца', months(3)],
    ['за 3 месяца', months(3)],
    ['за последние 12 месяцев', months(12)],
    ['за последний месяц', months(1)],
    ['за месяц', months(1)],
    ['за полгода', months(6)],
    ['за последние полгода', months(6)],
    ['в течение полугода', months(6)],
    ['за последний квартал', months(3)],
    ['за год', months(12)],
    ['за последний год', months(12)],
    ['в течение года', months(12)],
    ['за 2 года', months(24)],
    ['в течение последних 6 месяцев', months(6)],
    ['в течение 90 дней', days(90)],
    ['за 90 дней', days(90)],
    ['последние 30 дней', days(30)],
    ['за неделю', days(7)],
    ['за последнюю неделю', days(7)],
    ['за последние 2 недели', days(14)],
    ['last 6 months', months(6)],
    ['last month', months(1)],
    ['last quarter', months(3)],
    ['past year', months(12)],
    ['past 12 months', months(12)],
    ['in the past 3 months', months(3)],
    ['over the last 12 months', months(12)],
    ['during the last year', months(12)],
    ['for the last 2 years', months(24)],
    ['last 90 days', days(90)],
    ['in the last 7 days', days(7)],
    ['within the last 30 days', days(30)],
    ['in the last 2 weeks', days(14)],
  ])('reads %j as a window', (text, span) => {
    expect(windows(text)).toEqual([span]);
  });

  it.each(['старше 30 лет', 'стаж 3 года', 'больше 5 лет', 'в ноябре 2026 года', '6 месяцев'])(
    'finds no window in %j',
    (text) => {
      expect(windows(text)).toEqual([]);
    },
  );

  it.each([
    ['нет покупок за последние 60 дней, но 5 покупок за 6 месяцев до этого', [days(60), months(6)]],
    ['none in the last 60 days but 5 in the 6 months before that', [days(60), months(6)]],
  ])('reads the second window of %j as the one before the first', (text, spans) => {
    const found = findWindows(normalize(text));
    expect(found.map((w) => w.span)).toEqual(spans);
    expect(found.map((w) => w.relative === true)).toEqual([false, true]);
  });

  it('finds the window inside a longer criterion', () => {
    const text = normalize('Тратят на АЗС не менее 10 тыс. рублей в месяц за последние 3 месяца');
    const [window] = findWindows(text);
    expect(window?.span).toEqual(months(3));
    expect(text.slice(window?.start, window?.end)).toBe('за последние 3 месяца');
  });
});

describe('per month', () => {
  it.each([
    'в месяц',
    'больше 30 тыс. руб. в месяц',
    'ежемесячно',
    'ежемесячный доход',
    'в среднем за месяц',
    '50 тыс./мес',
    'per month',
    '50k a month',
    'monthly income',
    'each month',
  ])('finds "per month" in %j', (text) => {
    expect(perMonth(text)).toBe(true);
  });

  it.each(['за последний месяц', '6 месяцев', 'last month', 'больше месяца'])(
    'finds no "per month" in %j',
    (text) => {
      expect(perMonth(text)).toBe(false);
    },
  );
});

describe('fixed gaps', () => {
  // "не моложе" (no younger than) is a minimum, not "моложе" read as a maximum.
  it('reads "не моложе 25 лет" as at least 25', () => {
    expect(comparisons('не моложе 25 лет').map((c) => c.cmp)).toEqual([op('gte', 25)]);
  });

  // "thousand" after a range multiplies both ends ("thousand" is a multiplier, as "тысяч" is).
  it('reads "between 10 and 20 thousand"', () => {
    expect(comparisons('between 10 and 20 thousand').map((c) => c.cmp)).toEqual([between(10_000, 20_000)]);
  });
});

describe('known gaps', () => {
  // Word processors and spreadsheets group digits with a no-break space (U+00A0) or a narrow one (U+202F).
  it.failing.each(['50\u00a0000', '50\u202f000'])(
    'reads %j, grouped by a no-break space, as 50 000',
    (text) => {
      expect(quantities(text)).toEqual([{ value: 50_000, unit: undefined }]);
    },
  );

  it.failing('keeps the unit of "5 и более раз" (times)', () => {
    expect(comparisons('5 и более раз')).toEqual([{ cmp: op('gte', 5), unit: 'count' }]);
  });

  it.failing('reads "50 тыс. в мес." as per month', () => {
    expect(perMonth('50 тыс. в мес.')).toBe(true);
  });

  it.failing('does not read "a month ago" as per month', () => {
    expect(perMonth('logged in a month ago')).toBe(false);
  });

  // "в среднем за месяц" is a monthly average, not the last month's window.
  it.failing('finds no window in "в среднем за месяц"', () => {
    expect(windows('в среднем за месяц')).toEqual([]);
  });
});

describe('findDatePeriods', () => {
  const periods = (text: string) => findDatePeriods(text).map((p) => p.cmp);

  it.each(['balance from 2000 to 2020 euros', 'от 2010 до 2030 тыс. руб.', 'contacts 2000-2010'])(
    'reads no years in an amount or a bare range: %s',
    (text) => {
      expect(periods(text).filter((p) => p.op === 'between')).toEqual([]);
    },
  );

  it.each([
    ['born before 1950', { op: 'lt', value: '1950-01-01' }],
    ['открыт до 1994 года', { op: 'lt', value: '1994-01-01' }],
    ['после 2020 года', { op: 'gte', value: '2021-01-01' }],
    ['granted in 1997 or 1998', { op: 'between', min: '1997-01-01', max: '1998-12-31' }],
    ['в 1997-1998 годах', { op: 'between', min: '1997-01-01', max: '1998-12-31' }],
    ['в 2026 году', { op: 'between', min: '2026-01-01', max: '2026-12-31' }],
    ['born between 1960 and 1979', { op: 'between', min: '1960-01-01', max: '1979-12-31' }],
    ['с 1960 по 1979 год', { op: 'between', min: '1960-01-01', max: '1979-12-31' }],
    ['мужчины 1950–1960 годов рождения', { op: 'between', min: '1950-01-01', max: '1960-12-31' }],
    ['born 1960-1970', { op: 'between', min: '1960-01-01', max: '1970-12-31' }],
    ['клиенты 1960 года рождения', { op: 'between', min: '1960-01-01', max: '1960-12-31' }],
    ['women born 1965', { op: 'between', min: '1965-01-01', max: '1965-12-31' }],
    ['born in 1970 or later', { op: 'gte', value: '1970-01-01' }],
    ['родившиеся в 1960 году и раньше', { op: 'lte', value: '1960-12-31' }],
    ['в этом году', { op: 'gte', value: { now: true, start: 'year' } }],
    ['this month', { op: 'gte', value: { now: true, start: 'month' } }],
    ['заканчивается в ноябре 2026 года', { op: 'between', min: '2026-11-01', max: '2026-11-30' }],
    ['opened in February 2024', { op: 'between', min: '2024-02-01', max: '2024-02-29' }],
    [
      'в марте',
      {
        op: 'between',
        min: { now: true, start: 'year', plus: { n: 2, unit: 'month' } },
        max: { now: true, start: 'year', minus: { n: 1, unit: 'day' }, plus: { n: 3, unit: 'month' } },
      },
    ],
    [
      'в ближайшие два месяца',
      { op: 'between', min: { now: true }, max: { now: true, plus: { n: 2, unit: 'month' } } },
    ],
    [
      'within the next 30 days',
      { op: 'between', min: { now: true }, max: { now: true, plus: { n: 30, unit: 'day' } } },
    ],
  ])('reads %j', (text, cmp) => {
    expect(periods(text)).toEqual([cmp]);
  });

  it('takes no amount or age for a year', () => {
    expect(periods('больше 2000 рублей')).toEqual([]);
    expect(periods('старше 20 лет')).toEqual([]);
    expect(periods('за последние 2 месяца')).toEqual([]);
    expect(periods('в майонезе')).toEqual([]);
  });
});
