import type { CriterionSpec, RowCondition } from '@t2s/semantic';
import type { LexEntry } from '../lexicon';
import type { ComparisonMention, Mark, WindowMention } from '../text/quantities';

/** A stretch of the text naming an attribute, a value or a column. */
export interface Mention extends Mark {
  entry: LexEntry;
  negated: boolean;
  /** Where the negation word is, when `negated`. */
  negationAt?: number;
  /** Where the mention's own words start, when `start` was moved back to a negation before them. */
  wordStart?: number;
  /** Token index range, for adjacency. */
  first: number;
  last: number;
}

/** What becomes one criterion: an attribute (or values, or a column) with its number, window and refinements. */
export interface Group {
  attr: Mention | undefined;
  /** A second, opposite bound ("старше 18, но младше 30"). */
  cmp2?: ComparisonMention;
  /** For groups without an attribute: the criterion excludes (a negated yes/no column). */
  negated?: boolean;
  /** Conditions folded in from a yes/no attribute over the same rows. */
  extraWhere: RowCondition[];
  values: Mention[];
  cmp: ComparisonMention | undefined;
  window: WindowMention | undefined;
  perMonth: boolean;
  /** "more than 2 cards": the comparison counts the held product's rows. */
  countRows?: boolean;
  /** "as of 1 January 1999": the ISO day the attribute is taken at instead of the warehouse's "now". */
  asOf?: string;
  /** Numbers read for the group by a guess (far from it, no unit of its own): reported as well. */
  unsure?: Mark[];
  marks: Mark[];
}

export interface ParsedCriterion {
  /** The fragment of the text this criterion came from. */
  text: string;
  spec: CriterionSpec;
}
