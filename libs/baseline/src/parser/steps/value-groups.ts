// Step: loose values as criteria of their own.
// Reads: loose values, the groups (whether an attribute is named), the columns the fragment names, the
// model's key graph and value column order.
// Produces: one group per table the values start from (and negation): of the columns the same words
// name, the one the fragment names, else one its unambiguous names use, else the client's own and the
// tables closest to the client. Next to an attribute, a bare code word that does not refine it ("salary
// paid into our bank": PAID, a claim status) is an ordinary word, not a criterion; so is a weak word.
import type { LexEntry } from '../../lexicon';
import { mentionedColumns, startOf, type FragmentContext, type ParseContext } from '../context';
import type { Group, Mention } from '../parse-types';
import { namedInContext } from '../named-in-context';
import { CODE } from '../words';

export function valueGroups(
  ctx: ParseContext,
  frag: FragmentContext,
  groups: readonly Group[],
  values: readonly Mention[],
): Group[] {
  const besideAttribute = groups.some((g) => g.attr);
  const named = mentionedColumns(frag);
  const bySpan = new Map<string, Mention[]>();
  for (const value of values) {
    const key = `${value.first}:${value.last}`;
    bySpan.set(key, [...(bySpan.get(key) ?? []), value]);
  }
  // A bare code word ("paid") alone is a common word, not a criterion, unless its column is named.
  // "Москвы и Московской области": a name that is both a city and a region goes with the column the
  // phrase's unambiguous names use.
  const sole = new Set(
    [...bySpan.values()]
      .filter((alternatives) => new Set(alternatives.map(columnOf)).size === 1)
      .map((alternatives) => columnOf(alternatives[0] as Mention)),
  );
  // A word two columns hold alike, with nothing to choose between them ("unknown": a job, an education
  // or an outcome), is read as the first and reported as a guess.
  const guessed = new Set<Mention>();
  // One label of several values of a column ("trouble repaying": a loan finished unpaid, or in debt) is
  // all of them.
  const picked = [...bySpan.values()]
    .flatMap((alternatives) => {
      const { best, tied } = pickColumn(ctx, named, alternatives, sole, (column, m) =>
        namedInContext(ctx, frag, { column }, m.first, m.last),
      );
      const chosen = alternatives.filter((a) => columnOf(a) === columnOf(best));
      if (tied) chosen.forEach((m) => guessed.add(m));
      return chosen;
    })
    .filter((v) => {
      const entry = v.entry as Extract<LexEntry, { kind: 'value' }>;
      if (named.has(entry.column)) return true;
      // A code written as one ("no KASKO") is meant; a lower-case word that is a code is only a word.
      return entry.weak !== true && !(besideAttribute && entry.exact === true && !CODE.test(entry.value));
    });
  const byTable = new Map<string, Group>();
  for (const value of picked) {
    const column = (value.entry as Extract<LexEntry, { kind: 'value' }>).column;
    let table: string;
    try {
      table = startOf(ctx, column);
    } catch {
      continue;
    }
    const key = `${table}:${value.negated}`;
    const group = byTable.get(key) ?? {
      attr: undefined,
      extraWhere: [],
      values: [],
      cmp: undefined,
      window: undefined,
      perMonth: false,
      marks: [],
    };
    group.values.push(value);
    group.marks.push(value);
    if (guessed.has(value)) group.unsure = [...(group.unsure ?? []), { start: value.start, end: value.end }];
    byTable.set(key, group);
  }
  return [...groups, ...byTable.values()];
}

/**
 * Among columns holding the same words, prefer the one named, then the client's own, then tables closest
 * to the client; `tied` when the first two are equal on all of it.
 */
function pickColumn(
  ctx: ParseContext,
  named: ReadonlySet<string>,
  alternatives: Mention[],
  beside: ReadonlySet<string>,
  inContext: (column: string, m: Mention) => boolean,
): { best: Mention; tied: boolean } {
  const model = ctx.model;
  const graph = model.graph;
  const profiles = graph.tableNames().filter((t) => {
    const id = graph.entityIdColumn(t);
    const key = graph.table(t)?.primaryKey ?? [];
    return t !== model.entity.table && id !== null && key.length === 1 && key[0] === id;
  });
  const scoreOf = (m: Mention) => {
    const column = columnOf(m);
    if (named.has(column)) return -1;
    if (beside.has(column)) return -0.75;
    // Named by other words of the fragment, in either language ("образование неизвестно").
    if (inContext(column, m)) return -0.6;
    const table = column.split('.')[0] as string;
    // A code with a declared context ("медицинские услуги": purchases of that MCC group) over the
    // columns that merely share its codes (a card's cashback category).
    if (model.file.valueContexts[table]) return -0.5;
    if (table === model.entity.table) return 0;
    if (graph.lookupPath(model.entity.table, table)) return 1;
    // A client profile table (one row per client: client_employment) and its lookups (ref_industry).
    if (profiles.some((p) => p === table || graph.lookupPath(p, table) !== null)) return 1.5;
    if (graph.ownsEntityId(table)) return 2;
    return 3 + (graph.ownerPath(table)?.length ?? 10);
  };
  // Equal otherwise, the model's order of value columns decides: a region before a city of its name.
  const order = (m: Mention) => {
    const i = model.file.valueColumns.indexOf(columnOf(m));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const scores = new Map(alternatives.map((m) => [m, scoreOf(m)]));
  const score = (m: Mention) => scores.get(m) as number;
  const [best, next] = [...alternatives].sort((a, b) => score(a) - score(b) || order(a) - order(b)) as [
    Mention,
    ...Mention[],
  ];
  const tied =
    next !== undefined &&
    score(best) >= 0 &&
    score(best) === score(next) &&
    order(best) === order(next) &&
    columnOf(best) !== columnOf(next);
  return { best, tied };
}

function columnOf(m: Mention): string {
  return (m.entry as Extract<LexEntry, { kind: 'value' }>).column;
}
