import type { Criterion } from '@t2s/contracts';

export interface SqlCriterion {
  id: string;
  kind: Criterion['kind'];
  /** A SELECT returning `client_id`. */
  sql: string;
}

/** CTE names come from criterion ids, which a person may edit: keep only identifier characters. */
export function cteName(id: string, index: number): string {
  const safe = id.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return `k${index}_${safe}`.slice(0, 60);
}

function ctes(criteria: readonly SqlCriterion[]): string[] {
  return criteria.map((c, i) => `${cteName(c.id, i)} as (\n  ${c.sql.trim()}\n)`);
}

/**
 * The segment query: one CTE per criterion, the intersection of the includes minus the union of the
 * excludes, one output column. At least one include is required: "everyone except X" is not an
 * audience a campaign should get by accident.
 */
export function buildSegmentSql(criteria: readonly SqlCriterion[]): string {
  const names = criteria.map((c, i) => ({ kind: c.kind, name: cteName(c.id, i) }));
  const includes = names.filter((n) => n.kind === 'include');
  const excludes = names.filter((n) => n.kind === 'exclude');
  if (includes.length === 0) throw new Error('a segment needs at least one include criterion');
  const select = (name: string) => `select client_id from ${name}`;
  const parts = [
    ...ctes(criteria),
    `included as (\n  ${includes.map((n) => select(n.name)).join('\n  intersect\n  ')}\n)`,
  ];
  let final = 'select client_id from included';
  if (excludes.length > 0) {
    parts.push(`excluded as (\n  ${excludes.map((n) => select(n.name)).join('\n  union\n  ')}\n)`);
    final = `select client_id from included\nexcept\nselect client_id from excluded`;
  }
  return `with ${parts.join(',\n')}\n${final}`;
}

/**
 * Clients meeting each criterion alone, one row per criterion (`criterion_id`, `clients`). Two
 * columns, so it is for the admin/ops path or a count-aware sandbox call, not the segment guard.
 */
export function buildCountSql(criteria: readonly SqlCriterion[]): string {
  if (criteria.length === 0) throw new Error('no criteria to count');
  const counts = criteria.map(
    (c, i) =>
      `select '${c.id.replace(/'/g, "''")}' as criterion_id, count(distinct client_id) as clients from ${cteName(c.id, i)}`,
  );
  return `with ${ctes(criteria).join(',\n')}\n${counts.join('\nunion all\n')}`;
}
