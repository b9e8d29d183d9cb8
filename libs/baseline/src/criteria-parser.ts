import type { SemanticModel } from '@t2s/semantic';
import { createParseContext, type ParseContext } from './parser/context';
import type { FragmentInput } from './parser/context';
import { parseFragment, type FragmentResult } from './parser/parse-fragment';
import type { ParsedCriterion } from './parser/parse-types';
import { anaphora } from './parser/steps/anaphora';
import { BULLET, fragmentSpans, splitFragments } from './parser/words';
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

/**
 * A first line that names a campaign or its list ("Travel insurance offer", "Gold card upgrade", "Second
 * chance list", "Вклад «Пенсионный плюс» — аудитория:") above a list: it says what the list is for, not
 * who is in it.
 */
const CAMPAIGN_HEADING =
  /(?<![\p{L}])(?:offer|campaign|promo(?:tion)?|upgrade|cross-sell|upsell|win-back|list|audience|предложени\p{L}*|акци[яи]|кампани\p{L}*|аудитори\p{L}*|промо|апгрейд|список)(?![\p{L}])/iu;

/** A heading whose words only name the list under it (what it is for aside). */
const LIST_HEADING =
  /^\s*(?:the\s+|our\s+|целевая\s+|наша\s+)?(?:segment|audience|target(?: group| audience)?|selection|list|criteria|сегмент|аудитория|целевая группа|группа|выборка|список|критерии)(?:\s+(?:для|под|for)\s[^:]*)?\s*:\s*$/i;

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
    // The fragment read last, where a fragment that reads nothing by itself may go on.
    let last: ReadFragment | undefined;
    const all = fragmentSpans(masked);
    const bullet = (s: (typeof all)[number]) => BULLET.test(masked.slice(s.piece.start));
    for (const [index, span] of all.entries()) {
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
        last = undefined;
        continue;
      }
      // "Segment for the cashback card:", "Целевая аудитория:": a heading that names the list under it.
      // So does a line that ends in a colon above a list and reads nothing by itself ("Клиенты без
      // кредитной нагрузки:"): the list says what it means.
      const inputOf = (): FragmentInput => ({
        raw: fragment,
        original: text.slice(start, end),
        hostile: inside.map((s) => ({ ...s, start: s.start - start, end: s.end - start })),
        explicit,
        ...(excludeList ? { excluded: true } : {}),
      });
      const aboveList =
        index === 0 &&
        !bullet(span) &&
        /^[\s:]*\n/.test(masked.slice(span.end)) &&
        all.slice(1).every(bullet);
      // Read once: a first line that turns out no heading is read as it was here.
      let early: FragmentResult | undefined;
      const heading =
        aboveList &&
        (CAMPAIGN_HEADING.test(fragment) ||
          (/:\s*$/.test(masked.slice(span.start, masked.indexOf('\n', span.end))) &&
            (early = parseFragment(this.context, inputOf())).criteria.length === 0));
      if (heading || LIST_HEADING.test(fragment)) {
        last = undefined;
        continue;
      }
      if (EXCLUSION_HEADING.test(fragment)) {
        excludeList = true;
        last = undefined;
        continue;
      }
      // The list under such a heading runs while its lines are bullets.
      excludeList &&= span.start > span.piece.start;
      const input = inputOf();
      let result = early ?? parseFragment(this.context, input);
      let fragmentShown = shown;
      const joined = last && result.criteria.length === 0 ? continuation(this.context, last, input) : null;
      if (last && joined) {
        // The fragment goes on the one before it ("* сумма — свыше 100 000 ₽" under "* покупки за рубежом"):
        // that fragment's criteria and reports are read again with it.
        criteria.splice(last.criteriaAt);
        unparsed.splice(last.unparsedAt);
        content -= last.result.content;
        read -= last.result.read;
        result = joined.result;
        fragmentShown = `${last.shown}; ${shown.trim()}`;
      }
      const at = { criteriaAt: criteria.length, unparsedAt: unparsed.length };
      for (const c of result.criteria) {
        criteria.push({
          text: fragmentShown,
          spec: { id: `${idPrefix}${criteria.length + 1}`, kind: c.kind, expr: c.expr },
        });
      }
      unparsed.push(...result.unparsed);
      content += result.content;
      read += result.read;
      last = { ...at, input: joined?.input ?? input, result, shown: fragmentShown };
    }
    reportBefore(Infinity);
    // Hostile text read nothing: each stretch counts as one unread word.
    const hostile = spans.length;
    return { criteria, unparsed, coverage: content + hostile === 0 ? 1 : read / (content + hostile) };
  }
}

/** A fragment as it was read, and where its criteria and reports start in the text's lists. */
interface ReadFragment {
  input: FragmentInput;
  result: FragmentResult;
  shown: string;
  criteriaAt: number;
  unparsedAt: number;
}

/**
 * A fragment that made no criterion of its own (a window, an amount, a qualifier on a line of its own:
 * "* за последний месяц", "* сумма — свыше 100 000 ₽") read as going on the fragment before it, if the
 * two read together read more of their words and report no more.
 * Null when they do not.
 */
function continuation(
  ctx: ParseContext,
  before: ReadFragment,
  input: FragmentInput,
): { input: FragmentInput; result: FragmentResult } | null {
  if (before.result.criteria.length === 0 || before.input.excluded !== input.excluded) return null;
  const glue = ', ';
  const shift = before.input.raw.length + glue.length;
  const together: FragmentInput = {
    ...before.input,
    raw: before.input.raw + glue + input.raw,
    original: before.input.original + glue + input.original,
    hostile: [
      ...before.input.hostile,
      ...input.hostile.map((h) => ({ ...h, start: h.start + shift, end: h.end + shift })),
    ],
  };
  const result = parseFragment(ctx, together);
  const better =
    result.criteria.length > 0 &&
    result.read > before.result.read &&
    result.unparsed.length <= before.result.unparsed.length;
  return better ? { input: together, result } : null;
}
