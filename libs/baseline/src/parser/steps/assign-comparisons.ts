// Step: each number of the fragment to what it is about.
// Reads: comparisons, attribute groups, column and value mentions, `explicit`, the model.
// Produces: groups with their comparison (and a second, opposite bound): a number goes to the nearest
// numeric attribute whose unit fits, preferring the same clause; words of the attribute's own label
// ("дети до 18 лет") are its marks. A number no attribute takes is read, in this order, as a numeric
// column's, a column's that counts the word after it, a held product's amount or count, a tenure, the
// attribute a value implies, or the model's default attribute for its unit (a bare number after people,
// or a bound a person's years may be: years of age). In `explicit` mode only tenures are read that way.
// Hostile numbers only go to an attribute no number went to.
import type { LexEntry } from '../../lexicon';
import type { Mark } from '../../text/quantities';
import { distance, isNumeric, opposite, unitPenalty } from '../conditions';
import { columnMentions, valueMentions, type FragmentContext, type ParseContext } from '../context';
import { columnHead } from '../../column-heads';
import { attributeOf, cloneGroups } from '../groups';
import { companion, countedColumn, impliedByValue, tenure, toColumn } from '../number-readings';
import type { Group, Mention } from '../parse-types';
import { normalize } from '../../text/tokens';
import { isMoney, unitsAgree } from '../../text/units';
import type { ComparisonMention } from '../../text/quantities';

/** People words that name a group of clients, not all of them. */
const GROUP_WORDS = ['youth', 'students', 'pensioners', 'seniors', 'молодежь', 'студенты', 'пенсионеры'];
const PEOPLE = new RegExp(
  `(?<![a-zа-я])(?:${['clients', 'customers', 'people', 'клиенты', 'клиентов', 'клиентам', 'люди', 'людей', ...GROUP_WORDS].join('|')})[\\s:—–-]*$`,
);
const GROUPS = new RegExp(GROUP_WORDS.join('|'));
/** The numbers a column's comment head writes ("per 1000 inhabitants": 1000). */
function headNumbers(ctx: ParseContext, ref: string): number[] {
  return (columnHead(ctx.model.graph.column(ref)?.comment).match(/\d+/g) ?? []).map(Number);
}

const sameNumber = (n: number, cmp: ComparisonMention): boolean => cmp.cmp.op === 'eq' && cmp.cmp.value === n;

/** A number with no unit written: bare digits, or a number word ("over fifty" counts nothing yet). */
const unitless = (cmp: ComparisonMention): boolean => cmp.unit === undefined || cmp.unit === 'count';

/** The same comparison, at another place of the text. */
const sameBound = (a: ComparisonMention, b: ComparisonMention): boolean =>
  a !== b && JSON.stringify(a.cmp) === JSON.stringify(b.cmp);

/** Characters between a number and its attribute beyond which the reading is a guess. */
const FAR = 25;

