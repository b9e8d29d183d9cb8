// Step: an amount said of a held product, where no attribute of the product's rows takes it.
// Reads: the groups, the fragment's comparisons and text, the product table's columns and their comments.
// Produces: "на накопительном счёте лежит от ста тысяч рублей", "накопительный счёт с остатком больше
// 300 тысяч": the product's yes/no attribute restricted to its rows whose amount column holds the
// amount. The amount column is the one of the product's table whose comment the amount's own words name
// ("остаток": 'Остаток на отчётную дату, руб.'), else its only column in a currency; an attribute of
// other rows that took the amount by those words (all balances) is then gone. Only within one clause.
import { CURRENCY_UNITS, unitFromComment, type RowCondition } from '@t2s/semantic';
import { columnHead } from '../../column-heads';
import type { ComparisonMention, Mark } from '../../text/quantities';
import { isMoney } from '../../text/units';
import { phraseStems } from '../../text/tokens';
import { NUMERIC_TYPE } from '../conditions';
import { stemsClose } from '../matching';
import type { FragmentContext, ParseContext } from '../context';
import { attributeOf, cloneGroups } from '../groups';
import type { Group } from '../parse-types';
import { FILLER } from '../words';

export function productAmounts(ctx: ParseContext, frag: FragmentContext, input: readonly Group[]): Group[] {
  const groups = cloneGroups(input);
  const taken = new Set(groups.flatMap((g) => [g.cmp, g.cmp2]));
  const oneClause = (a: Mark, b: Mark) => {
    const [left, right] = a.start <= b.start ? [a, b] : [b, a];
    return !/[,;]/.test(frag.text.slice(left.end, right.start));
  };
  for (const product of [...groups]) {
    const held = attributeOf(product);
    if (!held || held.type !== 'boolean' || held.measure.kind !== 'related' || !product.attr) continue;
    if (product.attr.negated || product.cmp || product.extraWhere.length > 0) continue;
    const table = held.measure.table;
    const amounts = (ctx.model.graph.table(table)?.columns ?? []).filter(
      (c) => NUMERIC_TYPE.test(c.type) && !c.pii && CURRENCY_UNITS.has(unitFromComment(c.comment) ?? ''),
    );
    if (amounts.length === 0) continue;
    const self = product.attr;
    // An attribute of other rows whose words name one of the product's amount columns ("остатком").
    const other = groups.find((g) => {
      const n = attributeOf(g);
      return (
        g !== product &&
        n !== undefined &&
        n.type === 'number' &&
        n.measure.kind !== 'scalar' &&
        n.measure.table !== table &&
        g.cmp !== undefined &&
        g.attr !== undefined &&
        !g.attr.negated &&
        !g.window &&
        g.values.length === 0 &&
        g.extraWhere.length === 0 &&
        oneClause(self, g.attr) &&
        oneClause(self, g.cmp)
      );
    });
    const words = other?.attr ? phraseStems(frag.text.slice(other.attr.start, other.attr.end)) : [];
    const named = amounts.filter((c) =>
      phraseStems(columnHead(c.comment)).some((s) => !FILLER.has(s) && words.some((w) => stemsClose(s, w))),
    );
    let cmp: ComparisonMention | undefined;
    let column: string | undefined;
    if (other && named.length === 1) {
      cmp = other.cmp;
      column = named[0]?.name;
    } else if (!other && amounts.length === 1) {
      cmp = frag.comparisons.find(
        (c) => !taken.has(c) && !c.unreadable && isMoney(c.unit) && oneClause(self, c),
      );
      column = amounts[0]?.name;
    }
    if (!cmp || !column) continue;
    const condition: RowCondition = { column: `${table}.${column}`, cmp: cmp.cmp };
    product.extraWhere.push(condition);
    product.marks.push(cmp, ...(other?.marks ?? []));
    taken.add(cmp);
    if (other) groups.splice(groups.indexOf(other), 1);
  }
  return groups;
}
