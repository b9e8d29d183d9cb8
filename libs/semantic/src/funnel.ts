import { indentSql } from '@t2s/db';
import { cteNames } from './compile';

/** One criterion's SELECT of client ids, as the segment query has it (compiled or written by a model). */
export interface CriterionQuery {
  id: string;
  kind: 'include' | 'exclude';
  sql: string;
}

/** What `funnelSql` answers, in the order of its rows. */
export interface FunnelCounts {
  /** Criterion id -> clients that criterion alone keeps. */
  alone: Record<string, number>;
  /** The segment narrowing step by step: inclusions in order, then exclusions in order. */
  funnel: { criterion: string; remaining: number }[];
}

/**
 * One read-only query, one column, that counts what each criterion keeps alone and how the segment
 * narrows criterion by criterion: inclusions intersected in order, then exclusions removed in order.
 * A segment of exclusions alone has no funnel (its base, every client, is not among the parts). One
 * column so that it passes the same guard as the segment query; the rows come in a fixed order that
 * `readFunnelCounts` maps back.
 */
export function funnelSql(parts: readonly CriterionQuery[]): string {
  if (parts.length === 0) throw new Error('A funnel needs at least one criterion');
  const names = cteNames(parts);
  const ctes = parts.map((p, i) => `${names[i]} as (\n${indentSql(p.sql)}\n)`);
  const order = funnelOrder(parts);
  const steps: string[] = [];
  order.forEach((index, step) => {
    const part = parts[index] as CriterionQuery;
    const name = names[index] as string;
    const previous = step === 0 ? null : `f_${step}`;
    const body =
      previous === null
        ? `select client_id from ${name}`
        : `select client_id from ${previous} ${part.kind === 'include' ? 'intersect' : 'except'} select client_id from ${name}`;
    steps.push(`f_${step + 1} as (\n${indentSql(body)}\n)`);
  });
  const rows = [
    ...names.map((name, i) => `select ${i + 1} as i, count(distinct client_id) as n from ${name}`),
    ...order.map((_, step) => `select ${parts.length + step + 1}, count(*) from f_${step + 1}`),
  ];
  return `with ${[...ctes, ...steps].join(',\n')}\nselect n from (\n${indentSql(rows.join('\nunion all\n'))}\n) t order by i`;
}

/** The counts of `funnelSql`'s rows, in order; null when they do not fit the parts (a changed query). */
export function readFunnelCounts(
  parts: readonly CriterionQuery[],
  rows: readonly string[],
): FunnelCounts | null {
  if (rows.length !== parts.length + funnelOrder(parts).length) return null;
  const numbers = rows.map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 0)) return null;
  const alone = Object.fromEntries(parts.map((p, i) => [p.id, numbers[i] as number]));
  const funnel = funnelOrder(parts).map((index, step) => ({
    criterion: (parts[index] as CriterionQuery).id,
    remaining: numbers[parts.length + step] as number,
  }));
  return { alone, funnel };
}

/**
 * Indexes of the parts as the funnel applies them: inclusions first, then exclusions, each in order;
 * none without an inclusion to start from.
 */
function funnelOrder(parts: readonly CriterionQuery[]): number[] {
  const indexes = parts.map((_, i) => i);
  if (!parts.some((p) => p.kind === 'include')) return [];
  return [
    ...indexes.filter((i) => parts[i]?.kind === 'include'),
    ...indexes.filter((i) => parts[i]?.kind === 'exclude'),
  ];
}
