import { indentSql, quoteIdent } from '@t2s/db';
import { CompileError } from './errors';
import type { SemanticModel } from './semantic-model';

/** One criterion's SELECT of client ids, as the segment query has it (compiled or written by a model). */
export interface CriterionQuery {
  id: string;
  kind: 'include' | 'exclude';
  sql: string;
}

/** The table every segment is drawn from: its name as the SQL writes it (schema-qualified) and its key. */
export interface SegmentEntity {
  table: string;
  id: string;
}

/** What a segment's counted pass says besides its ids. */
export interface FunnelCounts {
  /** Criterion id -> clients that criterion alone keeps. */
  alone: Record<string, number>;
  /** The segment narrowing step by step: inclusions in order, then exclusions in order. */
  funnel: { criterion: string; remaining: number }[];
}

const ID = 'client_id';

/** The model's client table as a segment is drawn from it. */
export function segmentEntity(model: SemanticModel): SegmentEntity {
  const { table, id } = model.entity;
  return { table: model.qualify(table), id };
}

/** Flags are bits of a bigint; a segment of more criteria is counted without its funnel. */
export const MAX_COUNTED_CRITERIA = 62;

/**
 * The segment: the clients of the entity table (alias t0) that meet every inclusion and no exclusion.
 * A criterion that only filters the client's own row is a condition of that scan; any other is a CTE,
 * tested with EXISTS / NOT EXISTS as an analyst writes it, so the planner joins its rows to the clients
 * (semi and anti joins, on PostgreSQL and Greenplum alike) instead of sorting every criterion's ids for
 * INTERSECT and EXCEPT, and never joins the client table to itself. The one builder of the segment's
 * shape: the compiler, the SQL agent and the counted pass all call it.
 */
export function segmentSql(parts: readonly CriterionQuery[], entity: SegmentEntity): string {
  const shaped = shapeOf(parts, entity);
  const key = `t0.${quoteIdent(entity.id)}`;
  const conditions = shaped.map(({ part, name, filter }) => {
    if (filter !== null) return part.kind === 'include' ? filter : `not coalesce(${filter}, false)`;
    return `${part.kind === 'exclude' ? 'not ' : ''}exists (select 1 from ${name} x where x.${ID} = ${key})`;
  });
  return `${withClause(shaped)}select ${key} as ${ID}\nfrom ${entity.table} t0\nwhere ${conditions.join('\n  and ')}`;
}

/**
 * The segment and its counts in one pass: the same criteria, each client of the entity table flagged
 * with a bit per criterion it meets, then the members' ids (rows of `client_id`, NULL, NULL) and how
 * many clients carry each set of flags (rows of NULL, flags, count). The members are exactly those of
 * `segmentSql` over the same parts; `funnelOf` turns the counts into the funnel. Three columns, so it
 * runs under the sandbox's counting guard (`output: 'counted'`).
 */
export function countedSegmentSql(parts: readonly CriterionQuery[], entity: SegmentEntity): string {
  if (parts.length > MAX_COUNTED_CRITERIA) {
    throw new CompileError(`A counted segment takes at most ${MAX_COUNTED_CRITERIA} criteria`);
  }
  // Every criterion joined, row filters too: a condition on the client's row in the select list would
  // be a personal column (a birth date) in the output, which the guard rightly refuses.
  const shaped = shapeOf(parts, entity).map((s) => ({ ...s, filter: null }));
  const key = `t0.${quoteIdent(entity.id)}`;
  const flags = shaped.map((_, i) => `case when j${i + 1}.${ID} is null then 0 else ${bit(i)} end`);
  const joins = shaped.map(
    ({ name }, i) => `left join (select distinct ${ID} from ${name}) j${i + 1} on j${i + 1}.${ID} = ${key}`,
  );
  const flagged = [
    `select ${key} as ${ID},\n  ${flags.join('\n  + ')} as flags`,
    `from ${entity.table} t0`,
    ...joins,
  ];
  const ctes = withClause(shaped);
  return (
    `${ctes ? `${ctes.slice(0, -1)},\n` : 'with '}m as (\n${indentSql(flagged.join('\n'))}\n)\n` +
    `select ${ID}, null::bigint as flags, null::bigint as n from m where flags = ${memberFlags(parts)}\n` +
    `union all\n` +
    `select null, flags, count(*) from m group by flags`
  );
}

/**
 * Each criterion's own count and the funnel (inclusions in order, then exclusions) from the counted
 * pass's clients per set of flags; no funnel for a segment of exclusions alone (its base, every client,
 * is not among the criteria). Null when the counts do not fit the parts (another query's rows).
 */
