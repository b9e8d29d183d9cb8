import { z } from 'zod';
import { offerSchema, warehouseNameSchema, type CriterionPrecedent, type Offer } from '@t2s/contracts';
import type { Expr } from '@t2s/semantic';

/**
 * A precedent: a campaign the bank already ran, its offer and the SQL a person wrote or approved for
 * it, when and by whom. It enters by an approval in the service or by `t2s precedents import` of an
 * archive, and it never carries personal data: the SQL is refused when it reads a PII column.
 */
export interface Precedent {
  /** The store's id (or, before it is stored, the file it came from). */
  id: string;
  /** The campaign's name as the bank knows it: the offer's campaign id, else its id, else the file's name. */
  campaign: string;
  warehouse: string;
  offer: Offer;
  sql: string;
  /** ISO date the SQL was approved, when known. */
  approvedAt?: string;
  approvedBy?: string;
  origin: 'approval' | 'import';
  /** The SQL read back into criteria (`readCriteria`); what adoption compares and adopts. */
  criteria: PrecedentCriterion[];
}

/**
 * One criterion of a precedent's SQL: the representation where the SQL's shape maps to it, else the
 * SQL fragment as it was written (a condition, or a query of client ids), shown as such.
 */
export type PrecedentCriterion =
  { kind: 'include' | 'exclude'; expr: Expr } | { kind: 'include' | 'exclude'; sql: string };

export function isMapped(
  criterion: PrecedentCriterion,
): criterion is { kind: 'include' | 'exclude'; expr: Expr } {
  return 'expr' in criterion;
}

const approvedAtSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** One campaign of a bank's archive, one JSON file each: the offer and the SQL run for it. */
export const precedentFileSchema = z.strictObject({
  warehouse: warehouseNameSchema,
  /** Default: the offer's `campaignId`, else its `id`, else the file's base name. */
  campaign: z.string().trim().min(1).max(128).optional(),
  offer: offerSchema,
  sql: z.string().min(1).max(100_000),
  approvedAt: approvedAtSchema.optional(),
  approvedBy: z.string().trim().min(1).max(200).optional(),
});
export type PrecedentFile = z.infer<typeof precedentFileSchema>;

/** How a criterion cites the precedent it comes from (its provenance). */
export function citationOf(precedent: Precedent): CriterionPrecedent {
  return {
    id: precedent.id,
    campaign: precedent.campaign,
    ...(precedent.approvedAt ? { approvedAt: precedent.approvedAt } : {}),
    ...(precedent.approvedBy ? { approvedBy: precedent.approvedBy } : {}),
  };
}

/** The campaign name of an offer, or `fallback` (a file's base name) when the offer names none. */
export function campaignOf(offer: Offer, fallback: string): string {
  return offer.campaignId ?? offer.id ?? fallback;
}
