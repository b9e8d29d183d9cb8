// Constructions of criteria text beyond "attribute, number, window": pointing back ("остаток на нём"),
// windows bounding a date, transitions between two values, shares, ratios to another attribute, paid
// and free amounts, a product's other states and a product held now. Each reads the groups the parser
// built for one fragment and rewrites them, by the semantic model and general patterns of the language
// (both Russian and English), never by phrasings of particular cases.
import type { Attribute, Comparison, Expr, RowCondition, SemanticModel } from '@t2s/semantic';
import type { LexEntry } from '../lexicon';
import type { ComparisonMention, Mark, WindowMention } from '../text/quantities';
import { findComparisons } from '../text/quantities';
import { normalize, phraseStems } from '../text/tokens';
import {
  allowedBy,
  conditionColumns,
  distance,
  fixedBy,
  DATE_TYPE,
  NUMERIC_TYPE,
  valueCondition,
  withoutColumns,
} from './conditions';
import type { Group, Mention, ParsedCriterion } from './parse-types';
import { FILLER } from './words';

// Columns that say whether a product's row is held now (its state), not what kind of row it is.
export const STATE_COLUMN = /(^|_)status$|^is_active$|^(close|end)_date$/;
// "в 1,5 раза выше", "at least 1.5 times": a ratio to another attribute's value.
const RATIO =
  /(не менее чем|не менее|не меньше|at least|no less than|more than|over)?\s*(?:в\s+)?(\d+(?:[.,]\d+)?)\s*(?:раза|раз|times)(?![a-zа-я])(?:\s+(выше|больше|ниже|меньше|higher than|more than|lower than|less than|above|below|as high as))?/;
// "больше половины", "more than a third of": a share named in words.
const SHARE_WORDS =
  /(не менее|не меньше|не более|не больше|больше|более|свыше|меньше|менее|at least|at most|more than|less than|over|under)\s+(половин[аыу]|трети|треть|четверти|четверть|двух третей|half|a third|one third|a quarter|two thirds)(?:\s+(?:всех|of all|of))?(?![a-zа-я])/;
const FRACTIONS: [RegExp, number][] = [
  [/^(половин|half)/, 0.5],
  [/^(двух трет|two thirds)/, 2 / 3],
  [/^(трет|a third|one third)/, 1 / 3],
  [/^(четверт|a quarter)/, 0.25],
];
const ANAPHOR =
  /(?<![a-zа-я])(?:на н[её]м|по нему|в н[её]м|на ней|по ней|в ней|on it|in it|its|on that)(?![a-zа-я])/;
const TRANSITION_VERB =
  /(?:перешл|перешел|перешёл|перевел|переведен|сменил|moved|upgraded|switched|changed|went)[a-zа-яё]*/;
function shareOp(words: string): 'gt' | 'gte' | 'lt' | 'lte' {
  if (/^(не менее|не меньше|at least)/.test(words)) return 'gte';
  if (/^(не более|не больше|at most)/.test(words)) return 'lte';
  if (/^(меньше|менее|less than|under)/.test(words)) return 'lt';
  return 'gt';
}

/**
 * "Открыли накопительный счёт в этом году. Остаток на нём больше 200 тыс.": a fragment pointing back
 * ("на нём", "по нему", "on it", "its") with a number is about the rows of the previous criterion's
 * product: the number goes to that table's amount column its words name, on the same rows (the
 * previous criterion is narrowed; no criterion of its own). False when it cannot be placed.
 */
