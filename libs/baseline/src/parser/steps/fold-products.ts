// Step: a held product folded into the attribute about its rows.
// Reads: the groups, `text` (nearness).
// Produces: "Ипотека с остатком долга более 3 млн": a yes/no attribute and a numeric one with a number
// over the same rows are one group, the numeric one restricted to the yes/no one's rows; "applied for a
// mortgage", "заявки на автокредит": a product named right next to an attribute of other rows that
// declares the product's kind column as a refinement is that kind of those rows. The product's own
// group is then gone.
import { type Attribute, type RowCondition } from '@t2s/semantic';
import { distance, equalities, valueCondition } from '../conditions';
import type { FragmentContext } from '../context';
import { attributeOf, cloneGroups } from '../groups';
import type { Group } from '../parse-types';
import { STATE_COLUMN } from '../products';

export function foldProducts(frag: FragmentContext, input: readonly Group[]): Group[] {
  const groups = cloneGroups(input);
  for (const bool of [...groups]) {
    const b = attributeOf(bool);
    if (!b || b.type !== 'boolean' || b.measure.kind === 'scalar' || bool.attr?.negated) continue;
    const target = groups.find((g) => {
      const n = attributeOf(g);
      return (
        n !== undefined && n.type === 'number' && n.measure.table === b.measure.table && g.cmp !== undefined
      );
    });
    if (!target) {
      foldKind(frag.text, groups, bool, b);
      continue;
    }
    const extra = [b.measure.where, valueCondition(bool.values)].filter(
      (c): c is RowCondition => c !== undefined,
    );
    target.extraWhere.push(...extra);
    target.marks.push(...bool.marks);
    groups.splice(groups.indexOf(bool), 1);
  }
  return groups;
}

/** The product as the kind of a nearby attribute's rows (changes the step's own copy of the groups). */
function foldKind(text: string, groups: Group[], bool: Group, b: Attribute): void {
  const kinds = equalities(b.measure.kind === 'scalar' ? undefined : b.measure.where).filter(
    (c) => !STATE_COLUMN.test(c.column.split('.')[1] as string),
  );
  if (kinds.length === 0 || !bool.attr) return;
  const self = bool.attr;
  const target = groups.find((g) => {
    const n = attributeOf(g);
    if (!n || !g.attr || g === bool || n.measure.table === b.measure.table || g.attr.negated) return false;
    const near = Math.min(...g.marks.map((m) => distance(m, self, text))) <= 20;
    return near && kinds.every((c) => n.refinements.includes(`${n.measure.table}.${c.column.split('.')[1]}`));
  });
  const n = target ? attributeOf(target) : undefined;
  if (!target || !n) return;
  for (const c of kinds) {
    target.extraWhere.push({ column: `${n.measure.table}.${c.column.split('.')[1]}`, cmp: c.cmp });
  }
  target.window ??= bool.window;
  target.marks.push(...bool.marks);
  groups.splice(groups.indexOf(bool), 1);
}
