// Step: criteria from the groups.
// Reads: the groups, `text` ("per year", a count written before an amount), the fragment's window,
// `explicit`, `excludeAll`, the model.
// Produces: per group its criteria (include or exclude; "кроме ..." turns them round), the marks of the
// groups that made any (`used`, with the words read while building: "годовой"), and the groups as built
// (an amount attribute read as the count of its rows: "5 переводов").
import type { Attribute, Comparison, Expr, Predicate, RowCondition, Span } from '@t2s/semantic';
import type { LexEntry } from '../../lexicon';
import type { Mark, WindowMention } from '../../text/quantities';
import { conditionColumns, negate, scaled, valueCondition } from '../conditions';
import { startOf, type FragmentContext, type ParseContext } from '../context';
import type { Group } from '../parse-types';
import { countInstead, everHeld, heldProduct, otherState } from '../products';
import { isMoney } from '../../text/units';
import { foreignValues } from '../foreign-values';
import { FILLER } from '../words';

const PER_YEAR = /годов[а-я]*|в год(?![а-я])|per year|a year|annual(?:ly)?|yearly|per annum/;
const AVERAGED = /средн|average/;

export interface BuiltCriterion {
  kind: 'include' | 'exclude';
  expr: Expr;
}

/** A criterion, and the stretch of text it was read from. */
type Placed = BuiltCriterion & { at: Mark };

export function build(
  ctx: ParseContext,
  frag: FragmentContext,
  groups: readonly Group[],
): { criteria: BuiltCriterion[]; used: Mark[]; groups: Group[] } {
  const criteria: Placed[] = [];
  const used: Mark[] = [];
  const built: Group[] = [];
  for (const group of groups) {
    if (fillerOnly(frag, group)) {
      used.push(...group.marks);
      continue;
    }
    const one = buildGroup(ctx, frag, group);
    built.push(one.group);
    // A value put on a column that never holds it is a misread: the group is not read, and its words
    // are reported as not understood rather than turned into a segment of nobody (or, excluded, of all).
    if (one.criteria.length === 0 || one.criteria.some((b) => foreignValues(ctx.model, b.expr).length > 0))
      continue;
    const marks = [...group.marks, ...one.marks];
    used.push(...marks);
    const at = { start: Math.min(...marks.map((m) => m.start)), end: Math.max(...marks.map((m) => m.end)) };
    for (const b of one.criteria)
      criteria.push({ kind: b.exclude ? 'exclude' : 'include', expr: b.expr, at });
  }
  const read = eitherAudience(frag.text, criteria);
  if (!frag.excludeAll)
    return { criteria: read.map(({ kind, expr }) => ({ kind, expr })), used, groups: built };
  return { criteria: exceptOnePerson(frag.text, read), used, groups: built };
}

/**
 * "who don't invest with us yet", "still with the bank": a measure named by words that say nothing by
 * themselves (the tenure's "with us"), with no number, value or window of its own, is no criterion.
 */
function fillerOnly(frag: FragmentContext, group: Group): boolean {
  const mention = group.attr;
  if (!mention || mention.entry.kind !== 'attr' || mention.entry.attr.type !== 'number') return false;
  if (group.cmp || group.cmp2 || group.window || group.values.length > 0 || group.extraWhere.length > 0)
    return false;
  return frag.tokens
    .slice(mention.first, mention.last + 1)
    .every((t) => t.kind !== 'word' || FILLER.has(t.stem));
}

/**
 * The criteria of a fragment that excludes ("кроме владельцев счетов с кредитом"): what one person is
 * said to be, in words not joined by "и", "или" or a comma, is one exclusion of all of it (owners who have
 * a loan), not an exclusion of each; a negated part is included again ("кроме … без кредита").
 */
