// Step: years and periods to the date they bound ("Loans granted in 1997 or 1998", "born before 1950",
// "opened before 1994").
// Reads: periods, date column mentions, the groups, the model's date columns.
// Produces: a period within 30 characters of a date column the fragment names is a group on that
// column; else it narrows the nearest attribute whose rows have a date column (the attribute's own, or
// the one the model declares for its table), or the values of a group of values alone. `placed`: the
// periods so read.
import type { LexEntry } from '../../lexicon';
import type { ComparisonMention } from '../../text/quantities';
import { DATE_TYPE, distance } from '../conditions';
import type { FragmentContext, ParseContext } from '../context';
import { attributeOf, cloneGroups } from '../groups';
import type { Group } from '../parse-types';

export function datePeriods(
  ctx: ParseContext,
  frag: FragmentContext,
  input: readonly Group[],
): { groups: Group[]; placed: ComparisonMention[] } {
  const groups = cloneGroups(input);
  const { text } = frag;
  const placed: ComparisonMention[] = [];
  const dateColumnOf = (group: Group): string | null => {
    const attr = attributeOf(group);
    if (attr?.date) return attr.date;
    // A group of values alone ("счетов … с ежемесячной выпиской"): the date of the values' rows.
    const value = group.values[0]?.entry as Extract<LexEntry, { kind: 'value' }> | undefined;
    const table = attr ? attr.measure.table : value?.column.split('.')[0];
    if (!table) return null;
    const tables = ctx.model.file.tables;
    const date = tables[table]?.date;
    if (date) return `${table}.${date}`;
    // "Владельцы счетов, открытых в 1993 году": rows with no date of their own (an account's owners) are
    // dated by the one row a key of theirs points to that has one (the account).
    const dated = Object.keys(tables).filter(
      (other) => tables[other]?.date && ctx.model.graph.lookupPath(table, other)?.length === 1,
    );
    return dated.length === 1 ? `${dated[0]}.${tables[dated[0] as string]?.date}` : null;
  };
  for (const period of frag.periods) {
    const column = frag.mentions
      .filter(
        (m) =>
          m.entry.kind === 'column' &&
          DATE_TYPE.test((m.entry as Extract<LexEntry, { kind: 'column' }>).type),
      )
      .map((m) => ({ m, d: distance(m, period, text) }))
      .filter((x) => x.d <= 30)
      .sort((a, b) => a.d - b.d)[0];
    if (column) {
      const ref = (column.m.entry as Extract<LexEntry, { kind: 'column' }>).column;
      groups.push({
        attr: undefined,
        extraWhere: [{ column: ref, cmp: period.cmp }],
        values: [],
        cmp: undefined,
        window: undefined,
        perMonth: false,
        marks: [column.m, period],
      });
      placed.push(period);
      continue;
    }
    const owner = groups
      .filter((g) => (g.attr || g.values.length > 0) && dateColumnOf(g) !== null)
      .map((g) => ({ g, d: Math.min(...g.marks.map((m) => distance(m, period, text))) }))
      .sort((a, b) => a.d - b.d)[0];
    if (!owner) continue;
    owner.g.extraWhere.push({ column: dateColumnOf(owner.g) as string, cmp: period.cmp });
    owner.g.marks.push(period);
    placed.push(period);
  }
  return { groups, placed };
}