export function anaphora(
  model: SemanticModel,
  fragment: string,
  criteria: ParsedCriterion[],
  /** The fragment as the marketer sees it (hostile text shown), for the criterion's text. */
  shown: string = fragment,
): boolean {
  const text = normalize(fragment);
  if (!ANAPHOR.test(text)) return false;
  const previous = criteria.at(-1);
  const expr = previous?.spec.expr;
  if (!previous || !expr || !('type' in expr) || (expr.type !== 'attr' && expr.type !== 'related'))
    return false;
  const table = expr.type === 'attr' ? model.attribute(expr.attr)?.measure.table : (expr.table ?? undefined);
  const columns = table ? (model.graph.table(table)?.columns ?? []) : [];
  const words = new Set(phraseStems(text));
  // The column whose comment's head (or name, for English) the fragment's words name; a head that
  // starts with such a word ("Остаток на отчётную дату") over one that merely has it ("ставка на остаток").
  const scored = columns
    .filter((c) => NUMERIC_TYPE.test(c.type) && !/(^|_)id$/.test(c.name) && !c.pii)
    .map((c) => {
      const head = phraseStems((c.comment ?? '').split(/[.:;(—,]/)[0] ?? '').filter((w) => !FILLER.has(w));
      const name = phraseStems(c.name.replace(/_/g, ' '));
      const hits = [...head, ...name].filter((w) => words.has(w)).length;
      const leads = words.has(head[0] ?? '') || words.has(name[0] ?? '') ? 1 : 0;
      return { c, score: hits === 0 ? 0 : leads * 100 + hits };
    })
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score);
  const column = scored[0]?.c;
  const cmp = findComparisons(text)[0];
  if (!table || !column || !cmp) return false;
  const condition: RowCondition = { column: `${table}.${column.name}`, cmp: cmp.cmp };
  const where = expr.where ? { all: [expr.where, condition] } : condition;
  previous.spec = { ...previous.spec, expr: { ...expr, where } as Expr };
  previous.text = `${previous.text}; ${shown.trim()}`;
  return true;
}

/**
 * "Ни одного продукта, открытого за последние 2 года": a window right after a date column named in the
 * fragment (and no attribute between them) bounds that date: it falls within the window.
 */
export function datedWindow(groups: Group[], mentions: Mention[], window: WindowMention): boolean {
  const column = mentions.find(
    (m) =>
      m.entry.kind === 'column' &&
      DATE_TYPE.test((m.entry as Extract<LexEntry, { kind: 'column' }>).type) &&
      m.end <= window.start &&
      window.start - m.end <= 12 &&
      !mentions.some((a) => a.entry.kind === 'attr' && a.start >= m.end && a.end <= window.start),
  );
  if (!column) return false;
  groups.push({
    attr: undefined,
    extraWhere: [
      {
        column: (column.entry as Extract<LexEntry, { kind: 'column' }>).column,
        cmp: { op: 'gt', value: { now: true, minus: window.span } },
      },
    ],
    values: [],
    cmp: undefined,
    window: undefined,
    perMonth: false,
    marks: [column, window],
    negated: column.negated,
  });
  return true;
}

/**
 * "Перешли из массового сегмента в «массовый плюс» за последние 12 месяцев", "moved from MASS to
 * AFFLUENT": two values of one column after "из/from" and "в/to", with a verb of change, and a column
 * whose past the model keeps. The client has the second value now and had the first one in the window
 * (the fragment's, else the last 12 months). The pair is taken out of `loose`.
 */
