// Step: the day the text takes its criteria at ("aged 25 to 35 as of 1 January 1999", "старше 40 лет на
// конец 1998 года", "кредит выдан за последние 12 месяцев по состоянию на 31.12.1998").
// Reads: the fragment's reference dates, its windows, the groups, the model's attributes.
// Produces: `datedWindows`: the fragment's windows ending on the written day instead of the report
// date. `asOf`: groups whose attribute is a value of the warehouse's "now" (an age, a tenure) taken at
// that day, and the date's marks when anything took it. A reference date nothing takes is left unread
// (and reported).
import type { Mark } from '../../text/quantities';
import type { FragmentContext } from '../context';
import { attributeOf, cloneGroups } from '../groups';
import type { Group } from '../parse-types';

/** The fragment with its windows ending on its reference date (the last written), if it has both. */
export function datedWindows(frag: FragmentContext): FragmentContext {
  const day = frag.asOf.at(-1)?.date;
  if (!day || frag.windows.length === 0) return frag;
  const windows = frag.windows.map((w) => ({ ...w, asOf: day }));
  return { ...frag, windows, window: windows[0] };
}

export function asOf(frag: FragmentContext, input: readonly Group[]): { groups: Group[]; used: Mark[] } {
  const day = frag.asOf.at(-1)?.date;
  if (!day) return { groups: [...input], used: [] };
  const groups = cloneGroups(input);
  const dated = groups.filter((g) => {
    const m = attributeOf(g)?.measure;
    return m?.kind === 'scalar' && m.sql.includes('{now}');
  });
  for (const group of dated) group.asOf = day;
  const taken = dated.length > 0 || groups.some((g) => g.window?.asOf);
  return { groups, used: taken ? [...frag.asOf] : [] };
}
