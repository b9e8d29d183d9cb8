import type { ClientProfile } from '../client-profile';
import type { CopyWriter } from '../copy-writer';
import { monthEnd, monthOfYear, monthStart } from '../dates';
import type { ReferenceIndex } from '../reference-rows';

export const money = (x: number): number => Math.round(x * 100) / 100;

/** Months of history behind the report date that the monthly tables cover. */
export const MONTHS = 12;

/** Card spending of a calendar month (index 1..12) relative to an average month. */
const SEASON = [0, 0.88, 0.9, 1, 1, 1.05, 1.05, 1.12, 1.12, 1, 1, 1.05, 1.3];

/** One calendar month of history, `back` months before the report date (index 0 holds it). */
export interface Month {
  start: number;
  end: number;
  season: number;
  /**
   * Running sum of the month's purchase-day weights: `dayCumulative[i]` is the weight of its first
   * `i` days, so a window of days is picked with one uniform draw (see `purchaseDay`).
   */
  dayCumulative: Float64Array;
}

/** Card spending by day of week, Monday first: more on Friday and Saturday, least early in the week. */
const WEEKDAY = [0.86, 0.88, 0.93, 0.98, 1.22, 1.3, 1.04];

/**
 * Spending after paydays: the main salary on the 5th and the advance on the 20th (as
 * `salary_payment` books them) lift the next few days; the days before them are leaner.
 */
function paydayFactor(dayOfMonth: number): number {
  if (dayOfMonth >= 5 && dayOfMonth <= 7) return [1.4, 1.25, 1.12][dayOfMonth - 5]!;
  if (dayOfMonth >= 20 && dayOfMonth <= 22) return [1.25, 1.15, 1.06][dayOfMonth - 20]!;
  if (dayOfMonth <= 3 || (dayOfMonth >= 17 && dayOfMonth <= 19)) return 0.9;
  return 1;
}

function dayCumulative(start: number, end: number): Float64Array {
  const cumulative = new Float64Array(end - start + 2);
  for (let day = start; day <= end; day++) {
    // Day 0 (1970-01-01) was a Thursday: (day + 3) % 7 is 0 on Mondays.
    const weight = WEEKDAY[(day + 3) % 7]! * paydayFactor(day - start + 1);
    cumulative[day - start + 1] = cumulative[day - start]! + weight;
  }
  return cumulative;
}

/**
 * The day of a purchase in month `m` between `from` and `to` (both inside the month, `from <= to`),
 * weighted by weekday and payday; `u` is one uniform draw, so callers spend exactly one draw.
 */
export function purchaseDay(m: Month, from: number, to: number, u: number): number {
  const c = m.dayCumulative;
  const lo = c[from - m.start]!;
  const target = lo + u * (c[to - m.start + 1]! - lo);
  let a = from - m.start;
  let b = to - m.start;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (c[mid + 1]! > target) b = mid;
    else a = mid + 1;
  }
  return m.start + a;
}

/** Monotonic ids per table: generation runs in client order, so ids are deterministic. */
export class Ids {
  private readonly next = new Map<string, number>();
  take(table: string): number {
    const id = (this.next.get(table) ?? 0) + 1;
    this.next.set(table, id);
    return id;
  }
}

/** What every subject area's writer shares for a whole seeding run. */
export interface RowContext {
  out: CopyWriter;
  ids: Ids;
  /** The last MONTHS months, newest first; built once per run. */
  months: readonly Month[];
  reportDay: number;
  ref: ReferenceIndex;
}

export function createRowContext(out: CopyWriter, ref: ReferenceIndex, reportDay: number): RowContext {
  const months: Month[] = [];
  for (let back = 0; back < MONTHS; back++) {
    const start = monthStart(reportDay, back);
    const end = monthEnd(reportDay, back);
    months.push({
      start,
      end,
      season: SEASON[monthOfYear(start)]!,
      dayCumulative: dayCumulative(start, end),
    });
  }
  return { out, ids: new Ids(), months, reportDay, ref };
}

/** A day between the client's onboarding and their leaving (or the report date): when a product was taken. */
export function productDay(ctx: RowContext, p: ClientProfile): number {
  return p.since + Math.floor(p.rng.next() * Math.max(1, (p.closedDay ?? ctx.reportDay) - p.since));
}
