// What the model says about products held: the yes/no attribute of holding a product, a product's rows
// in a state its attribute excludes (closed, repaid), and a count of an amount attribute's rows. Read
// by steps/build.ts.
import type { Attribute, Expr, RowCondition, SemanticModel } from '@t2s/semantic';
import type { LexEntry } from '../lexicon';
import type { WindowMention } from '../text/quantities';
import { allowedBy, conditionColumns, fixedBy, withoutColumns } from './conditions';
import type { Group } from './parse-types';
import { isMoney } from '../text/units';

// Columns that say whether a product's row is held now (its state), not what kind of row it is.
export const STATE_COLUMN = /(^|_)status$|^is_active$|^(close|end)_date$/;

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
 * its rows; the group as the model's count of the same rows, when it has one (else the group itself).
 */
export function countInstead(model: SemanticModel, group: Group, text: string): Group {
  const entry = group.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined;
  const cmp = group.cmp;
  if (!entry || !group.attr || !cmp || cmp.unit !== undefined || !isMoney(entry.attr.unit)) return group;
  const words = group.attr.wordStart ?? group.attr.start;
  if (cmp.end > words || !/^\s*$/.test(text.slice(cmp.end, words))) return group;
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
  if (!count) return group;
  return { ...group, attr: { ...group.attr, entry: { kind: 'attr', attr: count, stems: entry.stems } } };
}

const EVER = /(?<![a-zа-яё])(?:ни разу|никогда|never|ever)(?![a-zа-яё])/;

/**
 * "ни разу не брали кредит", "never had a loan": a held product denied for all time is any row of it, in
 * any state, not only rows in force. The criterion is then the product's rows without the attribute's
 * condition on their state; null when the words before the product in its clause do not say so.
 */
export function everHeld(attr: Attribute, group: Group, parts: RowCondition[], text: string): Expr | null {
  const m = attr.measure;
  const mention = group.attr;
  if (m.kind !== 'related' || attr.type !== 'boolean' || !mention?.negated || !m.where) return null;
  const clause =
    text
      .slice(0, mention.start)
      .split(/[,;:(]/)
      .at(-1) ?? '';
  if (!EVER.test(clause)) return null;
  const states = conditionColumns(m.where).filter((ref) => STATE_COLUMN.test(ref.split('.')[1] as string));
  if (states.length === 0) return null;
  const where = [withoutColumns(m.where, states), ...parts].filter((c): c is RowCondition => c !== undefined);
  return {
    type: 'related',
    table: m.table,
    quantifier: m.quantifier,
    ...(where.length > 0 ? { where: where.length === 1 ? (where[0] as RowCondition) : { all: where } } : {}),
  };
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
