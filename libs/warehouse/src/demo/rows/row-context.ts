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
    months.push({ start, end: monthEnd(reportDay, back), season: SEASON[monthOfYear(start)]! });
  }
  return { out, ids: new Ids(), months, reportDay, ref };
}

/** A day between the client's onboarding and their leaving (or the report date): when a product was taken. */
export function productDay(ctx: RowContext, p: ClientProfile): number {
  return p.since + Math.floor(p.rng.next() * Math.max(1, (p.closedDay ?? ctx.reportDay) - p.since));
}
