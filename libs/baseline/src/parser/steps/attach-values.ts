// Step: values that narrow an attribute's rows.
// Reads: value mentions, the groups, the model's refinements and key graph.
// Produces: groups with the values that refine their attribute ("вклад в долларах"), a value the
// attribute already requires only as a mark ("действующей кредитной карты"), a state word of a held
// product's own row as that product's mark; and `loose`, the values left for criteria of their own.
import type { Attribute } from '@t2s/semantic';
import type { LexEntry } from '../../lexicon';
import { allowedBy, fixedBy } from '../conditions';
import { valueMentions, type FragmentContext, type ParseContext } from '../context';
import { attributeOf, cloneGroups } from '../groups';
import type { Group, Mention } from '../parse-types';
import { heldProduct, STATE_COLUMN } from '../products';

export function attachValues(
  ctx: ParseContext,
  frag: FragmentContext,
  input: readonly Group[],
): { groups: Group[]; loose: Mention[] } {
  const groups = cloneGroups(input);
  const values = valueMentions(frag);
  // Words attached once, by the column they were read in: another value of that column with the same
  // label attaches too ("trouble repaying": finished unpaid, or in debt).
  const attached = new Map<string, string>();
  const spanOf = (m: Mention) => `${m.first}:${m.last}`;
  const columnOf = (m: Mention) => (m.entry as Extract<LexEntry, { kind: 'value' }>).column;
  for (const value of values) {
    const before = attached.get(spanOf(value));
    if (before !== undefined && before !== columnOf(value)) continue;
    const owner = [...groups]
      .reverse()
      .find(
        (g) =>
          g.attr &&
          refines(
            ctx,
            (g.attr.entry as Extract<LexEntry, { kind: 'attr' }>).attr,
            value,
            value.start > g.attr.start,
          ),
      );
    if (!owner) continue;
    attached.set(spanOf(value), columnOf(value));
    owner.marks.push(value);
    // "brokerage account or IIS": a kind of the product's own rows named as its alternative is one of
    // them; the product as a whole is meant.
    const [from, to] =
      value.start > (owner.attr as Mention).start
        ? [(owner.attr as Mention).end, value.start]
        : [value.end, (owner.attr as Mention).start];
    const table = columnOf(value).split('.')[0];
    if (
      /^\s*(?:or|или|либо)\s+$/.test(frag.text.slice(from, to)) &&
      table === attributeOf(owner)?.measure.table
    )
      continue;
    // "действующей кредитной карты": a value the attribute already requires adds nothing.
    const attr = (owner.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
    const entry = value.entry as Extract<LexEntry, { kind: 'value' }>;
    if (!fixedBy(attr, entry.column) || !allowedBy(attr, entry.column, entry.value)) owner.values.push(value);
  }
  const loose: Mention[] = [];
  for (const value of values)
    if (!attached.has(spanOf(value)) && !ownState(ctx, frag.text, value, groups)) loose.push(value);
  return { groups, loose: stateOfNext(ctx, frag.text, loose) };
}

/**
 * "есть действующее ОСАГО": a state word right before a kind of a held product (a value of another
 * table, whose rows an attribute holds) is that product's own state, which holding it already requires:
 * no value of its own; the next value is read with its words.
 */
function stateOfNext(ctx: ParseContext, text: string, loose: readonly Mention[]): Mention[] {
  const out = [...loose];
  const entryOf = (m: Mention) => m.entry as Extract<LexEntry, { kind: 'value' }>;
  const tableOf = (m: Mention) => entryOf(m).column.split('.')[0];
  for (const state of loose) {
    const name = entryOf(state).column.split('.')[1] as string;
    if (!STATE_COLUMN.test(name) || state.negated) continue;
    const next = out.find((m) => m.start >= state.end && /^\s*$/.test(text.slice(state.end, m.start)));
    if (!next || tableOf(next) === tableOf(state)) continue;
    const kind = { column: entryOf(next).column, cmp: { op: 'eq' as const, value: entryOf(next).value } };
    if (!heldProduct(ctx.model, kind)) continue;
    const same = out.filter((m) => m.start === state.start && m.end === state.end);
    for (const m of same) out.splice(out.indexOf(m), 1);
    for (const [i, m] of out.entries())
      if (m.start === next.start && m.end === next.end) out[i] = { ...m, start: state.start };
  }
  return out;
}

/**
 * Whether a value can narrow an attribute's rows: a declared refinement (or another column of a
 * refinement's table), or a column the measure itself filters on.
 */
function refines(ctx: ParseContext, attr: Attribute, value: Mention, after: boolean): boolean {
  const entry = value.entry as Extract<LexEntry, { kind: 'value' }>;
  const column = entry.column;
  if (attr.refinements.includes(column) || fixedBy(attr, column)) return true;
  const table = column.split('.')[0] as string;
  if (attr.refinements.some((ref) => ref.split('.')[0] === table)) return true;
  // A lookup of the attribute's rows written after it ("вклад в долларах": the deposit's currency;
  // "accounts held at branches in north Moravia"). Written before it, and the client has that lookup of
  // its own, it describes the client ("clients from Prague with a loan": where the client lives, not
  // where the loan's account is kept); a word of a longer value stays a refinement only.
  const graph = ctx.model.graph;
  const entity = ctx.model.entity.table;
  const path = graph.lookupPath(attr.measure.table, table);
  return (
    attr.measure.kind !== 'scalar' &&
    (after || table === entity || graph.lookupPath(entity, table) === null || entry.partial) &&
    table !== attr.measure.table &&
    path !== null &&
    // "пенсионеры из Москвы": a lookup reached through the client is the client's, not the rows'.
    (table === entity || entry.partial || !path.some((step) => step.to === entity)) &&
    graph.ownerPath(table) === null
  );
}

/**
 * "Открыли накопительный счёт": a state word ("открыт") of a row the named product references directly
 * (the savings account's account) is the product's own state, which its attribute already requires.
 * Marks the product's group with it (in the step's own copy of the groups).
 */
function ownState(ctx: ParseContext, text: string, value: Mention, groups: Group[]): boolean {
  const column = (value.entry as Extract<LexEntry, { kind: 'value' }>).column;
  const [table = '', name = ''] = column.split('.');
  const isState =
    /_status$/.test(name) ||
    ctx.model.allAttributes().some((a) => fixedBy(a, column) && a.type === 'boolean');
  if (!isState) return false;
  const owner = groups.find((g) => {
    const attr = attributeOf(g);
    const m = attr?.measure;
    if (!attr || !m || m.kind !== 'related' || attr.type !== 'boolean' || !m.where || m.table === table)
      return false;
    return ctx.model.graph.lookupPath(m.table, table)?.length === 1;
  });
  // "открыли брокерский счёт": a state word right before a held product is that product's event
  // (its opening), not the state of another table that shares the word.
  const next =
    owner ??
    groups.find((g) => {
      const attr = attributeOf(g);
      return (
        attr?.type === 'boolean' &&
        attr.measure.kind === 'related' &&
        attr.measure.table !== table &&
        g.attr !== undefined &&
        g.attr.start >= value.end &&
        /^\s*$/.test(text.slice(value.end, g.attr.start))
      );
    });
  next?.marks.push(value);
  return next !== undefined;
}
