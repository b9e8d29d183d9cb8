import type { CriterionProvenance, Offer } from '@t2s/contracts';
import type { Expr } from '@t2s/semantic';
import { citationOf, isMapped, type Precedent } from './precedent';

export interface Neighbour {
  precedent: Precedent;
  score: number;
}

export interface NearestOptions {
  /** At most this many neighbours (default 5). */
  k?: number;
}

/**
 * The past campaigns nearest to an offer: of its product type (a campaign of another type says nothing
 * of this one's audience), ranked by the same product code, then the same channel, then the offer's
 * words in common.
 */
export function nearestPrecedents(
  offer: Offer,
  precedents: readonly Precedent[],
  options: NearestOptions = {},
): Neighbour[] {
  const words = offerWords(offer);
  const ranked = precedents
    .filter((p) => p.offer.product.type === offer.product.type)
    .map((precedent) => {
      const theirs = offerWords(precedent.offer);
      const common = [...words].filter((w) => theirs.has(w)).length;
      const overlap = common / Math.max(1, Math.min(words.size, theirs.size));
      const score =
        (offer.product.code !== undefined && precedent.offer.product.code === offer.product.code ? 4 : 0) +
        (precedent.offer.channel === offer.channel ? 0.5 : 0) +
        2 * overlap;
      return { precedent, score };
    })
    .sort((a, b) => b.score - a.score || a.precedent.id.localeCompare(b.precedent.id));
  return ranked.slice(0, options.k ?? 5);
}

export interface AdoptOptions extends NearestOptions {
  /** A criterion is adopted when at least this share of the neighbours have it (default 0.5), and at least two. */
  minShare?: number;
}

export interface AdoptedCriterion {
  kind: 'include' | 'exclude';
  expr: Expr;
  /** The criterion's shape with numbers and value lists left out: what "the same criterion" means. */
  key: string;
  /** The shape with its numbers and values: equal to a rule's criterion that says the same. */
  exact: string;
  provenance: CriterionProvenance;
}

/**
 * The criteria that recur among the nearest precedents, each once: numbers (thresholds, window
 * lengths) the median of the neighbours', value lists their union, the precedent's own product code
 * and channel replaced by the offer's. Nearest first, in the nearest neighbour's order.
 */