function exceptOnePerson(text: string, criteria: Placed[]): BuiltCriterion[] {
  const out: { exprs: Expr[]; end: number }[] = [];
  for (const c of [...criteria].sort((a, b) => a.at.start - b.at.start)) {
    const expr: Expr = c.kind === 'include' ? c.expr : { not: c.expr };
    const prev = out.at(-1);
    const between = prev ? text.slice(prev.end, c.at.start) : '';
    if (prev && prev.end <= c.at.start && !JOINED.test(between)) {
      prev.exprs.push(expr);
      prev.end = c.at.end;
      continue;
    }
    out.push({ exprs: [expr], end: c.at.end });
  }
  return out.map(({ exprs }) =>
    exprs.length === 1 && !('not' in (exprs[0] as Expr))
      ? { kind: 'exclude', expr: exprs[0] as Expr }
      : exprs.length === 1
        ? { kind: 'include', expr: (exprs[0] as { not: Expr }).not }
        : { kind: 'exclude', expr: { and: exprs } },
  );
}

const JOINED = /[,;]|(?<![a-zа-яё])(?:и|или|либо|а|and|or|nor|ни)(?![a-zа-яё])/;

// "пенсионеры или клиенты старше 55 лет", "Пенсионеры, а также клиенты от 50 лет", "retirees or anyone
// over 60": two audiences joined by "или" / "or", or by "а также" / "as well as" before a word for people.
const EITHER = /^[\s,]*(?:или|либо|or)\s/;
const AS_WELL =
  /^[\s,]*(?:а\s+также|а\s+ещё|а\s+еще|as\s+well\s+as|and\s+also|plus)\s+(?:все\s+|all\s+)?(?:клиент|жител|люд|тех|those|clients?\b|customers?\b|people\b|residents?\b|anyone\b)/;

/** Criteria with each pair of includes that names two audiences made one criterion of either. */
function eitherAudience(text: string, criteria: Placed[]): Placed[] {
  const at = (i: number) => (criteria[i] as Placed).at;
  const order = criteria.map((_, i) => i).sort((a, b) => at(a).start - at(b).start);
  const joined = new Map<number, { expr: Expr; end: number }>();
  const gone = new Set<number>();
  let prev: number | undefined;
  for (const i of order) {
    const c = criteria[i] as Placed;
    const before = prev === undefined ? undefined : (criteria[prev] as Placed);
    const end = prev === undefined ? 0 : (joined.get(prev)?.end ?? at(prev).end);
    if (
      prev !== undefined &&
      before?.kind === 'include' &&
      c.kind === 'include' &&
      end <= c.at.start &&
      (EITHER.test(text.slice(end, c.at.start)) || AS_WELL.test(text.slice(end, c.at.start)))
    ) {
      joined.set(prev, { expr: { or: [joined.get(prev)?.expr ?? before.expr, c.expr] }, end: c.at.end });
      gone.add(i);
      continue;
    }
    prev = i;
  }
  return criteria.flatMap((c, i) =>
    gone.has(i)
      ? []
      : [{ ...c, expr: joined.get(i)?.expr ?? c.expr, at: { ...c.at, end: joined.get(i)?.end ?? c.at.end } }],
  );
}

interface One {
  expr: Expr;
  exclude: boolean;
}

/**
 * The criteria of a group. An attribute refined by a negated value ("полис ОСАГО, но нет КАСКО") is two
 * criteria: the attribute with the positive values, and the attribute with the negated ones, excluded.
 */
