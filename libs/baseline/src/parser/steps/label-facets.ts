// Step: words of a coded list's phrased labels that no whole label took.
// Reads: the fragment's tokens and mentions, the marks whose words name nothing, the words of the labels
// of short coded lists (`LabelWords`), and whether the fragment names the list's column.
// Produces: the mentions, with the values such words single out where no value of the column was read
// ("running loans": the two running statuses of Berka's loan, 'OK so far' and 'in debt'); and the
// fillers, with words that agree with a value of the column that was read ("still running, but in
// debt": the debt status; "running" says nothing more). A word that a row is in force stands for any
// other ("действующий кредит": running).
import { isStopWord } from '@t2s/lexicon';
import type { LexEntry } from '../../lexicon';
import type { Mark } from '../../text/quantities';
import { phraseStems, type Token } from '../../text/tokens';
import { takenMarks, valueMentions, type FragmentContext, type ParseContext } from '../context';
import { namedInContext } from '../named-in-context';
import type { Mention } from '../parse-types';
import { FILLER, IN_FORCE, NEGATIONS } from '../words';

type ValueEntry = Extract<LexEntry, { kind: 'value' }>;
type ByStem = ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;

const inForceCode = (value: string): boolean =>
  phraseStems(value.toLowerCase().replace(/_/g, ' ')).some((stem) => IN_FORCE.has(stem));

/**
 * The coded columns a word is a label word of, by column, with the values; a word that a row is in force
 * ("действующий", "active") stands for any other ("running": Berka's loan running, OK or in debt).
 */
function labelColumns(byStem: ByStem, stem: string): ReadonlyMap<string, ReadonlySet<string>> {
  if (!IN_FORCE.has(stem)) return byStem.get(stem) ?? new Map();
  // By how many such words label each value: "действует" (ACTIVE) and "истёк срок действия" (EXPIRED)
  // share a stem, but only ACTIVE is spelt "active".
  const votes = new Map<string, Map<string, number>>();
  for (const same of IN_FORCE)
    for (const [column, values] of byStem.get(same) ?? []) {
      const counts = votes.get(column) ?? new Map<string, number>();
      // A code that is such a word itself ("ACTIVE") counts once more.
      for (const value of values)
        counts.set(value, (counts.get(value) ?? 0) + 1 + (inForceCode(value) ? 1 : 0));
      votes.set(column, counts);
    }
  const merged = new Map<string, Set<string>>();
  for (const [column, counts] of votes) {
    const most = Math.max(...counts.values());
    merged.set(column, new Set([...counts].filter(([, n]) => n === most).map(([value]) => value)));
  }
  return merged;
}

export function labelFacets(ctx: ParseContext, frag: FragmentContext): FragmentContext {
  const { byStem, values: counts } = ctx.lexicon.labelWords;
  const taken = takenMarks(frag);
  // Open words by the coded columns their stems are label words of.
  const hits = new Map<string, { index: number; token: Token; values: ReadonlySet<string> }[]>();
  frag.tokens.forEach((token, index) => {
    if (
      token.kind !== 'word' ||
      FILLER.has(token.stem) ||
      NEGATIONS.has(token.text) ||
      isStopWord(token.text) ||
      taken.some((m) => token.start < m.end && m.start < token.end) ||
      // "opened an account": a verb of what was done, not a state ("open").
      (IN_FORCE.has(token.stem) && /[a-z]ed$/.test(token.text))
    )
      return;
    for (const [column, values] of labelColumns(byStem, token.stem))
      hits.set(column, [...(hits.get(column) ?? []), { index, token, values }]);
  });
  if (hits.size === 0) return frag;
  const read = valueMentions(frag);
  const added: Mention[] = [];
  const agreeing: Mark[] = [];
  for (const [column, words] of hits) {
    // Values read of the column, where the same words name no other column's value (whose column the
    // fragment's words may yet have to choose).
    const own = read.filter(
      (m) =>
        (m.entry as ValueEntry).column === column &&
        !read.some((o) => o.start === m.start && (o.entry as ValueEntry).column !== column),
    );
    const present = new Set(own.map((m) => (m.entry as ValueEntry).value));
    if (present.size > 0) {
      for (const w of words)
        if ([...w.values].some((v) => present.has(v)))
          agreeing.push({ start: w.token.start, end: w.token.end });
      continue;
    }
    // Each word votes for the values it is a label word of, the fewer the more.
    const score = new Map<string, number>();
    for (const w of words) for (const v of w.values) score.set(v, (score.get(v) ?? 0) + 1 / w.values.size);
    const best = Math.max(...score.values());
    const winners = [...score].filter(([, s]) => s === best).map(([v]) => v);
    // Words most values share single nothing out.
    if (winners.length * 2 > (counts.get(column) ?? 0)) continue;
    const support = words.filter((w) => winners.some((v) => w.values.has(v)));
    const first = Math.min(...support.map((w) => w.index));
    const last = Math.max(...support.map((w) => w.index));
    // One word of one value's label alone is the value linker's to judge ("fraud" of 'suspected fraud');
    // here a word speaks for the values it shares, or words together for one, and only where the
    // fragment names the column ("running loan").
    if (winners.length === 1 && support.length === 1) continue;
    if (!namedInContext(ctx, frag, { column }, first, last)) continue;
    const lead = support.find((w) => w.index === first) as (typeof support)[number];
    // "not paid back", "except suspected fraud": a negated label word is left to the readings that know
    // negation.
    if (
      [frag.tokens[first - 1], frag.tokens[first - 2]].some(
        (t) => t && (NEGATIONS.has(t.text) || t.text === 'exclude'),
      )
    )
      continue;
    for (const value of winners) {
      const entry = ctx.lexicon.labelWords.entries.get(`${column}=${value}`);
      if (entry)
        added.push({
          entry,
          negated: false,
          start: lead.token.start,
          end: lead.token.end,
          first,
          last: first,
        });
    }
    for (const w of support) if (w !== lead) agreeing.push({ start: w.token.start, end: w.token.end });
  }
  if (added.length === 0 && agreeing.length === 0) return frag;
  return {
    ...frag,
    mentions: [...frag.mentions, ...added].sort((a, b) => a.start - b.start),
    fillers: [...frag.fillers, ...agreeing],
  };
}
