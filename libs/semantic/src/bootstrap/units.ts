import { commentHead } from './comment-words';

/**
 * What a number in a numeric column is counted in, read from the words of its comment: a currency
 * ("руб.", "in euros"), a share ("%"), a duration written as a unit (", месяцев", "in seconds",
 * "number of days") or a count ("Количество ...", "number of ..."). The names are the semantic model's
 * units: what the parser reads next to a number (year, month, day, rub, percent, count...).
 */
export type Unit =
  | 'rub'
  | 'eur'
  | 'usd'
  | 'czk'
  | 'percent'
  | 'share'
  | 'year'
  | 'month'
  | 'day'
  | 'hour'
  | 'minute'
  | 'second'
  | 'count';

/** The units that are currencies. */
export const CURRENCY_UNITS: ReadonlySet<string> = new Set<Unit>(['rub', 'eur', 'usd', 'czk']);

// Whole words only: "руб." but not "зарубежных".
const CURRENCIES: [RegExp, Unit][] = [
  [/(?<!\p{L})(руб\.?|рубл\p{L}*|rub|roubles?|rubles?)(?!\p{L})|₽/iu, 'rub'],
  [/(?<!\p{L})(euros?|eur|евро)(?!\p{L})|€/iu, 'eur'],
  [/(?<!\p{L})(dollars?|usd|доллар\p{L}*)(?!\p{L})|\$/iu, 'usd'],
  [/(?<!\p{L})(czk|crowns?|korun\p{L}*|крон[аы]?)(?!\p{L})/iu, 'czk'],
];

/** Duration words as units: the Russian forms after a number or a comma ("Срок, месяцев"), English. */
const DURATIONS: [RegExp, Unit][] = [
  [/^(лет|год|года|годы|years?)$/iu, 'year'],
  [/^(месяц|месяца|месяцев|мес\.?|months?)$/iu, 'month'],
  [/^(дн|дня|дней|день|days?)$/iu, 'day'],
  [/^(час|часа|часов|hours?)$/iu, 'hour'],
  [/^(мин|мин\.|минута|минуты|минут|minutes?)$/iu, 'minute'],
  [/^(сек|сек\.|секунда|секунды|секунд|seconds?)$/iu, 'second'],
];

function duration(word: string | undefined): Unit | undefined {
  return word === undefined ? undefined : DURATIONS.find(([p]) => p.test(word))?.[1];
}

/** The unit of a numeric column from its comment; undefined when the comment does not say. */
export function unitFromComment(comment: string | null | undefined): Unit | undefined {
  const text = (comment ?? '').replace(/^\s*\[[^\]]*\]\s*/u, '');
  if (!text) return undefined;
  // A unit named as such: ", руб.", ", месяцев", "in euros", "in seconds", "(лет)".
  const named = /(?:,\s*(?:in\s|в\s)?|(?<!\p{L})(?:in|в)\s|\()\s*(\p{L}+\.?|%|₽|€|\$)(?=[\s.,;)]|$)/giu;
  for (const match of text.matchAll(named)) {
    const word = match[1] as string;
    const currency = CURRENCIES.find(([p]) => p.test(word));
    if (currency) return currency[1];
    if (word === '%') return 'percent';
    const time = duration(word);
    if (time) return time;
  }
  for (const [pattern, unit] of CURRENCIES) if (pattern.test(text)) return unit;
  const head = commentHead(text);
  if (/(?<!\p{L})(процент\p{L}*|percent\p{L}*|ratio|rate)(?!\p{L})|%/iu.test(head)) return 'percent';
  if (/(?<!\p{L})(вероятност\p{L}*|probability)(?!\p{L})/iu.test(text)) return 'share';
  // "number of days that passed", "количество дней": a count of a duration is the duration.
  const counted = /(?:number of|no\. of|количеств\p{L}*|число)\s+(\p{L}+)/iu.exec(text);
  if (counted) return duration(counted[1]) ?? 'count';
  // "Дней просрочки": a count of a duration named first ("Год выпуска" is a year, not a duration).
  const first =
    /^(дней|месяцев|лет|часов|минут|секунд|days|months|years|hours|minutes|seconds)(?!\p{L})/iu.exec(
      text.trim(),
    )?.[1];
  if (first) return duration(first);
  if (/^(возраст|age)(?!\p{L})/iu.test(text.trim())) return 'year';
  return undefined;
}

/** The value is said per month ("Ежемесячный платёж", "в месяц", "monthly payments"). */
export function perMonth(comment: string | null | undefined): boolean {
  return /(ежемесячн\p{L}*|в месяц|per month|a month|monthly)/iu.test(comment ?? '');
}