export function assignComparisons(
  ctx: ParseContext,
  frag: FragmentContext,
  input: readonly Group[],
): Group[] {
  const groups = cloneGroups(input);
  const { text } = frag;
  const perMonth = frag.perMonth.length > 0;
  const columns = columnMentions(frag);
  const values = valueMentions(frag);
  const numeric = groups.filter((g) => isNumeric(g.attr?.entry));
  // Numbers first: hostile text only takes a numeric attribute that none of them went to.
  for (const cmp of [
    ...frag.comparisons.filter((c) => !c.unreadable),
    ...frag.comparisons.filter((c) => c.unreadable),
  ]) {
    // "дети до 18 лет": words the attribute's own label says (children under 18) are the attribute's.
    const phrase = text.slice(cmp.start, cmp.end).trim();
    const owner = numeric.find((g) => {
      if (cmp.unreadable) return false;
      const attr = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
      const near = Math.min(...g.marks.map((m) => distance(m, cmp, text))) <= 20;
      return near && [attr.label.ru, attr.label.en].some((label) => normalize(label).includes(phrase));
    });
    if (owner && phrase.length > 3) {
      owner.marks.push(cmp);
      continue;
    }
    // "120 предпринимателей на 1000 жителей": a number the column's own comment says ("no. of
    // entrepreneurs per 1000 inhabitants") is its name's, not a condition.
    const named = groups.find((g) =>
      g.extraWhere.some((w) => 'column' in w && headNumbers(ctx, w.column).some((n) => sameNumber(n, cmp))),
    );
    if (named) {
      named.marks.push(cmp);
      continue;
    }
    // "в минусе (баланс отрицательный)", "положительный (больше нуля)": the same bound said again is
    // read with the first.
    const again = groups.find(
      (g) => [g.cmp, g.cmp2].some((c) => c !== undefined && sameBound(c, cmp)) && !cmp.unreadable,
    );
    if (again) {
      again.marks.push(cmp);
      continue;
    }
    // "Singles under 30 ... with an average balance of 2k": a bare number right after the people it is
    // about is their age, not an amount named further on.
    const ofPeople = unitless(cmp) && aboutPeople(ctx, values, cmp, text) !== undefined;
    // "IT specialists under 50 with a monthly income of 150k": a bound of a person's years with no unit
    // is no amount of money; "more than 20 transfers" counts what follows it.
    const counts = frag.mentions.some(
      (m) => m.start >= cmp.end && /^\s*$/.test(text.slice(cmp.end, m.start)),
    );
    const years = unitless(cmp) && cmp.cmp.op !== 'eq' && inYears(cmp) && !counts;
    let best: { group: Group; score: number } | undefined;
    for (const group of numeric) {
      // "старше 18, но младше 30": a second, opposite bound on the same attribute.
      if (group.cmp !== undefined && (group.cmp2 !== undefined || !opposite(group.cmp.cmp, cmp.cmp)))
        continue;
      const attr = (group.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
      const score =
        Math.min(...group.marks.map((m) => distance(m, cmp, text))) +
        unitPenalty(attr.unit, cmp.unit) +
        ((ofPeople || years) && isMoney(attr.unit) ? 1_000 : 0);
      if (!best || score < best.score) best = { group, score };
    }
    if (best && best.score < 1_000) {
      if (best.group.cmp === undefined) best.group.cmp = cmp;
      else best.group.cmp2 = cmp;
      best.group.marks.push(cmp);
      // A number far from the attribute it went to, with no unit of that attribute's, is a guess: it is
      // applied, and reported for the marketer to check.
      const far = Math.min(...best.group.marks.filter((m) => m !== cmp).map((m) => distance(m, cmp, text)));
      const attr = (best.group.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
      if (far > FAR && !(cmp.unit && unitsAgree(attr.unit, cmp.unit))) best.group.unsure = [cmp];
      continue;
    }
    // Hostile text no numeric attribute takes is no number of anything else either.
    if (cmp.unreadable) continue;
    // An offer's own numbers are terms and prices; "held … for at least a year" is still a tenure.
    if (frag.explicit) {
      if (cmp.cmp.op !== 'eq') tenure(ctx.model, groups, cmp, text);
      continue;
    }
    if (toColumn(groups, columns, cmp, text)) continue;
    if (countedColumn(ctx.model, groups, cmp, text)) continue;
    if (companion(ctx.model, groups, cmp, text)) continue;
    if (tenure(ctx.model, groups, cmp, text)) continue;
    if (impliedByValue(ctx.model, groups, values, cmp, text, perMonth)) continue;
    // "women over 35", "клиенты до 30": a bare number right after the people it is about is in years.
    const people = unitless(cmp) ? aboutPeople(ctx, values, cmp, text) : undefined;
    const unit = people || years ? 'year' : cmp.unit;
    const fallback = ctx.model
      .allAttributes()
      .find((a) => a.defaultForUnit !== undefined && unitsAgree(a.defaultForUnit, unit));
    // "under 25 or over 60": the second bound of the same default attribute.
    const bounded = groups.find(
      (g) =>
        g.attr?.first === -1 &&
        attributeOf(g)?.name === fallback?.name &&
        g.cmp !== undefined &&
        g.cmp2 === undefined &&
        opposite(g.cmp.cmp, cmp.cmp),
    );
    if (bounded) {
      bounded.cmp2 = cmp;
      bounded.marks.push(cmp);
    } else if (fallback) {
      const mention: Mention = {
        entry: { kind: 'attr', attr: fallback, stems: [] },
        negated: false,
        first: -1,
        last: -1,
        start: cmp.start,
        end: cmp.end,
      };
      groups.push({
        attr: mention,
        extraWhere: [],
        values: [],
        cmp,
        window: undefined,
        perMonth,
        marks: people ? [cmp, people] : [cmp],
      });
    }
  }
  restatedAge(ctx, frag, groups);
  return groups;
}

/** Words for people of an age only: "молодёжь" beside "младше 30" says the age again. */
const AGE_GROUP =
  /^(молодежь|молодежи|молодые|молодых|пожилые|пожилых|young|youth|youngsters|seniors|elderly)$/;

/**
 * "Молодёжь: младше 30 лет": a word for people of an age that names nothing of the model, in a fragment
 * whose age was read, is read with it (changes the step's own groups).
 */
function restatedAge(ctx: ParseContext, frag: FragmentContext, groups: Group[]): void {
  const age = groups.find((g) => attributeOf(g)?.defaultForUnit === 'year' && g.cmp !== undefined);
  if (!age) return;
  for (const token of frag.tokens) {
    if (token.kind !== 'word' || !AGE_GROUP.test(token.text)) continue;
    if (frag.mentions.some((m) => token.start < m.end && m.start < token.end)) continue;
    age.marks.push({ start: token.start, end: token.end });
  }
}

/** Numbers a person's age may be. */
function inYears(cmp: ComparisonMention): boolean {
  const numbers = 'value' in cmp.cmp ? [cmp.cmp.value] : 'min' in cmp.cmp ? [cmp.cmp.min, cmp.cmp.max] : [];
  return numbers.length > 0 && numbers.every((n) => typeof n === 'number' && n >= 14 && n <= 120);
}

/**
 * A bare number of a person's years: right after words for the people themselves (a client column's
 * value), or a clause of its own.
 */
function aboutPeople(
  ctx: ParseContext,
  values: readonly Mention[],
  cmp: ComparisonMention,
  text: string,
): Mark | undefined {
  if (!inYears(cmp)) return undefined;
  const words = PEOPLE.exec(text.slice(0, cmp.start));
  // "студенты до 25", "pensioners over 65": the group says years, and stays to be read as what it is
  // (an empty mark: nothing of it is read here).
  if (words) {
    return GROUPS.test(words[0])
      ? { start: cmp.start, end: cmp.start }
      : { start: words.index, end: words.index + words[0].length };
  }
  // "management or technician jobs, under 35, …": a bound that is a clause of its own in a list of
  // the client's traits says years.
  const before = /[,;:\n•*]\s*$|^\s*$/.test(text.slice(0, cmp.start));
  const after = /^\s*(?:[,;.\n]|$)/.test(text.slice(cmp.end));
  if (before && after) return { start: cmp.start, end: cmp.start };
  const entity = `${ctx.model.entity.table}.`;
  return values.find(
    (v) =>
      (v.entry as Extract<LexEntry, { kind: 'value' }>).column.startsWith(entity) &&
      /^\s*$/.test(text.slice(v.end, cmp.start)),
  );
}
