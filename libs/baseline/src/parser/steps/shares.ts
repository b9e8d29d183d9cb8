// Steps: shares ("больше половины", "more than 60% of").
// `share` reads the groups, `text` and the fragment's window, and produces "Онлайн-покупки — больше
// половины всех покупок по картам", "more than 60% of purchases online": a counted or summed attribute
// and a yes/no column of the same rows as one aggregate with `share` (the two groups taken out).
// `fractionWords` reads the groups and `text`, and produces "Доля акций в портфеле больше половины": a
// share named in words as the comparison of an attribute that is itself a share or a percentage.
import type { Comparison, Expr, RowCondition } from '@t2s/semantic';
import type { LexEntry } from '../../lexicon';
import type { ComparisonMention, Mark } from '../../text/quantities';
import { conditionColumns, valueCondition } from '../conditions';
import type { FragmentContext } from '../context';
import { cloneGroups } from '../groups';
import type { Group } from '../parse-types';

// "больше половины", "more than a third of": a share named in words.
const SHARE_WORDS =
  /(не менее|не меньше|не более|не больше|больше|более|свыше|меньше|менее|at least|at most|more than|less than|over|under)\s+(половин[аыу]|трети|треть|четверти|четверть|двух третей|half|a third|one third|a quarter|two thirds)(?:\s+(?:всех|of all|of))?(?![a-zа-я])/;
const FRACTIONS: [RegExp, number][] = [
  [/^(половин|half)/, 0.5],
  [/^(двух трет|two thirds)/, 2 / 3],
  [/^(трет|a third|one third)/, 1 / 3],
  [/^(четверт|a quarter)/, 0.25],
];

function shareOp(words: string): 'gt' | 'gte' | 'lt' | 'lte' {
  if (/^(не менее|не меньше|at least)/.test(words)) return 'gte';
  if (/^(не более|не больше|at most)/.test(words)) return 'lte';
  if (/^(меньше|менее|less than|under)/.test(words)) return 'lt';
  return 'gt';
}

/** The share of a whole its rows of one kind make up, if the fragment says one. */
export function share(
  frag: FragmentContext,
  groups: readonly Group[],
): { groups: readonly Group[]; shared: { expr: Expr; marks: Mark[] } | null } {
  const { text } = frag;
  const words = SHARE_WORDS.exec(text);
  const whole = groups.find((g) => {
    const m = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr.measure;
    return m?.kind === 'aggregate' && (m.fn === 'count' || m.fn === 'sum');
  });
  const attr = (whole?.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
  const m = attr?.measure;
  if (!whole || !attr || m?.kind !== 'aggregate') return { groups, shared: null };
  const part = groups.find(
    (g) =>
      g !== whole &&
      !g.attr &&
      g.values.length === 0 &&
      g.extraWhere.length > 0 &&
      g.extraWhere.every((c) => conditionColumns(c).every((col) => col.startsWith(`${m.table}.`))),
  );
  if (!part) return { groups, shared: null };
  let cmp: Comparison | undefined;
  if (words) {
    const fraction = FRACTIONS.find(([pattern]) => pattern.test(words[2] as string))?.[1] ?? 0.5;
    cmp = { op: shareOp(words[1] as string), value: fraction };
  } else if (
    whole.cmp?.unit === 'percent' &&
    'value' in whole.cmp.cmp &&
    typeof whole.cmp.cmp.value === 'number'
  ) {
    cmp = { ...whole.cmp.cmp, value: whole.cmp.cmp.value / 100 } as Comparison;
  }
  if (!cmp) return { groups, shared: null };
  const rows = [m.where, valueCondition(whole.values), ...whole.extraWhere].filter(
    (c): c is RowCondition => c !== undefined,
  );
  const span = whole.window?.span ?? frag.window?.span;
  const window = m.window ? (span ? { ...m.window, last: span } : m.window) : undefined;
  const expr: Expr = {
    type: 'aggregate',
    table: m.table,
    fn: m.fn,
    ...(m.fn === 'sum' && m.column ? { column: m.column } : {}),
    ...(rows.length ? { where: rows.length === 1 ? (rows[0] as RowCondition) : { all: rows } } : {}),
    ...(window ? { window } : {}),
    share: part.extraWhere.length === 1 ? (part.extraWhere[0] as RowCondition) : { all: part.extraWhere },
    cmp,
  };
  const marks: Mark[] = [...whole.marks, ...part.marks];
  if (words) marks.push({ start: words.index, end: words.index + words[0].length });
  return { groups: groups.filter((g) => g !== whole && g !== part), shared: { expr, marks } };
}

/** A share in words as the comparison of the first share or percentage attribute with no number. */
export function fractionWords(frag: FragmentContext, input: readonly Group[]): readonly Group[] {
  const words = SHARE_WORDS.exec(frag.text);
  if (!words) return input;
  const groups = cloneGroups(input);
  const group = groups.find((g) => {
    const unit = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr.unit;
    return g.cmp === undefined && (unit === 'percent' || unit === 'share');
  });
  if (!group) return input;
  const percent = (group.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr.unit === 'percent';
  const fraction = FRACTIONS.find(([pattern]) => pattern.test(words[2] as string))?.[1] ?? 0.5;
  const cmp: ComparisonMention = {
    cmp: { op: shareOp(words[1] as string), value: percent ? Math.round(fraction * 10_000) / 100 : fraction },
    start: words.index,
    end: words.index + words[0].length,
  };
  group.cmp = cmp;
  group.marks.push(cmp);
  return groups;
}
