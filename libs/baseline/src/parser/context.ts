// What the parser's steps read. A `ParseContext` is built once per parser from the semantic model and
// never changes during a parse; a fragment's context grows stage by stage, each stage a new readonly
// object (`FragmentInput` -> `PreparedText` -> `MarkedText` -> `FragmentContext`), so a step can be
// inserted between two others by taking one stage and returning the same stage (a text rewrite that
// keeps character offsets between `prepareText` and `findMarks`; a step adding mentions after
// `findMentions`).
import { CompileError, CriteriaCompiler, type SemanticModel } from '@t2s/semantic';
import type { LexEntry } from '../lexicon';
import type { ComparisonMention, Mark, WindowMention } from '../text/quantities';
import type { DateMention } from '../text/dates';
import type { HostileSpan } from '../text/hostile-text';
import type { Token } from '../text/tokens';
import { lexiconIndex, type LexiconIndex } from './lexicon-index';
import { linkerOf, type Linker } from './value-linker';
import { yearColumnFamilies, type YearColumn } from './year-columns';
import type { Mention } from './parse-types';

/** The model and what is derived from it once: the lexicon by first stem, the compiler, vocabularies. */
export interface ParseContext {
  readonly model: SemanticModel;
  readonly compiler: CriteriaCompiler;
  readonly lexicon: LexiconIndex;
  /** What the second reading links unread words to (values and attributes), built on first use. */
  readonly linker: () => Linker;
  /** Columns that are one measure in several years, by column, built on first use. */
  readonly yearColumns: () => ReadonlyMap<string, readonly YearColumn[]>;
}

export function createParseContext(model: SemanticModel): ParseContext {
  const lexicon = lexiconIndex(model);
  return {
    model,
    compiler: new CriteriaCompiler(model),
    lexicon,
    linker: linkerOf(model, lexicon.columnStems.keys()),
    yearColumns: once(() => yearColumnFamilies(model)),
  };
}

function once<T>(build: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: build() }).v;
}

/** One fragment as the sentence-level parse hands it over. */
export interface FragmentInput {
  /** The fragment with hostile spans blanked (same offsets as written). */
  readonly raw: string;
  /** The fragment as written, for what is reported. */
  readonly original: string;
  /** Hostile spans (offsets in the fragment), reported with what was not read. */
  readonly hostile: readonly HostileSpan[];
  /**
   * Only attributes the text names, with their own numbers (for offers, whose text is full of rates,
   * terms and limits that are not audience criteria): no unit defaults, no implied attributes, and a
   * numeric attribute without a number is dropped rather than read as "more than 0".
   */
  readonly explicit: boolean;
  /** Under a heading that leaves its list out ("Исключить:"): the fragment's criteria exclude. */
  readonly excluded?: boolean;
}

/** The fragment normalised, as every later offset reads it. */
export interface PreparedText extends FragmentInput {
  /** Lower case, same length and offsets as `raw`; stretches that say nothing blanked to spaces. */
  readonly text: string;
  /** The fragment opened with "кроме", "except": its criteria exclude. */
  readonly excludeAll: boolean;
}

/** Words, numbers and time expressions of the fragment. */
export interface MarkedText extends PreparedText {
  readonly tokens: readonly Token[];
  /** "за последние 3 месяца", "6 месяцев до этого", or the model's "recently". */
  readonly windows: readonly WindowMention[];
  /** The fragment's window: the first one written. */
  readonly window: WindowMention | undefined;
  /** "в месяц", "ежемесячно". */
  readonly perMonth: readonly Mark[];
  /** Phrases that qualify a number without naming anything ("в среднем"). */
  readonly fillers: readonly Mark[];
  /** Years, dates and date ranges ("в 1997 году", "before 1950", "с 01.07.1997 по 31.12.1997"). */
  readonly periods: readonly ComparisonMention[];
  /** Dates an attribute is taken at ("as of 31 Dec 1998", "на 01.01.1999"), with their lead words. */
  readonly asOf: readonly DateMention[];
  /** Numbers with their comparison words and units, in text order; hostile numbers `unreadable`. */
  readonly comparisons: readonly ComparisonMention[];
  /** Words of numbers ("1 million"): they name no value or column. */
  readonly numbers: readonly Mark[];
}

/** The fragment with its mentions of attributes, values and columns. */
export interface FragmentContext extends MarkedText {
  /** In text order; each names one lexicon entry (values of the same words: one per column). */
  readonly mentions: readonly Mention[];
  /** Article-like values ("рейтинг A") that count only next to their column's name. */
  readonly fillerValues: readonly Mention[];
}

/** The table a column's rows are counted from, as the compiler starts a condition on it. */
export function startOf(ctx: ParseContext, column: string): string {
  const probe = ctx.compiler.expr({
    type: 'related',
    quantifier: 'some',
    where: { column, cmp: { op: 'is_null' } },
  });
  const match = /from \S+\.(?:"?)([a-z_0-9]+)"? t0/.exec(probe);
  if (!match) throw new CompileError(`No start table for ${column}`);
  return match[1] as string;
}

/** Column mentions of the fragment. */
export function columnMentions(frag: FragmentContext): Mention[] {
  return frag.mentions.filter((m) => m.entry.kind === 'column');
}

/** The columns the fragment names ("рейтинг", "debt to income pct"). */
export function mentionedColumns(frag: FragmentContext): ReadonlySet<string> {
  return new Set(columnMentions(frag).map((m) => (m.entry as Extract<LexEntry, { kind: 'column' }>).column));
}

/**
 * What the first reading took or set aside as naming nothing: mentions, article-like values, windows,
 * "per month", fillers, numbers, comparisons and periods. A word outside them is open to later readings.
 */
export function takenMarks(frag: FragmentContext): Mark[] {
  return [
    ...frag.mentions,
    ...frag.fillerValues,
    ...frag.windows,
    ...frag.perMonth,
    ...frag.fillers,
    ...frag.numbers,
    ...frag.comparisons,
    ...frag.periods,
  ];
}

/** Value mentions, with the article-like values whose column the fragment names and nothing else covers. */
export function valueMentions(frag: FragmentContext): Mention[] {
  const named = mentionedColumns(frag);
  const revived = frag.fillerValues.filter(
    (v) =>
      named.has((v.entry as Extract<LexEntry, { kind: 'value' }>).column) &&
      !frag.mentions.some((m) => !(v.last < m.first || v.first > m.last)),
  );
  return [...frag.mentions.filter((m) => m.entry.kind === 'value'), ...revived];
}
