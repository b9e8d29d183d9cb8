// Step: a move from one value of a column to another.
// Reads: loose values, `text`, the fragment's window, the model's history columns.
// Produces: "Перешли из массового сегмента в «массовый плюс» за последние 12 месяцев", "moved from MASS
// to AFFLUENT": two values of one column after "из/from" and "в/to", with a verb of change, and a
// column whose past the model keeps, become two groups: the second value now, and the first one in the
// window (the fragment's, else the last 12 months). The pair's readings leave `loose`.
import type { LexEntry } from '../../lexicon';
import type { FragmentContext, ParseContext } from '../context';
import type { Group, Mention } from '../parse-types';

const TRANSITION_VERB =
  /(?:перешл|перешел|перешёл|перевел|переведен|сменил|moved|upgraded|switched|changed|went)[a-zа-яё]*/;

export function transitions(
  ctx: ParseContext,
  frag: FragmentContext,
  groups: readonly Group[],
  input: readonly Mention[],
): { groups: readonly Group[]; loose: readonly Mention[] } {
  const { text } = frag;
  if (!TRANSITION_VERB.test(text)) return { groups, loose: input };
  const loose = [...input];
  const found: Group[] = [];
  const column = (m: Mention) => (m.entry as Extract<LexEntry, { kind: 'value' }>).column;
  const before = (m: Mention) => text.slice(Math.max(0, m.start - 12), m.start);
  for (const from of [...loose]) {
    const past = ctx.model.file.history[column(from)];
    if (!past || !/(?:^|\s)(?:из|from)\s+(?:[а-яa-z]+\s+)?$/.test(before(from))) continue;
    const to = loose.find(
      (m) =>
        m !== from &&
        m.start > from.end &&
        column(m) === column(from) &&
        /(?:^|\s)(?:в|во|на|to|into)\s+(?:[а-яa-z«"]+\s+)?[«"]?$/.test(before(m)),
    );
    if (!to) continue;
    const span = frag.window?.span ?? { n: 12, unit: 'month' as const };
    const was = (from.entry as Extract<LexEntry, { kind: 'value' }>).value;
    found.push(
      {
        attr: undefined,
        extraWhere: [],
        values: [to],
        cmp: undefined,
        window: undefined,
        perMonth: false,
        marks: [to],
      },
      {
        attr: undefined,
        extraWhere: [{ column: past, cmp: { op: 'eq', value: was } }],
        values: [],
        cmp: undefined,
        // A criterion of its own: the past value in the window, not the current one.
        window: { span, start: 0, end: 0 },
        perMonth: false,
        marks: [from],
      },
    );
    // Every reading of the two phrases (the same words name the value in the history table too) is used.
    for (let i = loose.length - 1; i >= 0; i--) {
      const m = loose[i] as Mention;
      if ((m.first === from.first && m.last === from.last) || (m.first === to.first && m.last === to.last))
        loose.splice(i, 1);
    }
    const verb = TRANSITION_VERB.exec(text);
    if (verb) found[found.length - 1]?.marks.push({ start: verb.index, end: verb.index + verb[0].length });
  }
  return { groups: [...groups, ...found], loose };
}
