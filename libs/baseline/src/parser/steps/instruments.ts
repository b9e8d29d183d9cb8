// Step: a held product named as what an amount's rows were made with.
// Reads: the groups, `text` (the words before the product), the model's key graph.
// Produces: "траты в ресторанах по нашим картам больше 50 тысяч", "spent more than 50k with our cards":
// a yes/no product named after "по", "with", "by", "using" ("нашим", "our" between), where an amount of
// the fragment is over rows that each belong to one row of that product (a purchase to its card), is
// what the amount's rows were made with: no condition of its own, its words read with the amount.
import type { FragmentContext, ParseContext } from '../context';
import { attributeOf, cloneGroups } from '../groups';
import type { Group } from '../parse-types';

const WITH =
  /(?:^|[^a-zа-яё])(?:по|через|with|by|using|on)\s+(?:(?:нашим|нашей|наших|нашими|своим|своей|своих|своими|our|their|its|his|her)\s+)?$/;

export function instruments(ctx: ParseContext, frag: FragmentContext, input: readonly Group[]): Group[] {
  const groups = cloneGroups(input);
  for (const held of [...groups]) {
    const product = attributeOf(held);
    if (
      !product ||
      !held.attr ||
      product.type !== 'boolean' ||
      product.measure.kind === 'scalar' ||
      held.attr.negated ||
      held.cmp !== undefined ||
      !WITH.test(frag.text.slice(0, held.attr.start))
    )
      continue;
    const amount = groups.find((g) => {
      const a = attributeOf(g);
      return (
        a !== undefined &&
        a.type === 'number' &&
        a.measure.kind !== 'scalar' &&
        g.cmp !== undefined &&
        ctx.model.graph.lookupPath(a.measure.table, product.measure.table)?.length === 1
      );
    });
    if (!amount) continue;
    amount.marks.push(...held.marks);
    groups.splice(groups.indexOf(held), 1);
  }
  return groups;
}
