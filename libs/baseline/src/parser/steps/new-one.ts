// Step: "…whose deposit closed … and who have not opened a new one", "новый не открывали".
// Reads: `text`, the groups as built.
// Produces: the first held product the fragment names, excluded (no such product now, besides whatever
// the fragment says about the product's other rows), with the phrase's mark; null when there is none.
import type { LexEntry } from '../../lexicon';
import type { Mark } from '../../text/quantities';
import type { FragmentContext } from '../context';
import type { Group } from '../parse-types';
import type { BuiltCriterion } from './build';

const NEW_ONE =
  /(?<![a-zа-я])(?:(?:not|never)\s+(?:[a-z]+\s+){0,2}(?:a new one|another one|a new|new ones?)|(?:не|ни)\s+(?:[а-я]+\s+){0,2}(?:новый|новую|нового|новой|новых|другой|другого)|(?:новый|новую|нового|новой|новых)\s+(?:[а-я]+\s+)?не\s+[а-я]+)(?![a-zа-я])/;

export function notANewOne(
  frag: FragmentContext,
  groups: readonly Group[],
): { criterion: BuiltCriterion; mark: Mark } | null {
  const again = NEW_ONE.exec(frag.text);
  const product = groups
    .map((g) => (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr)
    .find((a) => a?.type === 'boolean' && a.measure.kind === 'related');
  if (!again || !product) return null;
  return {
    criterion: { kind: 'exclude', expr: { type: 'attr', attr: product.name } },
    mark: { start: again.index, end: again.index + again[0].length },
  };
}
