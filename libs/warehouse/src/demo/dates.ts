/** Dates as whole days since 1970-01-01 (UTC): cheap to add to and to print in COPY format. */
const MS_PER_DAY = 86_400_000;

export function dayOf(iso: string): number {
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not a date: "${iso}"`);
  return Math.floor(ms / MS_PER_DAY);
}

// Generation formats millions of dates from a few thousand distinct days: remember them.
const isoCache = new Map<number, string>();

export function isoDate(day: number): string {
  let text = isoCache.get(day);
  if (text === undefined) {
    text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(day, text);
  }
  return text;
}

/** `YYYY-MM-DD HH:MM:SS` for a day plus seconds into it. */
export function isoTimestamp(day: number, secondOfDay: number): string {
  return `${isoDate(day)} ${timeOfDay(secondOfDay)}`;
}

/** `HH:MM:SS` for seconds since midnight. */
export function timeOfDay(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}`;
}

/** Last day of the month `monthsBack` months before the month of `day` (0 = that month). */
export function monthEnd(day: number, monthsBack: number): number {
  const d = new Date(day * MS_PER_DAY);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsBack + 1, 0) / MS_PER_DAY);
}

/** First day of the month `monthsBack` months before the month of `day`. */
export function monthStart(day: number, monthsBack: number): number {
  const d = new Date(day * MS_PER_DAY);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsBack, 1) / MS_PER_DAY);
}

export function monthOfYear(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCMonth() + 1;
}

export function addMonths(day: number, months: number): number {
  const d = new Date(day * MS_PER_DAY);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate()) / MS_PER_DAY);
}