export function adoptCriteria(
  offer: Offer,
  precedents: readonly Precedent[],
  options: AdoptOptions = {},
): AdoptedCriterion[] {
  const neighbours = nearestPrecedents(offer, precedents, options);
  const groups = new Map<string, { kind: 'include' | 'exclude'; shapes: Shape[]; from: Neighbour[] }>();
  for (const neighbour of neighbours) {
    const seen = new Set<string>();
    for (const criterion of neighbour.precedent.criteria.filter(isMapped)) {
      const shape = shapeOf(criterion.expr, neighbour.precedent.offer);
      const key = `${criterion.kind}:${shape.key}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const group = groups.get(key) ?? { kind: criterion.kind, shapes: [], from: [] };
      group.shapes.push(shape);
      group.from.push(neighbour);
      groups.set(key, group);
    }
  }
  const needed = Math.max(2, Math.ceil((options.minShare ?? 0.5) * neighbours.length));
  const code = offer.product.code;
  const adopted: AdoptedCriterion[] = [];
  for (const group of groups.values()) {
    // A criterion is the house's convention when it recurs among the neighbours with the same numbers;
    // numbers that differ (an age band, an amount) are the product's own, so their median is taken
    // only over campaigns of the offer's own product, as many as a convention needs.
    const same = group.from.flatMap((n, i) =>
      code !== undefined && n.precedent.offer.product.code === code ? [i] : [],
    );
    const agreed = group.shapes.every((s) =>
      s.numbers.every((n, i) => n.value === group.shapes[0]?.numbers[i]?.value),
    );
    let picked: number[];
    if (group.from.length >= needed && agreed) picked = group.from.map((_, i) => i);
    else if (same.length >= needed) picked = same;
    else continue;
    group.shapes = picked.map((i) => group.shapes[i] as Shape);
    group.from = picked.map((i) => group.from[i] as Neighbour);
    const { expr, adapted } = merged(group.shapes, offer);
    adopted.push({
      kind: group.kind,
      expr,
      ...keyOf(expr, offer, group.kind),
      provenance: {
        precedents: group.from.map(({ precedent }) => citationOf(precedent)),
        adapted,
      },
    });
  }
  return adopted;
}

/**
 * `key`: what two criteria share when they mean the same thing up to thresholds and value lists;
 * `exact`: the same with their numbers and values (equal for one criterion written in another order).
 */
export function keyOf(expr: Expr, offer: Offer, kind: 'include' | 'exclude'): { key: string; exact: string } {
  const shape = shapeOf(expr, offer);
  return { key: `${kind}:${shape.key}`, exact: `${kind}:${shape.exact}` };
}

interface Shape {
  key: string;
  /** The key with the numbers and (sorted) value lists: the same criterion written either way. */
  exact: string;
  /** The expression with the offer's code and channel as placeholders. */
  template: unknown;
  numbers: { path: string; value: number }[];
  lists: { path: string; values: (string | number | boolean)[] }[];
}

const PRODUCT = '$product_code';
const CHANNEL = '$channel';
const LOWER = new Set(['gt', 'gte']);
const UPPER = new Set(['lt', 'lte']);

function shapeOf(expr: Expr, offer: Offer): Shape {
  const numbers: Shape['numbers'] = [];
  const lists: Shape['lists'] = [];
  const placeholder = (value: unknown) =>
    value === offer.product.code ? PRODUCT : value === offer.channel ? CHANNEL : value;
  const template = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(template);
    if (value === null || typeof value !== 'object') return placeholder(value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, template(v)]));
  };
  const key = (value: unknown, path: string): unknown => {
    if (typeof value === 'number') {
      numbers.push({ path, value });
      return '#';
    }
    if (Array.isArray(value)) return value.map((v, i) => key(v, `${path}.${i}`));
    if (value === null || typeof value !== 'object') return placeholder(value);
    const node = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node).sort(([a], [b]) => a.localeCompare(b))) {
      const at = `${path}.${k}`;
      // `and`/`or` and `all`/`any` in any order are the same criterion: their parts are read in the
      // order of their shapes, so two writings line up number by number.
      if ((k === 'all' || k === 'any' || k === 'and' || k === 'or') && Array.isArray(v)) {
        const order = v
          .map((child, i) => ({ i, shape: shapeOf(child as Expr, offer).key }))
          .sort((a, b) => a.shape.localeCompare(b.shape));
        out[k] = order.map(({ i }) => key(v[i], `${at}.${i}`));
        continue;
      }
      if (k === 'op' && typeof v === 'string') out[k] = LOWER.has(v) ? 'lower' : UPPER.has(v) ? 'upper' : v;
      else if (
        k === 'values' &&
        (node['op'] === 'in' || node['op'] === 'not_in') &&
        Array.isArray(v) &&
        v.every(isPlain)
      ) {
        lists.push({ path: at, values: v.map((x) => placeholder(x) as string) });
        out[k] = '[*]';
      } else out[k] = key(v, at);
    }
    return out;
  };
  const canonical = key(expr, '');
  return {
    key: JSON.stringify(canonical),
    exact: JSON.stringify([canonical, numbers.map((n) => n.value), lists.map((l) => [...l.values].sort())]),
    template: template(expr),
    numbers,
    lists,
  };
}

function isPlain(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The nearest neighbour's criterion with the medians of the numbers and the union of the lists. */
function merged(shapes: Shape[], offer: Offer): { expr: Expr; adapted: CriterionProvenance['adapted'] } {
  const first = shapes[0] as Shape;
  let expr = structuredClone(first.template) as Record<string, unknown>;
  let adapted: CriterionProvenance['adapted'] = 'as_is';
  first.numbers.forEach((n, i) => {
    const values = shapes.map((s) => s.numbers[i]?.value).filter((v): v is number => v !== undefined);
    let median = medianOf(values);
    if (n.path.endsWith('.n')) median = Math.round(median);
    if (values.some((v) => v !== n.value)) adapted = 'median';
    expr = setAt(expr, n.path, median);
  });
  first.lists.forEach((l, i) => {
    const union = [...new Set(shapes.flatMap((s) => s.lists[i]?.values ?? []))];
    if (union.length !== l.values.length) adapted = adapted === 'median' ? 'median' : 'union';
    expr = setAt(expr, l.path, union);
  });
  const text = JSON.stringify(expr)
    .replaceAll(JSON.stringify(PRODUCT), JSON.stringify(offer.product.code ?? PRODUCT))
    .replaceAll(JSON.stringify(CHANNEL), JSON.stringify(offer.channel));
  return { expr: JSON.parse(text) as Expr, adapted };
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function setAt(root: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const parts = path.split('.').filter(Boolean);
  let node: Record<string, unknown> = root;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts[parts.length - 1] as string] = value;
  return root;
}

const STOP = new Set([
  'и',
  'в',
  'на',
  'с',
  'для',
  'по',
  'до',
  'от',
  'the',
  'a',
  'and',
  'for',
  'to',
  'of',
  'with',
  'in',
  'on',
]);

/** An offer's words, lower-cased, cut to a 5-letter stem (enough to match Russian word forms). */
function offerWords(offer: Offer): Set<string> {
  const text = [offer.title, offer.description, ...(offer.conditions ?? []), offer.product.name]
    .filter(Boolean)
    .join(' ');
  return new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 2 && !STOP.has(w))
      .map((w) => w.slice(0, 5)),
  );
}

/**
 * What an aggregate measures, whatever its values and window length: its table, function, column, the
 * columns its rows are filtered on and its window's column. Undefined for other predicates.
 */
function measureKey(expr: Expr, canonical: (column: string) => string = (c) => c): string | undefined {
  if (!('type' in expr) || expr.type !== 'aggregate') return undefined;
  const columns = namesIn(expr.where, ['column']).map(canonical);
  // Per month or over the whole window is the same measure: amounts are compared per month.
  const window = expr.window?.column ?? '';
  return [expr.table, expr.fn, expr.column ?? '*', [...new Set(columns)].sort().join(','), window].join('|');
}

/**
 * Two expressions that read the same columns, attributes and tables (what they read, not how they
 * compare): a rule's consent on the offer's channel and a precedent's, written in another order.
 */
export function readsSameData(a: Expr, b: Expr): boolean {
  const names = (expr: Expr) => namesIn(expr, ['column', 'attr', 'table']).sort().join(',');
  return names(a) === names(b);
}

/** The distinct string values under these keys anywhere in a value. */
function namesIn(value: unknown, keys: readonly string[]): string[] {
  const found = new Set<string>();
  const visit = (node: unknown, key?: string) => {
    if (typeof node === 'string' && key !== undefined && keys.includes(key)) found.add(node);
    else if (Array.isArray(node)) node.forEach((v) => visit(v));
    else if (node !== null && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) visit(v, k);
  };
  visit(value);
  return [...found];
}

interface AdoptedThreshold {
  value: number;
  provenance: CriterionProvenance;
}

/**
 * The lower bound the bank's campaigns set on a measure (`sum of purchases in an MCC group ≥ N`), over
 * every precedent of the warehouse, as a per-month amount when it has a window: for a rule criterion
 * that asks only for some rows of the same measure, the median of theirs.
 */
export function adoptThreshold(
  expr: Expr,
  precedents: readonly Precedent[],
  canonical?: (column: string) => string,
): AdoptedThreshold | undefined {
  const key = measureKey(expr, canonical);
  if (!key || !('type' in expr) || expr.type !== 'aggregate' || (expr.fn !== 'sum' && expr.fn !== 'count'))
    return undefined;
  const months = (e: { window?: { last: { n: number; unit: string } } }) =>
    e.window
      ? e.window.last.n * (e.window.last.unit === 'year' ? 12 : e.window.last.unit === 'day' ? 1 / 30 : 1)
      : 1;
  const values: number[] = [];
  const from: Precedent[] = [];
  for (const precedent of precedents) {
    for (const criterion of precedent.criteria.filter(isMapped)) {
      const theirs = criterion.expr;
      if (
        criterion.kind !== 'include' ||
        measureKey(theirs, canonical) !== key ||
        !('type' in theirs) ||
        theirs.type !== 'aggregate'
      )
        continue;
      const { cmp } = theirs;
      if ((cmp.op !== 'gt' && cmp.op !== 'gte') || typeof cmp.value !== 'number' || cmp.value <= 1) continue;
      // A sum over a window is compared per month of it, so 30,000 in 3 months and 120,000 in 12 agree.
      const perMonth = theirs.per ? cmp.value : cmp.value / months(theirs);
      values.push(perMonth);
      if (!from.includes(precedent)) from.push(precedent);
    }
  }
  if (from.length < 2) return undefined;
  const perMonth = medianOf(values);
  const value = Math.round(expr.per ? perMonth : perMonth * months(expr));
  return {
    value,
    provenance: {
      precedents: from.map(citationOf),
      adapted: 'median',
    },
  };
}
