import type { CatalogAnnotations, CatalogColumn } from './catalog.schema';
import { refMatches, type PiiColumnRef } from './pii';

/**
 * Targeting marks. A segment is chosen before its campaign's contact, so what is known only during or
 * after that contact (its date, channel, duration, the number of calls) or records its outcome (did
 * the client subscribe) cannot choose it: a segment built on the outcome is the outcome, not a
 * forecast of it. The warehouse's annotations say which columns these are (`notForTargeting`); no
 * strategy reads them (the generated-SQL guard, the semantic compiler and schema linking), while a
 * person's SQL may, since analysts study campaigns by their outcomes.
 */
export interface TargetingMark {
  /** Present (true) only on columns not for targeting. */
  notForTargeting?: true;
}

export function markTargeting(
  column: Pick<PiiColumnRef, 'schema' | 'table' | 'column'>,
  annotations?: CatalogAnnotations,
): TargetingMark {
  return annotations && refMatches(annotations.notForTargeting ?? [], column)
    ? { notForTargeting: true }
    : {};
}

/** Whether no strategy may read the column: known only during or after the contact, or its outcome. */
export function isNotForTargeting(column: Pick<CatalogColumn, 'notForTargeting'>): boolean {
  return column.notForTargeting === true;
}
