// Step: which year's column a measure of several years is ("unemployment rate in 1996 above 5%").
// Reads: the column mentions, the year periods of the fragment, the model's year-column families.
// Produces: a column mention of a family switched to the member of the year a period within 40
// characters names, spanning the period's words, and that period taken out of the fragment's periods.
import type { LexEntry } from '../../lexicon';
import type { ComparisonMention } from '../../text/quantities';
import { distance } from '../conditions';
import type { FragmentContext, ParseContext } from '../context';

export function yearColumns(ctx: ParseContext, frag: FragmentContext): FragmentContext {
  if (frag.periods.length === 0) return frag;
  const families = ctx.yearColumns();
  let periods = frag.periods;
  const mentions = frag.mentions.map((mention) => {
    if (mention.entry.kind !== 'column') return mention;
    const family = families.get(mention.entry.column);
    if (!family) return mention;
    const period = periods
      .map((p) => ({ p, year: wholeYear(p), d: distance(mention, p, frag.text) }))
      .filter((x) => x.year !== undefined && x.d <= 40 && family.some((m) => m.year === x.year))
      .sort((a, b) => a.d - b.d)[0];
    if (!period) return mention;
    const member = family.find((m) => m.year === period.year) as (typeof family)[number];
    periods = periods.filter((p) => p !== period.p);
    const entry: LexEntry = { ...mention.entry, column: member.column };
    // The year's words are the column's now ("в 1996 году").
    return {
      ...mention,
      entry,
      start: Math.min(mention.start, period.p.start),
      end: Math.max(mention.end, period.p.end),
    };
  });
  return periods === frag.periods ? frag : { ...frag, mentions, periods };
}

/** The year a period is, when it is one whole calendar year ("in 1996", "в 1996 году"). */
function wholeYear(period: ComparisonMention): number | undefined {
  const cmp = period.cmp;
  if (cmp.op !== 'between' || typeof cmp.min !== 'string' || typeof cmp.max !== 'string') return undefined;
  const year = cmp.min.slice(0, 4);
  return cmp.min === `${year}-01-01` && cmp.max === `${year}-12-31` ? Number(year) : undefined;
}
