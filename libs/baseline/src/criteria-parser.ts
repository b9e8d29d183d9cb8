import type { SemanticModel } from '@t2s/semantic';
import { createParseContext, type ParseContext } from './parser/context';
import { parseFragment } from './parser/parse-fragment';
import type { ParsedCriterion } from './parser/parse-types';
import { anaphora } from './parser/steps/anaphora';
import { fragmentSpans, splitFragments } from './parser/words';
import { screenText, showWithin, type HostileSpan } from './text/hostile-text';

export type { ParsedCriterion };
export { splitFragments };

export interface ParseResult {
  criteria: ParsedCriterion[];
  /** Fragments (or parts of them) that map to no warehouse data; shown on the segment, never dropped. */
  unparsed: string[];
  /** The share (0..1) of the text's content words a criterion read; 1 for a text with none. */
  coverage: number;
}

/**
 * Criteria text (Russian or English) to the representation, driven by the semantic model: attribute
 * words, coded values from the catalog's comments and labels, real values from the value index; numbers
 * with units, ranges and comparisons, time windows, "per month", negation; Russian inflection through
 * the Snowball stemmer. What it cannot map is returned as `unparsed`, never dropped.
 *
 * The text is screened for hostile content and split into fragments; each fragment goes through the
 * steps of parser/parse-fragment.ts over the context built once here (parser/context.ts). No state is
 * kept between calls.
 */
/** A heading that says the list under it is left out. */
const EXCLUSION_HEADING =
  /^\s*(?:кроме|исключить|исключая|за исключением|не берём|не берем|не брать|не включать|except|exclude|excluding|do not include|leave out)\s*:\s*$/i;

export class CriteriaParser {
  private readonly context: ParseContext;

  constructor(model: SemanticModel) {
    this.context = createParseContext(model);
  }

  /**
   * `explicit`: only attributes the text names, with their own numbers (for offers, whose text is full of
   * rates, terms and limits that are not audience criteria): no unit defaults, no implied attributes, and
   * a numeric attribute without a number is dropped rather than read as "more than 0".
   */
  parse(text: string, idPrefix = 'c', options: { explicit?: boolean } = {}): ParseResult {
    const explicit = options.explicit === true;
    const criteria: ParsedCriterion[] = [];
    const unparsed: string[] = [];
    let content = 0;
    let read = 0;
    // Hostile text (SQL, escape sequences, invisible characters, quote debris) is blanked before anything
    // is read, and reported where it is, with its invisible characters shown.
    const { masked, spans } = screenText(text);
    const outside = [...spans];
    const reportBefore = (at: number) => {
      while (outside.length > 0 && (outside[0] as HostileSpan).start < at)
        unparsed.push((outside.shift() as HostileSpan).shown);
    };
    // "Исключить:", "Exclude:" on a line of its own: the list under it is left out.
    let excludeList = false;
    for (const span of fragmentSpans(masked)) {
      // The fragment takes in the hostile spans of its piece of text ("возраст больше pg_sleep(10)").
      const inside = outside.filter((s) => s.start >= span.piece.start && s.end <= span.piece.end);
      const start = Math.min(span.start, ...inside.map((s) => s.start));
      const end = Math.max(span.end, ...inside.map((s) => s.end));
      reportBefore(start);
      outside.splice(outside.indexOf(inside[0] as HostileSpan), inside.length);
      const fragment = masked.slice(start, end);
      const shown = showWithin(text, spans, start, end);
      const narrowed = anaphora(this.context.model, fragment, criteria.at(-1), shown);
      if (narrowed) {
        criteria[criteria.length - 1] = narrowed;
        unparsed.push(...inside.map((s) => s.shown));
        continue;
      }
      if (EXCLUSION_HEADING.test(fragment)) {
        excludeList = true;
        continue;
      }
      // The list under such a heading runs while its lines are bullets.
      excludeList &&= span.start > span.piece.start;
      const result = parseFragment(this.context, {
        raw: fragment,
        original: text.slice(start, end),
        hostile: inside.map((s) => ({ ...s, start: s.start - start, end: s.end - start })),
        explicit,
        ...(excludeList ? { excluded: true } : {}),
      });
      for (const c of result.criteria) {
        criteria.push({
          text: shown,
          spec: { id: `${idPrefix}${criteria.length + 1}`, kind: c.kind, expr: c.expr },
        });
      }
      unparsed.push(...result.unparsed);
      content += result.content;
      read += result.read;
    }
    reportBefore(Infinity);
    // Hostile text read nothing: each stretch counts as one unread word.
    const hostile = spans.length;
    return { criteria, unparsed, coverage: content + hostile === 0 ? 1 : read / (content + hostile) };
  }
}
