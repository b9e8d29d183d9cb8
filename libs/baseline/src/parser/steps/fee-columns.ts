// Step: "paid" and "free" before an amount column ("с платным годовым обслуживанием", "free of charge").
// Reads: numeric column mentions not in a group, the words before them, the key graph.
// Produces: the column more than zero ("paid") or zero ("free"): a condition on the rows of an attribute
// that reaches the column's table ("карт с платным обслуживанием"), else a group of its own.
import type { RowCondition } from '@t2s/semantic';
import type { LexEntry } from '../../lexicon';
import { NUMERIC_TYPE } from '../conditions';
import { columnMentions, type FragmentContext, type ParseContext } from '../context';
import { cloneGroups } from '../groups';
import type { Group } from '../parse-types';

export function feeColumns(ctx: ParseContext, frag: FragmentContext, input: readonly Group[]): Group[] {
  const groups = cloneGroups(input);
  const { text } = frag;
  for (const mention of columnMentions(frag)) {
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
      return m !== undefined && m.kind !== 'scalar' && ctx.model.graph.lookupPath(m.table, table) !== null;
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
      marks: [...marks],
    });
  }
  return groups;
}
