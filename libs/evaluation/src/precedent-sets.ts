import { campaignOf, type Precedent, type ReadCriteria } from '@t2s/precedents';
import type { EvalCase } from './eval-case.schema';

/** A case's key in a precedent set: its warehouse and id. */
export function caseKey(evalCase: Pick<EvalCase, 'warehouse' | 'id'>): string {
  return `${evalCase.warehouse}/${evalCase.id}`;
}

/**
 * The precedents an evaluation reads: a set of cases (their offer and target SQL) as if the bank had run
 * them, each SQL read into criteria once (`read`, with the case's warehouse model).
 */
export function precedentsOfCases(
  cases: readonly EvalCase[],
  read: (sql: string, warehouse: string) => ReadCriteria,
): Precedent[] {
  return cases.map((c) => ({
    id: caseKey(c),
    campaign: campaignOf(c.offer, c.id),
    warehouse: c.warehouse,
    offer: c.offer,
    sql: c.target.sql,
    origin: 'import' as const,
    criteria: read(c.target.sql, c.warehouse).criteria,
  }));
}

/**
 * What a case may learn from (with `perType`, at most that many campaigns of each product type). Leave-one-out: every other case of the set on the case's warehouse,
 * never its own target. An archive: a separate set (the own cases for held-out offers), where a case
 * of the same id or the same target SQL is still left out.
 */
export function precedentsFor(evalCase: EvalCase, set: readonly Precedent[], perType?: number): Precedent[] {
  const own = caseKey(evalCase);
  const target = normalized(evalCase.target.sql);
  const given = set.filter(
    (p) => p.warehouse === evalCase.warehouse && p.id !== own && normalized(p.sql) !== target,
  );
  if (perType === undefined) return given;
  // The learning curve: an archive of at most `perType` campaigns of each product type (the first ones).
  const kept = new Map<string, number>();
  return given.filter((p) => {
    const n = kept.get(p.offer.product.type) ?? 0;
    kept.set(p.offer.product.type, n + 1);
    return n < perType;
  });
}

/** Throws when a case's own answer is among what it is given: the harness never lets it see it. */
export function assertNotOwn(evalCase: EvalCase, given: readonly Precedent[]): void {
  const target = normalized(evalCase.target.sql);
  const leak = given.find((p) => p.id === caseKey(evalCase) || normalized(p.sql) === target);
  if (leak)
    throw new Error(`Leave-one-out broken: case ${caseKey(evalCase)} was given its own target (${leak.id})`);
}

function normalized(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().toLowerCase();
}
