// Step: which year's column a measure of several years is ("unemployment rate in 1996 above 5%").
// Reads: the column mentions, the year periods of the fragment, its bare years ("the 1996 unemployment
// rate"), the model's year-column families.
// Produces: a column mention of a family switched to the member of the year a period within 40
// characters names, or a bare year right beside it, spanning the year's words, and that period taken
// out of the fragment's periods.
import type { LexEntry } from '../../lexicon';
import type { ComparisonMention } from '../../text/quantities';
import { distance } from '../conditions';
import type { FragmentContext, ParseContext } from '../context';

export function yearColumns(ctx: ParseContext, frag: FragmentContext): FragmentContext {
  const families = ctx.yearColumns();
  if (families.size === 0) return frag;
  // A year no period, comparison or date holds, as a period of that whole year.
  const held = [...frag.periods, ...frag.comparisons, ...frag.asOf];
  const bare: ComparisonMention[] = frag.tokens
    .filter((t) => t.kind === 'number' && /^(?:19|20)\d\d$/.test(t.text))
    .filter((t) => !held.some((m) => t.start < m.end && m.start < t.end))
    .map((t) => ({
      cmp: { op: 'between' as const, min: `${t.text}-01-01`, max: `${t.text}-12-31` },
      start: t.start,
      // "1996 года": the year's word is the year's.
      end: t.end + (/^\s*(?:года|году|г\.|year)(?![a-zа-яё])/.exec(frag.text.slice(t.end))?.[0].length ?? 0),
    }));
  if (frag.periods.length === 0 && bare.length === 0) return frag;
  let periods = frag.periods;
  let years = bare;
  const mentions = frag.mentions.map((mention) => {
    if (mention.entry.kind !== 'column') return mention;
    const family = families.get(mention.entry.column);
    if (!family) return mention;
    const period = [
      ...periods.map((p) => ({ p, near: 40 })),
      // "the 1996 unemployment rate", "unemployment rate 1996": only right beside the column's words.
      ...years.map((p) => ({ p, near: 5 })),
    ]
      .map(({ p, near }) => ({ p, near, year: wholeYear(p), d: distance(mention, p, frag.text) }))
      .filter((x) => x.year !== undefined && x.d <= x.near && family.some((m) => m.year === x.year))
      .sort((a, b) => a.d - b.d)[0];
    if (!period) return mention;
    const member = family.find((m) => m.year === period.year) as (typeof family)[number];
    periods = periods.filter((p) => p !== period.p);
    years = years.filter((p) => p !== period.p);
    const entry: LexEntry = { ...mention.entry, column: member.column };
    // The year's words are the column's now ("в 1996 году").
    return {
      ...mention,
      entry,
      start: Math.min(mention.start, period.p.start),
      end: Math.max(mention.end, period.p.end),
    };
  });
  return periods === frag.periods && years === bare ? frag : { ...frag, mentions, periods };
}

/** The year a period is, when it is one whole calendar year ("in 1996", "в 1996 году"). */
function wholeYear(period: ComparisonMention): number | undefined {
  const cmp = period.cmp;
  if (cmp.op !== 'between' || typeof cmp.min !== 'string' || typeof cmp.max !== 'string') return undefined;
  const year = cmp.min.slice(0, 4);
  return cmp.min === `${year}-01-01` && cmp.max === `${year}-12-31` ? Number(year) : undefined;
}
