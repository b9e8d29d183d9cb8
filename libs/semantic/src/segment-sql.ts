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
 * The segment: a CTE per criterion, and the clients of the entity table that are in every include CTE
 * and in no exclude CTE. Driven by the client table with EXISTS / NOT EXISTS, as an analyst writes it,
 * so the planner joins each criterion's rows to the clients (semi and anti joins, on PostgreSQL and
 * Greenplum alike) instead of sorting every criterion's ids for INTERSECT and EXCEPT. The one builder
 * of the segment's shape: the compiler, the SQL agent and the counted pass all call it.
 */
export function segmentSql(parts: readonly CriterionQuery[], entity: SegmentEntity): string {
  const names = namesOf(parts);
  const test = (name: string, kind: CriterionQuery['kind']) =>
    `${kind === 'exclude' ? 'not ' : ''}exists (select 1 from ${name} x where x.${ID} = e.${quoteIdent(entity.id)})`;
  const conditions = parts.map((p, i) => test(names[i] as string, p.kind));
  return (
    `with ${ctes(parts, names).join(',\n')}\n` +
    `select e.${quoteIdent(entity.id)} as ${ID}\nfrom ${entity.table} e\nwhere ${conditions.join('\n  and ')}`
  );
}

/**
 * The segment and its counts in one pass: the same CTEs, each client of the entity table flagged with a
 * bit per criterion it meets, then the members' ids (rows of `client_id`, NULL, NULL) and how many
 * clients carry each set of flags (rows of NULL, flags, count). The members are exactly those of
 * `segmentSql` over the same parts; `funnelOf` turns the counts into the funnel. Three columns, so it
 * runs under the sandbox's counting guard (`output: 'counted'`).
 */
export function countedSegmentSql(parts: readonly CriterionQuery[], entity: SegmentEntity): string {
  if (parts.length > MAX_COUNTED_CRITERIA) {
    throw new CompileError(`A counted segment takes at most ${MAX_COUNTED_CRITERIA} criteria`);
  }
  const names = namesOf(parts);
  const key = `e.${quoteIdent(entity.id)}`;
  const flags = names.map((_, i) => `case when j${i + 1}.${ID} is null then 0 else ${bit(i)} end`);
  const joins = names.map(
    (name, i) => `left join (select distinct ${ID} from ${name}) j${i + 1} on j${i + 1}.${ID} = ${key}`,
  );
  const flagged = `select ${key} as ${ID},\n  ${flags.join('\n  + ')} as flags\nfrom ${entity.table} e\n${joins.join('\n')}`;
  return (
    `with ${[...ctes(parts, names), `m as (\n${indentSql(flagged)}\n)`].join(',\n')}\n` +
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

function namesOf(parts: readonly CriterionQuery[]): string[] {
  if (parts.length === 0) throw new CompileError('A segment needs at least one criterion');
  return cteNames(parts);
}

/**
 * A CTE per criterion. A test of membership needs no distinct ids: without the DISTINCT the planner
 * joins the rows as they come (a semi join) instead of deduplicating every criterion's ids first.
 */
function ctes(parts: readonly CriterionQuery[], names: readonly string[]): string[] {
  return parts.map(
    (p, i) => `${names[i]} as (\n${indentSql(p.sql.replace(/^select distinct (?!on\b)/i, 'select '))}\n)`,
  );
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
