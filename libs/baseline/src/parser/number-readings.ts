// Readings of a number no numeric attribute took (see steps/assign-comparisons.ts), tried in the order
// that step lists them. Each either places the number, changing the step's own copy of the groups, and
// returns true, or changes nothing and returns false.
import { isNotForTargeting } from '@t2s/catalog';
import { Lexicon, wordSenses } from '@t2s/lexicon';
import type { Attribute, SemanticModel } from '@t2s/semantic';
import type { LexEntry } from '../lexicon';
import type { ComparisonMention } from '../text/quantities';
import { distance, isNumeric, negateIf, NUMERIC_TYPE, unitFactor } from './conditions';
import type { Group, Mention } from './parse-types';
import { unitsAgree } from '../text/units';
import { phraseStems } from '../text/tokens';

/** "Внутренний рейтинг ниже 3", "debt to income pct over 40": a number next to a numeric column. */
export function toColumn(
  groups: Group[],
  columns: readonly Mention[],
  cmp: ComparisonMention,
  text: string,
): boolean {
  const near = columns
    .filter((c) => NUMERIC_TYPE.test((c.entry as Extract<LexEntry, { kind: 'column' }>).type))
    .filter((c) => !groups.some((g) => g.marks.includes(c)))
    .map((c) => ({ c, d: distance(c, cmp, text) }))
    .filter((x) => x.d <= 30)
    .sort((a, b) => a.d - b.d)[0];
  if (!near) return false;
  const column = (near.c.entry as Extract<LexEntry, { kind: 'column' }>).column;
  // "не больше 100 тысяч жителей": a negation inside the comparison is already in its operator.
  const at = near.c.negationAt;
  const ownNegation = at !== undefined && at >= cmp.start && at < cmp.end;
  const cond = negateIf({ column, cmp: cmp.cmp }, near.c.negated && !ownNegation);
  groups.push({
    attr: undefined,
    extraWhere: [cond],
    values: [],
    cmp,
    window: undefined,
    perMonth: false,
    marks: [near.c, cmp],
  });
  return true;
}

/**
 * "с вкладом от 500 тыс.": an amount next to a yes/no attribute asks for the numeric attribute over
 * the same rows (deposit amount); the group switches to it when the model has one with that unit.
 */