function buildGroup(
  ctx: ParseContext,
  frag: FragmentContext,
  group: Group,
): { criteria: One[]; marks: Mark[]; group: Group } {
  const negatedValues = group.attr ? group.values.filter((v) => v.negated) : [];
  if (group.attr && negatedValues.length > 0 && negatedValues.length < group.values.length) {
    const attr = (group.attr.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
    const positive = buildOne(ctx, frag, { ...group, values: group.values.filter((v) => !v.negated) });
    const where = valueCondition(negatedValues.map((v) => ({ ...v, negated: false })));
    const excluded: Expr = { type: 'attr', attr: attr.name, ...(where ? { where } : {}) };
    return {
      criteria: [...(positive.one ? [positive.one] : []), { expr: excluded, exclude: true }],
      marks: positive.marks,
      group,
    };
  }
  const held = group.attr?.entry.kind === 'attr' && group.attr.entry.attr.type === 'boolean';
  if (held && !group.attr?.negated && negatedValues.length > 0) {
    // "never had trouble repaying a loan": a product held only in the negated kind is that kind, excluded.
    const only = buildOne(ctx, frag, {
      ...group,
      values: negatedValues.map((v) => ({ ...v, negated: false })),
    });
    return {
      criteria: only.one ? [{ expr: only.one.expr, exclude: !only.one.exclude }] : [],
      marks: only.marks,
      group,
    };
  }
  const { one, second, marks, group: read } = buildOne(ctx, frag, group);
  return {
    criteria: one ? [one, ...(second ? [{ expr: second, exclude: false }] : [])] : [],
    marks,
    group: read,
  };
}

/**
 * One criterion of a group (`second`: a second, opposite bound on its attribute, as a criterion of its
 * own), the marks of words read on the way, and the group as read.
 */
function buildOne(
  ctx: ParseContext,
  frag: FragmentContext,
  input: Group,
): { one: One | null; second?: Expr; marks: Mark[]; group: Group } {
  const model = ctx.model;
  const parts = [valueCondition(input.values), ...input.extraWhere].filter(
    (c): c is RowCondition => c !== undefined,
  );
  const where: RowCondition | undefined = parts.length > 1 ? { all: parts } : parts[0];
  const none = (one: One | null) => ({ one, marks: [], group: input });
  if (!input.attr) {
    if (!where) return none(null);
    const negated = input.values.length > 0 ? input.values.every((v) => v.negated) : input.negated === true;
    const values = valueCondition(input.values);
    if (negated && values && input.extraWhere.length > 0) {
      // "Users (not owners) of accounts in north Moravia": the rows that are not owners', in north
      // Moravia; the negation is the value's, not the whole row condition's.
      const rows: RowCondition = { all: [{ not: values }, ...input.extraWhere] };
      return none({ expr: windowed(ctx, rows, input.window ?? frag.window), exclude: false });
    }
    const window = input.window ?? frag.window;
    const held =
      window || input.values.length === 0 || input.extraWhere.length > 0
        ? undefined
        : heldProduct(model, where);
    // "no KASKO", "есть ДМС", "премиальных карт": a kind of a product's rows is that product held now.
    if (held) return none({ expr: { type: 'attr', attr: held.name, where }, exclude: negated });
    return none({ expr: windowed(ctx, where, window), exclude: negated });
  }
  const group = countInstead(model, input, frag.text);
  const groupAttr = group.attr as NonNullable<Group['attr']>;
  const marks: Mark[] = [];
  const result = (one: One | null, second?: Expr) => ({ one, ...(second ? { second } : {}), marks, group });
  const attr = (groupAttr.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
  const negated = groupAttr.negated;
  const inOtherState = otherState(model, attr, group, parts, frag.window);
  if (inOtherState) return result({ expr: inOtherState, exclude: negated });
  const ever = group.window || group.cmp ? null : everHeld(attr, group, parts, frag.text);
  if (ever) return result({ expr: ever, exclude: true });
  const predicate: Extract<Predicate, { type: 'attr' }> = { type: 'attr', attr: attr.name };
  if (where) predicate.where = where;
  const m = attr.measure;
  const day = m.kind === 'scalar' ? group.asOf : group.window?.asOf;
  if (day) predicate.asOf = day;
  if (group.window && m.kind !== 'scalar' && (m.window || model.file.tables[m.table]?.date)) {
    predicate.window = group.window.span;
    if (group.window.before) predicate.before = group.window.before;
  }
  if (attr.type === 'boolean' && group.countRows && group.cmp && m.kind === 'related') {
    // "more than 2 cards", "две кредитные карты": how many of the product's rows the client has.
    const own = [m.where, where].filter((c): c is RowCondition => c !== undefined);
    const date = model.file.tables[m.table]?.date;
    const counted: Expr = {
      type: 'aggregate',
      table: m.table,
      fn: 'count',
      ...(own.length > 0 ? { where: own.length === 1 ? own[0] : { all: own } } : {}),
      ...(group.window && date
        ? { window: { column: `${m.table}.${date}`, last: group.window.span, ...beforeOf(group.window) } }
        : {}),
      cmp: group.cmp.cmp,
    };
    // "не менее двух вкладов": the negation is the comparison's own.
    const at = groupAttr.negationAt;
    const inComparison = at !== undefined && at >= group.cmp.start && at < group.cmp.end;
    return result({ expr: counted, exclude: negated && !inComparison });
  }
  if (attr.type === 'boolean') {
    // "без кредитной карты": the criterion is the product, excluded.
    return result({ expr: predicate, exclude: negated });
  }
  let cmp: Comparison | undefined = group.cmp?.cmp && scaled(group.cmp.cmp, group.cmp.unit, attr.unit);
  // "годовой доход от 1,2 млн", "annual income above 2.4 million": a yearly amount of a monthly value.
  const monthly = attr.per === 'month' || (attr.measure.kind === 'aggregate' && attr.measure.per === 'month');
  const perYear = PER_YEAR.exec(frag.text);
  if (cmp && monthly && isMoney(attr.unit) && perYear) {
    cmp = scaled(cmp, 'year-amount', 'month-amount');
    marks.push({ start: perYear.index, end: perYear.index + perYear[0].length });
  }
  // "не моложе 18", "не более 2": a negation that belongs to the comparison is already in its operator.
  const inComparison =
    group.cmp !== undefined &&
    groupAttr.negationAt !== undefined &&
    groupAttr.negationAt >= group.cmp.start &&
    groupAttr.negationAt < group.cmp.end;
  if (cmp && negated && !inComparison && !group.cmp?.unit) cmp = negate(cmp);
  // An offer's text is full of numbers and product words: there a measure counts only with a number or
  // with values that narrow its rows ("already spending on repairs": purchases in that MCC group).
  if (!cmp && frag.explicit && group.values.length === 0) return result(null);
  // "без просрочек": clients with any, excluded (a client with no rows at all has none either).
  if (!cmp && negated) return result({ expr: { ...predicate, cmp: { op: 'gt', value: 0 } }, exclude: true });
  if (!cmp) cmp = { op: 'gt', value: 0 };
  // Two bounds stay two criteria ("старше 18" and "младше 30"), each with its own count.
  const second: Expr | undefined = group.cmp2
    ? { ...predicate, cmp: scaled(group.cmp2.cmp, group.cmp2.unit, attr.unit) }
    : undefined;
  predicate.cmp = cmp;
  const expr =
    perMonthVariant(predicate, attr, group.perMonth) ??
    totalVariant(predicate, attr, group.perMonth, group.window !== undefined, AVERAGED.test(frag.text)) ??
    predicate;
  // "моложе 30 или старше 60", "under 25 or over 60": bounds apart joined by "or" are either one.
  if (second && group.cmp2 && eitherBound(frag.text, group, cmp, second))
    return result({ expr: { or: [expr, second] }, exclude: false });
  return result({ expr, exclude: false }, second);
}

/** Two opposite bounds that leave a gap between them, joined by "или" / "or". */
function eitherBound(text: string, group: Group, first: Comparison, second: Expr): boolean {
  const other = 'cmp' in second ? second.cmp : undefined;
  const [a, b] = [group.cmp, group.cmp2];
  if (!a || !b || !other || !('value' in first) || !('value' in other)) return false;
  const [left, right] = a.start <= b.start ? [a, b] : [b, a];
  if (!/(?<![a-zа-я])(или|либо|or)(?![a-zа-я])/.test(text.slice(left.end, right.start))) return false;
  const below = (c: Comparison) => c.op === 'lt' || c.op === 'lte';
  const above = (c: Comparison) => c.op === 'gt' || c.op === 'gte';
  const [low, high] = below(first) ? [first, other] : [other, first];
  return (
    below(low) && above(high) && 'value' in low && 'value' in high && Number(low.value) <= Number(high.value)
  );
}

/**
 * Rows meeting `where`, in the fragment's time window when it has one and the rows' table has a date
 * column in the model ("переходили по ссылке за последние 90 дней": responses of the last 90 days).
 */
function windowed(ctx: ParseContext, where: RowCondition, window: WindowMention | undefined): Expr {
  if (window) {
    const first = conditionColumns(where)[0];
    const table = first ? startOf(ctx, first) : undefined;
    const date = table ? ctx.model.file.tables[table]?.date : undefined;
    if (table && date) {
      return {
        type: 'related',
        table,
        quantifier: 'some',
        where,
        window: { column: `${table}.${date}`, last: window.span, ...beforeOf(window) },
      };
    }
  }
  return { type: 'related', quantifier: 'some', where };
}

/** Where a window ends, when not on the report date: that long before it, or on the text's day. */
function beforeOf(window: WindowMention): { before?: Span; asOf?: string } {
  return {
    ...(window.before ? { before: window.before } : {}),
    ...(window.asOf ? { asOf: window.asOf } : {}),
  };
}

/**
 * "покупки на сумму от 20 000 за полгода": a monthly-average attribute with an explicit window and no
 * "в месяц" / "в среднем" is asked for its total over that window.
 */
function totalVariant(
  predicate: Extract<Predicate, { type: 'attr' }>,
  attr: Attribute,
  perMonth: boolean,
  windowed: boolean,
  averaged: boolean,
): Expr | null {
  const m = attr.measure;
  if (perMonth || averaged || !windowed || m.kind !== 'aggregate' || m.per !== 'month' || !m.window)
    return null;
  return asAggregate(predicate, m, m.window, undefined);
}

/** "в месяц" on a total (sum over a window) asks for the monthly average of that total. */
function perMonthVariant(
  predicate: Extract<Predicate, { type: 'attr' }>,
  attr: Attribute,
  perMonth: boolean,
): Expr | null {
  const m = attr.measure;
  if (!perMonth || m.kind !== 'aggregate' || m.per === 'month' || !m.window) return null;
  // "5 покупок в месяц": a count per month is as much a rate as an amount per month.
  if (m.fn !== 'sum' && m.fn !== 'count') return null;
  return asAggregate(predicate, m, m.window, 'month');
}

/**
 * An attribute predicate as the aggregate its measure computes (a total, or with `per` a monthly
 * rate), its conditions added to the measure's and its window replacing the measure's own.
 */
function asAggregate(
  predicate: Extract<Predicate, { type: 'attr' }>,
  m: Extract<Attribute['measure'], { kind: 'aggregate' }>,
  window: NonNullable<Extract<Attribute['measure'], { kind: 'aggregate' }>['window']>,
  per: 'month' | undefined,
): Expr {
  return {
    type: 'aggregate',
    table: m.table,
    fn: m.fn,
    ...(m.column ? { column: m.column } : {}),
    ...(per ? { per } : {}),
    where: m.where && predicate.where ? { all: [m.where, predicate.where] } : (m.where ?? predicate.where),
    window: predicate.window
      ? {
          column: window.column,
          last: predicate.window,
          ...(predicate.before ? { before: predicate.before } : {}),
          ...(predicate.asOf ? { asOf: predicate.asOf } : {}),
        }
      : window,
    cmp: predicate.cmp as Comparison,
  };
}
