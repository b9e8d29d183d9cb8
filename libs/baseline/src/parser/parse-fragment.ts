// The criteria parser's steps over one fragment, in order. Each step is a pure function in steps/: it
// reads the fragment's context and the groups so far and returns new ones (see context.ts for the
// stages of the context, groups.ts for how groups are passed on). A new step is a file in steps/ whose
// header says what it reads and produces, called here where what it reads is ready: a text rewrite
// that keeps offsets takes and returns a `PreparedText` before `findMarks`; a step adding mentions
// takes and returns a `FragmentContext` after `findMentions`; a reading over the groups takes and
// returns groups. Behaviour is pinned by the specs and by libs/baseline/bench/parser-diff.ts.
import type { Mark } from '../text/quantities';
import { readsTime } from './conditions';
import type { FragmentContext, FragmentInput, ParseContext } from './context';
import type { Group } from './parse-types';
import { asOf, datedWindows } from './steps/as-of';
import { assignComparisons } from './steps/assign-comparisons';
import { assignWindows } from './steps/assign-windows';
import { attachValues } from './steps/attach-values';
import { attributeGroups } from './steps/attribute-groups';
import { booleanColumns } from './steps/boolean-columns';
import { build, type BuiltCriterion } from './steps/build';
import { datePeriods } from './steps/date-periods';
import { dropEchoes } from './steps/drop-echoes';
import { elaborations } from './steps/elaborations';
import { feeColumns } from './steps/fee-columns';
import { femininePersons } from './steps/feminine-persons';
import { findMarks } from './steps/find-marks';
import { findMentions } from './steps/find-mentions';
import { foldColumns } from './steps/fold-columns';
import { foldProducts } from './steps/fold-products';
import { instruments } from './steps/instruments';
import { glueVerbs } from './glue-verbs';
import { readVocabulary } from './read-vocabulary';
import { labelFacets } from './steps/label-facets';
import { partialLabels } from './steps/partial-labels';
import { leftovers } from './steps/leftovers';
import { linkedValues } from './steps/linked-values';
import { orderedValues } from './steps/ordered-values';
import { notANewOne } from './steps/new-one';
import { phrasedComparisons } from './steps/phrased-comparisons';
import { prepareText } from './steps/prepare-text';
import { productAmounts } from './steps/product-amounts';
import { ratio } from './steps/ratio';
import { fractionWords, share } from './steps/shares';
import { transitions } from './steps/transitions';
import { setAsideUnreadable } from './steps/unreadable';
import { valueGroups } from './steps/value-groups';
import { yearColumns } from './steps/year-columns';

export interface FragmentResult {
  criteria: BuiltCriterion[];
  /** What the fragment says that was not read, as written. */
  unparsed: string[];
  /** Content words of the fragment, and how many of them a criterion read. */
  content: number;
  read: number;
}

/**
 * One fragment. Words the model's own lexicon leaves unread get a second chance: the value linker
 * reads them as values written in another case, script or language, and the fragment is read again
 * with those values. A fragment the lexicon reads whole is never touched by the linker.
 */
export function parseFragment(ctx: ParseContext, input: FragmentInput): FragmentResult {
  // The text, its numbers and windows, and what its words name: the same for both readings.
  const found = femininePersons(ctx, findMentions(ctx, findMarks(ctx, prepareText(ctx, input))));
  const first = readFragment(ctx, found, []);
  if (first.open.length === 0) return first;
  const second = readFragment(ctx, found, first.open);
  return second.read > first.read ? second : first;
}

function readFragment(
  ctx: ParseContext,
  found: FragmentContext,
  linkable: readonly Mark[],
): FragmentResult & { open: Mark[] } {
  let frag = elaborations(
    yearColumns(
      ctx,
      datedWindows(
        orderedValues(ctx, labelFacets(ctx, partialLabels(ctx, linkedValues(ctx, found, linkable)))),
      ),
    ),
  );

  // Mentions into groups, each a criterion to be: attributes with their numbers, windows and values.
  let groups: readonly Group[] = attributeGroups(frag);
  groups = assignComparisons(ctx, frag, groups);
  groups = phrasedComparisons(groups);
  groups = instruments(ctx, frag, groups);
  groups = assignWindows(frag, groups);
  const attached = attachValues(ctx, frag, groups);
  const moved = transitions(ctx, frag, attached.groups, attached.loose);
  groups = booleanColumns(frag, moved.groups);
  groups = feeColumns(ctx, frag, groups);
  groups = foldProducts(frag, groups);
  groups = productAmounts(ctx, frag, groups);
  groups = dropEchoes(ctx, groups);
  groups = valueGroups(ctx, frag, groups, moved.loose);

  // Constructions over the groups.
  const unreadable = setAsideUnreadable(frag, groups);
  ({ frag, groups } = ratio(frag, unreadable.groups));
  const dated = datePeriods(ctx, frag, groups);
  const dayTaken = asOf(frag, dated.groups);
  const { groups: rest, shared } = share(frag, dayTaken.groups);
  groups = shared ? rest : foldColumns(fractionWords(frag, rest));

  // Criteria, and what was not read.
  const built = build(ctx, frag, groups);
  const newOne = notANewOne(frag, built.groups);
  const criteria: BuiltCriterion[] = [
    ...(shared ? [{ kind: 'include' as const, expr: shared.expr }] : []),
    ...built.criteria,
    ...(newOne ? [newOne.criterion] : []),
  ];
  const used: Mark[] = [
    ...(shared?.marks ?? []),
    ...built.used,
    ...(newOne ? [newOne.mark] : []),
    ...dayTaken.used,
  ];
  const left = leftovers(frag, {
    criteria: criteria.length,
    windowed: criteria.some((c) => readsTime(c.expr)),
    groups: built.groups,
    placed: dated.placed,
    used,
    unread: unreadable.unread,
    names: readVocabulary(
      ctx,
      criteria.map((c) => c.expr),
    ),
    glue: glueVerbs(ctx, frag.tokens),
  });
  return { criteria, ...left };
}