export function companion(
  model: SemanticModel,
  groups: Group[],
  cmp: ComparisonMention,
  text: string,
): boolean {
  // The number follows the product ("с вкладом от 500 тыс.") or counts it ("more than 2 cards");
  // "women over 35 with a gold card" is not a card limit.
  const wordsAt = (g: Group) => g.attr?.wordStart ?? g.attr?.start ?? 0;
  const adjacent = (g: Group) => cmp.end <= wordsAt(g) && /^\s*$/.test(text.slice(cmp.end, wordsAt(g)));
  const beside = (g: Group) => g.attr !== undefined && (g.attr.end <= cmp.start || adjacent(g));
  const near = groups
    .filter((g) => g.attr && g.cmp === undefined && !isNumeric(g.attr.entry) && beside(g))
    .map((g) => ({ g, d: Math.min(...g.marks.map((m) => distance(m, cmp, text))) }))
    .sort((a, b) => a.d - b.d)[0];
  if (!near || near.d > 40) return false;
  const boolAttr = (near.g.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
  // A fact of the client's own row ("previously contacted") has no rows to count; a number beside it
  // is another value of that row only in that value's own unit ("contacted no more than 180 days ago").
  const ownRow = boolAttr.measure.table === model.entity.table;
  const counts =
    !ownRow &&
    adjacent(near.g) &&
    (cmp.unit === undefined || cmp.unit === 'count') &&
    boolAttr.type === 'boolean' &&
    boolAttr.measure.kind === 'related';
  if (counts) {
    near.g.cmp = cmp;
    near.g.countRows = true;
    near.g.marks.push(cmp);
    return true;
  }
  const partner =
    (ownRow ? factNumber(model, boolAttr, cmp) : undefined) ??
    model
      .allAttributes()
      .find(
        (a) =>
          a.type === 'number' &&
          a.measure.table === boolAttr.measure.table &&
          (ownRow
            ? cmp.unit !== undefined && a.unit === cmp.unit
            : cmp.unit === undefined || unitsAgree(a.unit, cmp.unit)),
      );
  if (!partner || !near.g.attr) return false;
  if (ownRow) {
    // A fact of the client's own row holds beside the number: "должники моложе 40" are debtors and
    // under 40; "contacted under 180 days ago" leaves out the never contacted, whose documented -1 is
    // under 180 too.
    const attr: Mention = { ...near.g.attr, entry: { kind: 'attr', attr: partner, stems: [] } };
    groups.push({ attr, extraWhere: [], values: [], cmp, window: undefined, perMonth: false, marks: [cmp] });
    return true;
  }
  near.g.attr = { ...near.g.attr, entry: { kind: 'attr', attr: partner, stems: [] } };
  near.g.cmp = cmp;
  near.g.marks.push(cmp);
  return true;
}

/**
 * The number a fact of the client's row is documented on, in a unit the comparison's converts to:
 * "contacted more than a year ago" is the days since that contact (pdays), never the client's age.
 */
function factNumber(model: SemanticModel, fact: Attribute, cmp: ComparisonMention): Attribute | undefined {
  const where = fact.measure.kind === 'scalar' ? undefined : fact.measure.where;
  if (!where || !('column' in where) || cmp.unit === undefined) return undefined;
  const column = where.column.split('.')[1] as string;
  return model
    .allAttributes()
    .find(
      (a) =>
        a.type === 'number' &&
        a.measure.kind === 'scalar' &&
        a.measure.table === fact.measure.table &&
        a.measure.sql === `{t}.${column}` &&
        (a.unit === cmp.unit || unitFactor(cmp.unit, a.unit) !== 1),
    );
}

/**
 * "Вероятность дефолта ниже 2%": a value near a number, with no attribute named, implies the numeric
 * attribute it refines (the model score of type PD).
 */
export function impliedByValue(
  model: SemanticModel,
  groups: Group[],
  values: readonly Mention[],
  cmp: ComparisonMention,
  text: string,
  perMonth: boolean,
): boolean {
  const near = values
    .filter((v) => !groups.some((g) => g.marks.includes(v)))
    .map((v) => ({ v, d: distance(v, cmp, text) }))
    .filter((x) => x.d <= 40)
    .sort((a, b) => a.d - b.d);
  for (const { v } of near) {
    const column = (v.entry as Extract<LexEntry, { kind: 'value' }>).column;
    const attr = model
      .allAttributes()
      .find(
        (a) =>
          a.type === 'number' &&
          a.refinements.includes(column) &&
          (cmp.unit === undefined ||
            unitFactor(cmp.unit, a.unit) !== 1 ||
            unitsAgree(a.unit, cmp.unit) ||
            (cmp.unit === 'percent' && a.unit === 'share')),
      );
    if (!attr) continue;
    const mention: Mention = { ...v, entry: { kind: 'attr', attr, stems: [] } };
    groups.push({
      attr: mention,
      extraWhere: [],
      values: [v],
      cmp,
      window: undefined,
      perMonth,
      marks: [v, cmp],
    });
    return true;
  }
  return false;
}

/**
 * "Has held a classic card for at least a year", "вклад открыт больше года назад": a length of time next
 * to a product held is how long ago its row is dated (the table's declared date), not an age. Sets the
 * group's row condition; false when no held product with a dated table is near.
 */
export function tenure(model: SemanticModel, groups: Group[], cmp: ComparisonMention, text: string): boolean {
  const unit = cmp.unit;
  if (unit !== 'year' && unit !== 'month' && unit !== 'day') return false;
  const c = cmp.cmp;
  if (c.op !== 'gt' && c.op !== 'gte' && c.op !== 'lt' && c.op !== 'lte' && c.op !== 'eq') return false;
  if (typeof c.value !== 'number' || !Number.isInteger(c.value)) return false;
  // "a year ago", "год назад" is a point; "for a year" alone is at least that long.
  if (c.op === 'eq' && !TENURE_FOR.test(text.slice(Math.max(0, cmp.start - 12), cmp.start))) return false;
  const near = groups
    .filter((g) => {
      const attr = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
      return attr?.type === 'boolean' && attr.measure.kind === 'related' && !g.attr?.negated;
    })
    .map((g) => ({ g, d: Math.min(...g.marks.map((m) => distance(m, cmp, text))) }))
    .sort((a, b) => a.d - b.d)[0];
  if (!near || near.d > 40) return false;
  const table = (near.g.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr.measure.table;
  const date = model.file.tables[table]?.date;
  if (!date) return false;
  // Held longer than N: dated at least N before now; for less than N: dated within the last N.
  const longer = c.op === 'gt' || c.op === 'gte' || c.op === 'eq';
  const strict = c.op === 'gt' || c.op === 'lt';
  const op = longer ? (strict ? 'lt' : 'lte') : strict ? 'gt' : 'gte';
  near.g.extraWhere.push({
    column: `${table}.${date}`,
    cmp: { op, value: { now: true, minus: { n: c.value, unit } } },
  });
  near.g.marks.push(cmp);
  // "… a year ago", "held … for", "открыт … назад": the construction's own words.
  const ago = /^\s*(?:ago|назад)(?![a-zа-я])/.exec(text.slice(cmp.end));
  if (ago) near.g.marks.push({ start: cmp.end, end: cmp.end + ago[0].length });
  const from = Math.max(0, Math.min(cmp.start, ...near.g.marks.map((m) => m.start)) - 25);
  const to = Math.max(cmp.end, ...near.g.marks.map((m) => m.end));
  for (const verb of text.slice(from, to).matchAll(TENURE_VERB)) {
    near.g.marks.push({ start: from + verb.index, end: from + verb.index + verb[0].length });
  }
  return true;
}
const TENURE_FOR = /(?:for|уже|в течение)\s*$/;
const TENURE_VERB =
  /(?<![a-zа-я])(?:held|had|has|have|issued|opened|taken out|открыт[аоы]?|оформлен[аоы]?|выдан[аоы]?|держ[а-я]+|пользу[а-я]+)(?![a-zа-я])/g;

/** "number of contacts performed before this campaign", "Количество обращений": what a column counts. */
const COUNTS = /(?:number of|no\.? of|count of|количество|число)\s+(\p{L}+)/iu;

/**
 * "в прошлых кампаниях было три контакта и больше", "more than 2 contacts": a number right before the
 * word of what it counts is the number of a column whose comment counts that thing, in either language
 * (the word's dictionary senses), where one column of the model does.
 */
export function countedColumn(
  model: SemanticModel,
  groups: Group[],
  cmp: ComparisonMention,
  text: string,
): boolean {
  if (cmp.unit !== undefined && cmp.unit !== 'count') return false;
  const word = /^\s*(\p{L}+)/u.exec(text.slice(cmp.end));
  if (!word) return false;
  const written = word[1] as string;
  const stems = new Set(phraseStems(written));
  if (/[а-яё]/i.test(written)) for (const sense of wordSenses(written, Lexicon.load())) stems.add(sense);
  const counting = countingColumns(model).filter((c) => c.counted.some((s) => stems.has(s)));
  if (counting.length !== 1) return false;
  const start = cmp.end + word.index + (word[0].length - written.length);
  groups.push({
    attr: undefined,
    extraWhere: [{ column: (counting[0] as CountingColumn).ref, cmp: cmp.cmp }],
    values: [],
    cmp,
    window: undefined,
    perMonth: false,
    marks: [cmp, { start, end: start + written.length }],
  });
  return true;
}

interface CountingColumn {
  ref: string;
  /** Stems of what the column's comment counts. */
  counted: string[];
}

const counting = new WeakMap<SemanticModel, CountingColumn[]>();

/** The numeric columns a strategy may read whose comment counts something, read once per model. */
function countingColumns(model: SemanticModel): CountingColumn[] {
  let columns = counting.get(model);
  if (!columns) {
    columns = model.graph
      .tableNames()
      .flatMap((t) => (model.graph.table(t)?.columns ?? []).map((c) => ({ t, c })))
      .filter(({ c }) => NUMERIC_TYPE.test(c.type) && !c.pii && !isNotForTargeting(c))
      .flatMap(({ t, c }) => {
        const counted = COUNTS.exec(c.comment ?? '')?.[1];
        return counted ? [{ ref: `${t}.${c.name}`, counted: phraseStems(counted) }] : [];
      });
    counting.set(model, columns);
  }
  return columns;
}
