// Step: one group per attribute the fragment names.
// Reads: attribute mentions, windows, "per month".
// Produces: the groups, each with its attribute's mentions as marks: an attribute named twice is one
// group ("возраст ... лет"), unless a window comes between the two or one of them is denied.
import type { LexEntry } from '../../lexicon';
import type { FragmentContext } from '../context';
import type { Group, Mention } from '../parse-types';

export function attributeGroups(frag: FragmentContext): Group[] {
  const groups: Group[] = [];
  const perMonth = frag.perMonth.length > 0;
  for (const mention of frag.mentions.filter((m) => m.entry.kind === 'attr')) {
    const name = (mention.entry as Extract<LexEntry, { kind: 'attr' }>).attr.name;
    // "нет покупок за 60 дней, но 5 покупок за 6 месяцев до этого": two windows, two criteria.
    const same = groups.find(
      (g) =>
        (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr.name === name &&
        // "гасят кредит поручением, но кредита у них нет": said and denied in two clauses, two criteria.
        (g.attr?.negated === mention.negated || !apart(frag.text, g.attr as Mention, mention)) &&
        !frag.windows.some((w) => w.start >= (g.attr as Mention).end && w.end <= mention.start),
    );
    if (same) same.marks.push(mention);
    else
      groups.push({
        attr: mention,
        extraWhere: [],
        values: [],
        cmp: undefined,
        window: undefined,
        perMonth,
        marks: [mention],
      });
  }
  return groups;
}

/** Two mentions in clauses of their own: a comma, a semicolon or "но", "а", "but" between them. */
function apart(text: string, a: Mention, b: Mention): boolean {
  return /[,;]|(?<![a-zа-я])(но|а|однако|but|while)(?![a-zа-я])/.test(text.slice(a.end, b.start));
}
