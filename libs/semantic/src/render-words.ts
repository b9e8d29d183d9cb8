// The words the criteria renderer writes with, in Russian and English: connectives, comparisons, units
// with their plural forms, month names. Only grammar lives here; what a column, value or product is called
// comes from the semantic model and the catalog.

export type Language = 'ru' | 'en';

/** Russian plural form index for a count (1 день, 2 дня, 5 дней). */
export function ruPlural(n: number): 0 | 1 | 2 {
  if (!Number.isInteger(n)) return 1;
  const mod10 = Math.abs(n) % 10;
  const mod100 = Math.abs(n) % 100;
  if (mod10 === 1 && mod100 !== 11) return 0;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return 1;
  return 2;
}

/** A unit's forms: Russian after a number as a subject (nominative) and after a comparison (genitive). */
interface UnitWords {
  ru: { nominative: readonly [string, string, string]; genitive: readonly [string, string, string] };
  en: readonly [string, string];
}

const same = (word: string) => [word, word, word] as const;

/** The semantic model's units (see `bootstrap/units.ts`) as words. */
export const UNIT_WORDS: Readonly<Record<string, UnitWords>> = {
  year: {
    ru: { nominative: ['год', 'года', 'лет'], genitive: ['года', 'лет', 'лет'] },
    en: ['year', 'years'],
  },
  month: {
    ru: { nominative: ['месяц', 'месяца', 'месяцев'], genitive: ['месяца', 'месяцев', 'месяцев'] },
    en: ['month', 'months'],
  },
  day: {
    ru: { nominative: ['день', 'дня', 'дней'], genitive: ['дня', 'дней', 'дней'] },
    en: ['day', 'days'],
  },
  hour: {
    ru: { nominative: ['час', 'часа', 'часов'], genitive: ['часа', 'часов', 'часов'] },
    en: ['hour', 'hours'],
  },
  minute: {
    ru: { nominative: ['минута', 'минуты', 'минут'], genitive: ['минуты', 'минут', 'минут'] },
    en: ['minute', 'minutes'],
  },
  second: {
    ru: { nominative: ['секунда', 'секунды', 'секунд'], genitive: ['секунды', 'секунд', 'секунд'] },
    en: ['second', 'seconds'],
  },
  // Currencies in words, not ISO codes: the codes are values a warehouse labels (ref_currency).
  rub: { ru: { nominative: same('руб.'), genitive: same('руб.') }, en: ['rouble', 'roubles'] },
  eur: { ru: { nominative: same('евро'), genitive: same('евро') }, en: ['euro', 'euros'] },
  usd: { ru: { nominative: same('долл.'), genitive: same('долл.') }, en: ['dollar', 'dollars'] },
  czk: {
    ru: { nominative: ['крона', 'кроны', 'крон'], genitive: ['кроны', 'крон', 'крон'] },
    en: ['CZK', 'CZK'],
  },
  percent: { ru: { nominative: same('%'), genitive: same('%') }, en: ['%', '%'] },
};

/** "21 года", "70 лет", "3 months", "15 000 руб."; a unit the table does not know is written as is. */
export function unitAfter(n: number, unit: string, language: Language, genitive: boolean): string {
  const words = UNIT_WORDS[unit];
  if (!words) return unit;
  if (language === 'en') return n === 1 ? words.en[0] : words.en[1];
  return (genitive ? words.ru.genitive : words.ru.nominative)[ruPlural(n)];
}

export const WORDS = {
  ru: {
    and: 'и',
    or: 'или',
    has: 'Есть',
    hasNo: 'Нет',
    only: 'Только',
    not: 'Неверно, что',
    no: 'нет',
    yes: 'да',
    oneOf: 'одно из',
    except: 'кроме',
    isNull: 'не указано',
    notNull: 'указано',
    contains: 'содержит',
    perMonth: 'в месяц',
    share: (part: string, whole: string) => `доля «${part}» в ${whole}`,
    fn: {
      count: 'количество',
      count_distinct: 'количество разных',
      sum: 'сумма',
      avg: 'среднее',
      min: 'минимум',
      max: 'максимум',
    },
  },
  en: {
    and: 'and',
    or: 'or',
    has: 'Has',
    hasNo: 'Has no',
    only: 'Only',
    not: 'Not the case that',
    no: 'no',
    yes: 'yes',
    oneOf: 'one of',
    except: 'other than',
    isNull: 'not set',
    notNull: 'set',
    contains: 'contains',
    perMonth: 'per month',
    share: (part: string, whole: string) => `share of «${part}» in ${whole}`,
    fn: {
      count: 'number of',
      count_distinct: 'number of distinct',
      sum: 'total',
      avg: 'average',
      min: 'minimum',
      max: 'maximum',
    },
  },
} as const;

/** Comparisons of quantities, and of dates. */
export const NUMBER_OPS = {
  ru: { eq: 'ровно', ne: 'не равно', gt: 'больше', gte: 'не менее', lt: 'меньше', lte: 'не более' },
  en: { eq: 'exactly', ne: 'other than', gt: 'over', gte: 'at least', lt: 'under', lte: 'at most' },
} as const;

export const DATE_OPS = {
  ru: { eq: '', ne: 'не', gt: 'позже', gte: 'не ранее', lt: 'ранее', lte: 'не позднее' },
  en: { eq: 'on', ne: 'not on', gt: 'after', gte: 'on or after', lt: 'before', lte: 'on or before' },
} as const;

const RU_MONTHS_GENITIVE = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
] as const;
const EN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** "1 ноября", "1 November": a month's first day, `month` from 0. */
export function monthStart(month: number, language: Language): string {
  return language === 'ru' ? `1 ${RU_MONTHS_GENITIVE[month] ?? ''}` : `1 ${EN_MONTHS[month] ?? ''}`;
}

/** An ISO day in words: "31 декабря 1998", "31 December 1998"; anything else as it is. */
export function isoDay(value: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  const [, year, month, day] = match;
  const m = Number(month) - 1;
  const name = language === 'ru' ? RU_MONTHS_GENITIVE[m] : EN_MONTHS[m];
  return name ? `${Number(day)} ${name} ${year}` : value;
}

export function numberText(value: number, language: Language): string {
  return value.toLocaleString(language === 'ru' ? 'ru-RU' : 'en-US', { maximumFractionDigits: 2 });
}

/** A label as written inside a sentence: lower case first, unless it is an abbreviation ("ИИС", "SMS"). */
export function inSentence(text: string): string {
  const abbreviation = /^\p{Lu}[\p{Lu}\d]/u.test(text);
  return abbreviation || text.length === 0 ? text : `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

export function capitalised(text: string): string {
  return text.length === 0 ? text : `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** "a, b или c", "a, b or c". */
export function listText(items: readonly string[], last: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1] ?? ''}`;
}