export function funnelOf(
  parts: readonly CriterionQuery[],
  counts: ReadonlyMap<string, number>,
): FunnelCounts | null {
  const tally: { flags: bigint; n: number }[] = [];
  const all = (1n << BigInt(parts.length)) - 1n;
  for (const [flags, n] of counts) {
    if (!/^\d+$/.test(flags) || !Number.isInteger(n) || n < 0 || (BigInt(flags) & ~all) !== 0n) return null;
    tally.push({ flags: BigInt(flags), n });
  }
  const count = (test: (flags: bigint) => boolean) =>
    tally.reduce((sum, t) => (test(t.flags) ? sum + t.n : sum), 0);
  const alone = Object.fromEntries(parts.map((p, i) => [p.id, count((f) => (f & (1n << BigInt(i))) !== 0n)]));
  const order = funnelOrder(parts);
  let required = 0n;
  let refused = 0n;
  const funnel = order.map((index) => {
    const part = parts[index] as CriterionQuery;
    if (part.kind === 'include') required |= 1n << BigInt(index);
    else refused |= 1n << BigInt(index);
    const [need, deny] = [required, refused];
    return { criterion: part.id, remaining: count((f) => (f & need) === need && (f & deny) === 0n) };
  });
  return { alone, funnel };
}

interface Shaped {
  part: CriterionQuery;
  name: string;
  /** The criterion as a condition on the client's row (alias t0), when it only filters that row. */
  filter: string | null;
}

function shapeOf(parts: readonly CriterionQuery[], entity: SegmentEntity): Shaped[] {
  if (parts.length === 0) throw new CompileError('A segment needs at least one criterion');
  const names = cteNames(parts);
  return parts.map((part, i) => ({ part, name: names[i] as string, filter: rowFilter(part.sql, entity) }));
}

/**
 * `select [distinct] t0.<id> as client_id from <entity> t0 where <condition>` and nothing after the
 * condition: the condition, parenthesised; null for any other SELECT. What the compiler writes for a
 * criterion on the client's own columns (an age, a status), whose condition reads the row as t0.
 */
function rowFilter(sql: string, entity: SegmentEntity): string | null {
  const from = `t0.${quoteIdent(entity.id)} as ${ID}\nfrom ${entity.table} t0\nwhere `;
  const head = [`select ${from}`, `select distinct ${from}`].find((h) => sql.startsWith(h));
  if (head === undefined) return null;
  const condition = sql.slice(head.length);
  // A clause after the WHERE (a grouping, a set operation) or a statement's end makes it something else.
  if (/\n\s*(group|having|window|order|limit|offset|fetch|for|union|intersect|except)\b|;/i.test(condition))
    return null;
  return `(${condition})`;
}

/**
 * `with` and a CTE per criterion that is not a row filter, or nothing. A test of membership needs no
 * distinct ids: without the DISTINCT the planner joins the rows as they come (a semi join) instead of
 * deduplicating every criterion's ids first.
 */
function withClause(shaped: readonly Shaped[]): string {
  const ctes = shaped
    .filter((s) => s.filter === null)
    .map(
      ({ part, name }) =>
        `${name} as (\n${indentSql(part.sql.replace(/^select distinct (?!on\b)/i, 'select '))}\n)`,
    );
  return ctes.length === 0 ? '' : `with ${ctes.join(',\n')}\n`;
}

function bit(index: number): string {
  return (1n << BigInt(index)).toString();
}

/** The flags of a member: every inclusion, no exclusion. */
function memberFlags(parts: readonly CriterionQuery[]): string {
  return parts
    .reduce((flags, p, i) => (p.kind === 'include' ? flags | (1n << BigInt(i)) : flags), 0n)
    .toString();
}

/** Indexes of the parts as the funnel applies them; none without an inclusion to start from. */
function funnelOrder(parts: readonly CriterionQuery[]): number[] {
  const indexes = parts.map((_, i) => i);
  if (!parts.some((p) => p.kind === 'include')) return [];
  return [
    ...indexes.filter((i) => parts[i]?.kind === 'include'),
    ...indexes.filter((i) => parts[i]?.kind === 'exclude'),
  ];
}

/** One CTE name per criterion, unique even when two ids differ only in punctuation (`age-30`, `age_30`). */
export function cteNames(criteria: readonly { id: string }[]): string[] {
  const names: string[] = [];
  for (const c of criteria) {
    const base = cteName(c.id);
    let name = base;
    for (let n = 2; names.includes(name); n++) name = `${base}_${n}`;
    names.push(name);
  }
  return names;
}

export function cteName(id: string): string {
  return `c_${id.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}