export function transitions(
  model: SemanticModel,
  loose: Mention[],
  text: string,
  fragmentWindow: WindowMention | undefined,
): Group[] {
  if (!TRANSITION_VERB.test(text)) return [];
  const found: Group[] = [];
  const column = (m: Mention) => (m.entry as Extract<LexEntry, { kind: 'value' }>).column;
  const before = (m: Mention) => text.slice(Math.max(0, m.start - 12), m.start);
  for (const from of [...loose]) {
    const past = model.file.history[column(from)];
    if (!past || !/(?:^|\s)(?:из|from)\s+(?:[а-яa-z]+\s+)?$/.test(before(from))) continue;
    const to = loose.find(
      (m) =>
        m !== from &&
        m.start > from.end &&
        column(m) === column(from) &&
        /(?:^|\s)(?:в|во|на|to|into)\s+(?:[а-яa-z«"]+\s+)?[«"]?$/.test(before(m)),
    );
    if (!to) continue;
    const span = fragmentWindow?.span ?? { n: 12, unit: 'month' as const };
    const was = (from.entry as Extract<LexEntry, { kind: 'value' }>).value;
    found.push(
      {
        attr: undefined,
        extraWhere: [],
        values: [to],
        cmp: undefined,
        window: undefined,
        perMonth: false,
        marks: [to],
      },
      {
        attr: undefined,
        extraWhere: [{ column: past, cmp: { op: 'eq', value: was } }],
        values: [],
        cmp: undefined,
        // A criterion of its own: the past value in the window, not the current one.
        window: { span, start: 0, end: 0 },
        perMonth: false,
        marks: [from],
      },
    );
    // Every reading of the two phrases (the same words name the value in the history table too) is used.
    for (let i = loose.length - 1; i >= 0; i--) {
      const m = loose[i] as Mention;
      if ((m.first === from.first && m.last === from.last) || (m.first === to.first && m.last === to.last))
        loose.splice(i, 1);
    }
    const verb = TRANSITION_VERB.exec(text);
    if (verb) found[found.length - 1]?.marks.push({ start: verb.index, end: verb.index + verb[0].length });
  }
  return found;
}

/**
 * "Онлайн-покупки — больше половины всех покупок по картам", "more than 60% of purchases online": a
 * share of a counted or summed attribute made up by its rows meeting a yes/no column of the same rows.
 * The two groups become one aggregate with `share`; they are taken out of `groups`.
 */
export function share(
  groups: Group[],
  text: string,
  fragmentWindow: WindowMention | undefined,
): { expr: Expr; marks: Mark[] } | null {
  const words = SHARE_WORDS.exec(text);
  const whole = groups.find((g) => {
    const m = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr.measure;
    return m?.kind === 'aggregate' && (m.fn === 'count' || m.fn === 'sum');
  });
  const attr = (whole?.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
  const m = attr?.measure;
  if (!whole || !attr || m?.kind !== 'aggregate') return null;
  const part = groups.find(
    (g) =>
      g !== whole &&
      !g.attr &&
      g.values.length === 0 &&
      g.extraWhere.length > 0 &&
      g.extraWhere.every((c) => conditionColumns(c).every((col) => col.startsWith(`${m.table}.`))),
  );
  if (!part) return null;
  let cmp: Comparison | undefined;
  if (words) {
    const fraction = FRACTIONS.find(([pattern]) => pattern.test(words[2] as string))?.[1] ?? 0.5;
    cmp = { op: shareOp(words[1] as string), value: fraction };
  } else if (
    whole.cmp?.unit === 'percent' &&
    'value' in whole.cmp.cmp &&
    typeof whole.cmp.cmp.value === 'number'
  ) {
    cmp = { ...whole.cmp.cmp, value: whole.cmp.cmp.value / 100 } as Comparison;
  }
  if (!cmp) return null;
  const rows = [m.where, valueCondition(whole.values), ...whole.extraWhere].filter(
    (c): c is RowCondition => c !== undefined,
  );
  const span = whole.window?.span ?? fragmentWindow?.span;
  const window = m.window ? (span ? { ...m.window, last: span } : m.window) : undefined;
  const expr: Expr = {
    type: 'aggregate',
    table: m.table,
    fn: m.fn,
    ...(m.fn === 'sum' && m.column ? { column: m.column } : {}),
    ...(rows.length ? { where: rows.length === 1 ? (rows[0] as RowCondition) : { all: rows } } : {}),
    ...(window ? { window } : {}),
    share: part.extraWhere.length === 1 ? (part.extraWhere[0] as RowCondition) : { all: part.extraWhere },
    cmp,
  };
  groups.splice(groups.indexOf(whole), 1);
  groups.splice(groups.indexOf(part), 1);
  const marks: Mark[] = [...whole.marks, ...part.marks];
  if (words) marks.push({ start: words.index, end: words.index + words[0].length });
  return { expr, marks };
}

/**
 * "Доход в 1,5 раза выше средней зарплаты в регионе", "income at least 1.5 times that regional
 * average": the first numeric attribute compared with the other one's value (both scalar, on the same
 * rows) times the ratio. The other attribute's group is taken out; returns the ratio's mark.
 */
export function ratio(groups: Group[], text: string): Mark | null {
  const match = RATIO.exec(text);
  if (!match) return null;
  const scalar = groups.filter((g) => {
    const a = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
    return a?.type === 'number' && a.measure.kind === 'scalar';
  });
  const [subject, reference] = scalar;
  const a = (subject?.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
  const b = (reference?.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
  if (!subject || !reference || !a || !b || a.measure.table !== b.measure.table) return null;
  const times = Number((match[2] as string).replace(',', '.'));
  const before = match[1] ?? '';
  const after = match[3] ?? '';
  const op = /ниже|меньше|lower|less|below|under/.test(after)
    ? 'lt'
    : /выше|больше|higher|more|above|over/.test(after) && !/не менее|не меньше|at least|no less/.test(before)
      ? 'gt'
      : 'gte';
  const mark = { start: match.index, end: match.index + match[0].length };
  subject.cmp = { cmp: { op, value: { attr: b.name, times } }, ...mark };
  subject.marks.push(mark, ...reference.marks);
  groups.splice(groups.indexOf(reference), 1);
  return mark;
}

/**
 * "с платным годовым обслуживанием", "free of charge": "paid" before an amount column with no number
 * means more than zero, "free" means zero.
 */
export function feeColumns(model: SemanticModel, groups: Group[], columns: Mention[], text: string): void {
  for (const mention of columns) {
    const entry = mention.entry as Extract<LexEntry, { kind: 'column' }>;
    if (!NUMERIC_TYPE.test(entry.type) || groups.some((g) => g.marks.includes(mention))) continue;
    const before = text.slice(Math.max(0, mention.start - 16), mention.start);
    const word = /(?:^|[^a-zа-я])(бесплатн[а-я]*|free|платн[а-я]*|paid)\s*$/.exec(before);
    if (!word) continue;
    const free = /^(бесплатн|free)/.test(word[1] as string);
    const condition: RowCondition = {
      column: entry.column,
      cmp: free ? { op: 'eq', value: 0 } : { op: 'gt', value: 0 },
    };
    const marks = [
      {
        start: mention.start - (before.length - before.lastIndexOf(word[1] as string)),
        end: mention.end,
      },
      mention,
    ];
    // "карт с платным обслуживанием": the fee of the cards' own product, when an attribute's rows reach it.
    const table = entry.column.split('.')[0] as string;
    const owner = groups.find((g) => {
      const m = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr.measure;
      return m !== undefined && m.kind !== 'scalar' && model.graph.lookupPath(m.table, table) !== null;
    });
    if (owner) {
      owner.extraWhere.push(condition);
      owner.marks.push(...marks);
      continue;
    }
    groups.push({
      attr: undefined,
      extraWhere: [condition],
      values: [],
      cmp: undefined,
      window: undefined,
      perMonth: false,
      marks: [
        {
          start: mention.start - (before.length - before.lastIndexOf(word[1] as string)),
          end: mention.end,
        },
        mention,
      ],
    });
  }
}

/**
 * "Онлайн-покупки более 10 тыс. в месяц": a yes/no column of the rows a numeric attribute measures
 * (the purchase is online) narrows those rows; it is not a criterion of its own.
 */
export function foldColumns(groups: Group[]): void {
  const numeric = groups.filter((g) => {
    const a = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
    return a?.type === 'number' && a.measure.kind === 'aggregate' && g.cmp !== undefined;
  });
  if (numeric.length !== 1) return;
  const target = numeric[0] as Group;
  const table = (
    (target.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr.measure as { table: string }
  ).table;
  for (const g of [...groups]) {
    if (g === target || g.attr || g.values.length > 0 || g.extraWhere.length === 0 || g.negated) continue;
    if (!g.extraWhere.every((c) => conditionColumns(c).every((col) => col.startsWith(`${table}.`)))) continue;
    target.extraWhere.push(...g.extraWhere);
    target.marks.push(...g.marks);
    groups.splice(groups.indexOf(g), 1);
  }
}

/**
 * The yes/no attribute of holding the product whose rows `where` is about: the model's attribute over
 * that table whose only conditions are the rows' state (active, open, not closed).
 */
export function heldProduct(model: SemanticModel, where: RowCondition): Attribute | undefined {
  const columns = conditionColumns(where);
  const tables = new Set(columns.map((c) => c.split('.')[0] as string));
  if (tables.size !== 1) return undefined;
  const [table] = [...tables] as [string];
  return model
    .allAttributes()
    .filter((a) => {
      const m = a.measure;
      return (
        a.type === 'boolean' &&
        m.kind === 'related' &&
        m.table === table &&
        m.quantifier === 'some' &&
        !m.window &&
        m.where !== undefined &&
        conditionColumns(m.where).every((c) => STATE_COLUMN.test(c.split('.')[1] as string)) &&
        !conditionColumns(m.where).some((c) => columns.includes(c))
      );
    })
    .sort(
      (a, b) =>
        conditionColumns((a.measure as { where?: RowCondition }).where).length -
        conditionColumns((b.measure as { where?: RowCondition }).where).length,
    )[0];
}

/**
 * "more than 20 transfers", "5 переводов": a bare number right before an amount attribute's word counts
 * its rows; the group switches to the model's count of the same rows, when it has one.
 */
export function countInstead(model: SemanticModel, group: Group, text: string): void {
  const entry = group.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined;
  const cmp = group.cmp;
  if (!entry || !group.attr || !cmp || cmp.unit !== undefined || entry.attr.unit !== 'rub') return;
  const words = group.attr.wordStart ?? group.attr.start;
  if (cmp.end > words || !/^\s*$/.test(text.slice(cmp.end, words))) return;
  const m = entry.attr.measure;
  const count = model
    .allAttributes()
    .find(
      (a) =>
        a.unit === 'count' &&
        a.measure.kind === 'aggregate' &&
        a.measure.fn === 'count' &&
        a.measure.table === m.table &&
        JSON.stringify(a.measure.where ?? null) ===
          JSON.stringify(m.kind === 'scalar' ? null : (m.where ?? null)),
    );
  if (count) group.attr = { ...group.attr, entry: { kind: 'attr', attr: count, stems: entry.stems } };
}

/**
 * "вклад закрыт за последние 3 месяца", "repaid a loan", "подписка отменена в 2026": a state of the
 * product's rows that its attribute excludes (it counts active ones). The criterion is then the rows in
 * that state, without the attribute's own condition on the state's column; a window or period refers to
 * the date those rows ended when the model declares one for the table.
 */
export function otherState(
  model: SemanticModel,
  attr: Attribute,
  group: Group,
  parts: RowCondition[],
  fragmentWindow: WindowMention | undefined,
): Expr | null {
  const m = attr.measure;
  if (m.kind !== 'related' || attr.type !== 'boolean') return null;
  const states = group.values
    .map((v) => v.entry as Extract<LexEntry, { kind: 'value' }>)
    .filter((e) => fixedBy(attr, e.column) && !allowedBy(attr, e.column, e.value));
  if (states.length === 0) return null;
  const config = model.file.tables[m.table];
  const ended = config?.endDate ?? config?.date;
  const periodColumn = config?.date ? `${m.table}.${config.date}` : undefined;
  const where = [
    withoutColumns(
      m.where,
      states.map((e) => e.column),
    ),
    ...parts.map((p) => (ended && periodColumn ? retarget(p, periodColumn, `${m.table}.${ended}`) : p)),
  ].filter((c): c is RowCondition => c !== undefined);
  const window = group.window ?? fragmentWindow;
  return {
    type: 'related',
    table: m.table,
    quantifier: m.quantifier,
    where: where.length === 1 ? (where[0] as RowCondition) : { all: where },
    ...(window && ended ? { window: { column: `${m.table}.${ended}`, last: window.span } } : {}),
  };
}

/** A condition with one column replaced by another (a period about opening read as one about closing). */
function retarget(cond: RowCondition, from: string, to: string): RowCondition {
  if ('column' in cond) return cond.column === from ? { ...cond, column: to } : cond;
  if ('all' in cond) return { all: cond.all.map((c) => retarget(c, from, to)) };
  if ('any' in cond) return { any: cond.any.map((c) => retarget(c, from, to)) };
  return { not: retarget(cond.not, from, to) };
}

/**
 * "Доля акций в портфеле больше половины": a share named in words, for an attribute that is itself a
 * share or a percentage. Sets the group's comparison; false when there is no such attribute.
 */
export function fractionWords(groups: Group[], text: string): boolean {
  const words = SHARE_WORDS.exec(text);
  if (!words) return false;
  const group = groups.find((g) => {
    const unit = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr.unit;
    return g.cmp === undefined && (unit === 'percent' || unit === 'share');
  });
  if (!group) return false;
  const percent = (group.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr.unit === 'percent';
  const fraction = FRACTIONS.find(([pattern]) => pattern.test(words[2] as string))?.[1] ?? 0.5;
  const cmp: ComparisonMention = {
    cmp: { op: shareOp(words[1] as string), value: percent ? Math.round(fraction * 10_000) / 100 : fraction },
    start: words.index,
    end: words.index + words[0].length,
  };
  group.cmp = cmp;
  group.marks.push(cmp);
  return true;
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
