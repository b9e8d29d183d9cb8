import { predicatesOf, type Expr, type SemanticModel } from '@t2s/semantic';
import { leafConditions } from './conditions';

/** A value a condition compares a column with, which that column never holds. */
export interface ForeignValue {
  column: string;
  value: string;
}

/**
 * The text values of `expr`'s equality and membership conditions that their column cannot hold: the
 * column has a known value list (the catalog's value index, or the labels of its coded values) and the
 * value is not on it. Such a condition is a misread, a value linked to the wrong column ("owners with a
 * gold card": the account owner's code put on the card's type), and would silently select nobody or,
 * negated, everybody. Columns with no known list are not judged.
 */
export function foreignValues(model: SemanticModel, expr: Expr): ForeignValue[] {
  const found: ForeignValue[] = [];
  const leaves = predicatesOf(expr).flatMap((p) => [
    ...leafConditions(p.where),
    ...(p.type === 'aggregate' ? leafConditions(p.share) : []),
  ]);
  for (const { column, cmp } of leaves) {
    const values =
      cmp.op === 'eq' || cmp.op === 'ne'
        ? [cmp.value]
        : cmp.op === 'in' || cmp.op === 'not_in'
          ? cmp.values
          : [];
    const known = knownValues(model, column);
    if (!known) continue;
    for (const value of values) {
      if (typeof value === 'string' && !known.has(value)) found.push({ column, value });
    }
  }
  return found;
}

const cache = new WeakMap<SemanticModel, Map<string, Set<string> | null>>();

/** The values `table.column` can hold, when something lists them; null when nothing does. */
function knownValues(model: SemanticModel, ref: string): Set<string> | null {
  let byColumn = cache.get(model);
  if (!byColumn) cache.set(model, (byColumn = new Map()));
  const cached = byColumn.get(ref);
  if (cached !== undefined) return cached;
  const listed = model.graph.column(ref)?.values;
  const labelled = Object.keys(model.labelsOf(ref));
  // A value list is complete only when the index kept it (a column over the cap has none).
  const known = listed ? new Set([...listed, ...labelled]) : null;
  byColumn.set(ref, known);
  return known;
}
