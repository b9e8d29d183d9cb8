import {
  CompileError,
  CriteriaCompiler,
  type Attribute,
  type Comparison,
  type CriterionSpec,
  type Expr,
  type Predicate,
  type Span,
  type RowCondition,
  type SemanticModel,
} from '@t2s/semantic';
import { buildLexicon, priority, type LexEntry } from './lexicon';
import {
  findComparisons,
  findDatePeriods,
  findQuantities,
  findPerMonth,
  findWindows,
  type ComparisonMention,
  type Mark,
  type WindowMention,
} from './text/quantities';
import { cyrillicStems, normalize, phraseStems, tokenize, type Token } from './text/tokens';

export interface ParsedCriterion {
  /** The fragment of the text this criterion came from. */
  text: string;
  spec: CriterionSpec;
}

export interface ParseResult {
  criteria: ParsedCriterion[];
  /** Fragments (or parts of them) that map to no warehouse data; shown on the segment, never dropped. */
  unparsed: string[];
}
import {
  conditionColumns,
  distance,
  allowedBy,
  fixedBy,
  withoutColumns,
  isNumeric,
  negate,
  negateIf,
  NUMERIC_TYPE,
  opposite,
  scaled,
  unitFactor,
  unitPenalty,
  valueCondition,
} from './parser/conditions';
import { matchAt, stemsClose } from './parser/matching';

const DATE_TYPE = /^(date|timestamp)/;
const CODE = /^[A-Z][A-Z0-9_]{2,}$/;
const PER_YEAR = /годов[а-я]*|в год(?![а-я])|per year|a year|annual(?:ly)?|yearly|per annum/;
// Columns that say whether a product's row is held now (its state), not what kind of row it is.
const STATE_COLUMN = /(^|_)status$|^is_active$|^(close|end)_date$/;
const SWITCHED_OFF =
  /^\s*(?:(?:are|is|were|was)\s+)?(?:turned off|switched off|disabled|отключен[аыо]?|выключен[аыо]?|запрещен[аыо]?)(?![a-zа-я])/;
// "в 1,5 раза выше", "at least 1.5 times": a ratio to another attribute's value.
const RATIO =
  /(не менее чем|не менее|не меньше|at least|no less than|more than|over)?\s*(?:в\s+)?(\d+(?:[.,]\d+)?)\s*(?:раза|раз|times)(?![a-zа-я])(?:\s+(выше|больше|ниже|меньше|higher than|more than|lower than|less than|above|below|as high as))?/;
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
const NEW_ONE =
  /(?<![a-zа-я])(?:(?:not|never)\s+(?:[a-z]+\s+){0,2}(?:a new one|another one|a new|new ones?)|(?:не|ни)\s+(?:[а-я]+\s+){0,2}(?:новый|новую|нового|новой|новых|другой|другого)|(?:новый|новую|нового|новой|новых)\s+(?:[а-я]+\s+)?не\s+[а-я]+)(?![a-zа-я])/;
const ANAPHOR =
  /(?<![a-zа-я])(?:на н[её]м|по нему|в н[её]м|на ней|по ней|в ней|on it|in it|its|on that)(?![a-zа-я])/;
const NOT_ONE =
  /(?<![a-zа-я])(ни|not)\s+(?:одного|одной|одну|один|единого|единой|a single|one|any)(?![a-zа-я])/g;
const TRANSITION_VERB =
  /(?:перешл|перешел|перешёл|перевел|переведен|сменил|moved|upgraded|switched|changed|went)[a-zа-яё]*/;
import type { Group, Mention } from './parser/parse-types';
import { EXCLUDE_LEADS, FILLER, FILLER_PHRASES, leftovers, NEGATIONS, splitFragments } from './parser/words';

export { splitFragments };

/**
 * Criteria text (Russian or English) to the representation, driven by the semantic model: attribute
 * words, coded values from the catalog's comments and labels, real values from the value index; numbers
 * with units, ranges and comparisons, time windows, "per month", negation; Russian inflection through
 * the Snowball stemmer. What it cannot map is returned as `unparsed`, never dropped.
 */
export class CriteriaParser {
  private readonly byFirstStem = new Map<string, LexEntry[]>();
  private explicit = false;
  private readonly compiler: CriteriaCompiler;

  constructor(private readonly model: SemanticModel) {
    for (const entry of buildLexicon(model)) {
      const first =
        entry.kind === 'value' && entry.exact ? `=${entry.stems[0] as string}` : (entry.stems[0] as string);
      const list = this.byFirstStem.get(first) ?? [];
      list.push(entry);
      this.byFirstStem.set(first, list);
    }
    this.compiler = new CriteriaCompiler(model);
  }

  /**
   * `explicit`: only attributes the text names, with their own numbers (for offers, whose text is full of
   * rates, terms and limits that are not audience criteria): no unit defaults, no implied attributes, and
   * a numeric attribute without a number is dropped rather than read as "more than 0".
   */
  parse(text: string, idPrefix = 'c', options: { explicit?: boolean } = {}): ParseResult {
    this.explicit = options.explicit === true;
    const criteria: ParsedCriterion[] = [];
    const unparsed: string[] = [];
    for (const fragment of splitFragments(text)) {
      if (this.anaphora(fragment, criteria)) continue;
      const result = this.parseFragment(fragment);
      for (const expr of result.exprs) {
        criteria.push({
          text: fragment.trim(),
          spec: { id: `${idPrefix}${criteria.length + 1}`, kind: expr.kind, expr: expr.expr },
        });
      }
      unparsed.push(...result.unparsed);
    }
    return { criteria, unparsed };
  }

  /**
   * "Открыли накопительный счёт в этом году. Остаток на нём больше 200 тыс.": a fragment pointing back
   * ("на нём", "по нему", "on it", "its") with a number is about the rows of the previous criterion's
   * product: the number goes to that table's amount column its words name, on the same rows (the
   * previous criterion is narrowed; no criterion of its own). False when it cannot be placed.
   */
  private anaphora(fragment: string, criteria: ParsedCriterion[]): boolean {
    const text = normalize(fragment);
    if (!ANAPHOR.test(text)) return false;
    const previous = criteria.at(-1);
    const expr = previous?.spec.expr;
    if (!previous || !expr || !('type' in expr) || (expr.type !== 'attr' && expr.type !== 'related'))
      return false;
    const table =
      expr.type === 'attr' ? this.model.attribute(expr.attr)?.measure.table : (expr.table ?? undefined);
    const columns = table ? (this.model.graph.table(table)?.columns ?? []) : [];
    const words = new Set(phraseStems(text));
    // The column whose comment's head (or name, for English) the fragment's words name; a head that
    // starts with such a word ("Остаток на отчётную дату") over one that merely has it ("ставка на остаток").
    const scored = columns
      .filter((c) => NUMERIC_TYPE.test(c.type) && !/(^|_)id$/.test(c.name) && !c.pii)
      .map((c) => {
        const head = phraseStems((c.comment ?? '').split(/[.:;(—,]/)[0] ?? '').filter((w) => !FILLER.has(w));
        const name = phraseStems(c.name.replace(/_/g, ' '));
        const hits = [...head, ...name].filter((w) => words.has(w)).length;
        const leads = words.has(head[0] ?? '') || words.has(name[0] ?? '') ? 1 : 0;
        return { c, score: hits === 0 ? 0 : leads * 100 + hits };
      })
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score);
    const column = scored[0]?.c;
    const cmp = findComparisons(text)[0];
    if (!table || !column || !cmp) return false;
    const condition: RowCondition = { column: `${table}.${column.name}`, cmp: cmp.cmp };
    const where = expr.where ? { all: [expr.where, condition] } : condition;
    previous.spec = { ...previous.spec, expr: { ...expr, where } as Expr };
    previous.text = `${previous.text}; ${fragment.trim()}`;
    return true;
  }

  private parseFragment(raw: string): {
    exprs: { kind: 'include' | 'exclude'; expr: Expr }[];
    unparsed: string[];
  } {
    this.raw = raw;
    // "ни одного вклада", "not a single purchase": a negation, not the number one.
    let text = normalize(raw)
      .replace(NOT_ONE, (phrase, neg: string) => neg + ' '.repeat(phrase.length - neg.length))
      // "женщины (не мужчины)": a parenthesis opening with a negation restates what precedes it by its
      // opposite and adds nothing to read, unless it is itself a value's label ("(not owners)": Berka's
      // DISPONENT, as its documentation calls it).
      .replace(/\(\s*((?:not|не|ни|no|без)\s[^()]*)\)/g, (phrase, inner: string) =>
        this.isLabel(inner) ? phrase : ' '.repeat(phrase.length),
      );
    let excludeAll = false;
    const lead = EXCLUDE_LEADS.exec(text);
    if (lead) {
      excludeAll = true;
      text = ' '.repeat(lead[0].length) + text.slice(lead[0].length);
    }
    this.text = text;
    const tokens = tokenize(text);
    const windows = findWindows(text);
    const perMonth = findPerMonth(text);
    const fillers = [...text.matchAll(FILLER_PHRASES)].map((m) => ({
      start: m.index,
      end: m.index + m[0].length,
    }));
    const periods = findDatePeriods(text);
    // "за 6 месяцев до этого": a relative window ends where the window before it in the text starts.
    windows.forEach((w, i) => {
      const previous = windows[i - 1];
      if (w.relative && previous)
        w.before = previous.before ? sumSpans(previous.before, previous.span) : previous.span;
    });
    this.fragmentWindow = windows[0];
    const comparisons = findComparisons(text, [...windows, ...perMonth, ...periods]);
    // Words of a number ("1 million") name no value or column; "ежемесячной выпиской" still names one.
    const mentions = this.findMentions(tokens, [...windows, ...fillers, ...findQuantities(text)]);

    const groups = this.group(text, mentions, comparisons, windows, perMonth.length > 0);
    const ratio = this.ratio(groups, text);
    if (ratio) {
      // The number of "в 1,5 раза" is the ratio's, not a comparison of its own.
      for (let i = comparisons.length - 1; i >= 0; i--) {
        const c = comparisons[i] as ComparisonMention;
        if (c.start < ratio.end && ratio.start < c.end) comparisons.splice(i, 1);
      }
    }
    const datedGroups = this.datePeriods(groups, mentions, periods, text);
    const averaged = /средн|average/.test(text);
    for (const group of groups) group.averaged = averaged;
    const exprs: { kind: 'include' | 'exclude'; expr: Expr }[] = [];
    const used: Mark[] = [...windows, ...perMonth, ...fillers];
    const share = this.share(groups, text);
    if (share) {
      exprs.push({ kind: 'include', expr: share.expr });
      used.push(...share.marks);
    } else {
      this.foldColumns(groups);
    }
    for (const group of groups) {
      const built = this.build(group);
      if (built.length === 0) continue;
      used.push(...group.marks);
      for (const b of built)
        exprs.push({ kind: excludeAll !== b.exclude ? 'exclude' : 'include', expr: b.expr });
    }
    // "…whose deposit closed … and who have not opened a new one", "новый не открывали": no such product
    // now, besides whatever the fragment says about the product's other rows.
    const again = NEW_ONE.exec(text);
    const product = groups
      .map((g) => (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr)
      .find((a) => a?.type === 'boolean' && a.measure.kind === 'related');
    if (again && product) {
      exprs.push({ kind: 'exclude', expr: { type: 'attr', attr: product.name } });
      used.push({ start: again.index, end: again.index + again[0].length });
    }
    const assigned = new Set<ComparisonMention | undefined>(groups.flatMap((g) => [g.cmp, g.cmp2]));
    for (const period of datedGroups) assigned.add(period);
    comparisons.push(...periods.filter((p) => !datedGroups.includes(p)));
    const stray = comparisons
      .filter((c) => !assigned.has(c) && !used.some((m) => c.start >= m.start && c.end <= m.end))
      .map((c) => text.slice(c.start, c.end).trim());
    used.push(...comparisons);
    return {
      exprs,
      unparsed: [...leftovers(raw, text, tokens, used, exprs.length === 0), ...(exprs.length ? stray : [])],
    };
  }

  private findMentions(tokens: Token[], skip: Mark[]): Mention[] {
    const candidates: Mention[] = [];
    this.fillerValues = [];
    tokens.forEach((token, i) => {
      if (skip.some((s) => token.start >= s.start && token.end <= s.end)) return;
      // "Kazan", "Yekaterinburg": a Latin spelling of a one-word Russian value (a city, a region).
      const named = this.candidatesByStem(token.stem).length > 0 || this.byFirstStem.has(`=${token.text}`);
      const cyrillic = named ? [] : cyrillicStems(token.text);
      for (const entry of cyrillic.flatMap((c) => this.byFirstStem.get(c) ?? [])) {
        if (entry.kind !== 'value' || entry.stems.length !== 1 || entry.exact) continue;
        candidates.push({ entry, first: i, last: i, start: token.start, end: token.end, negated: false });
      }
      for (const entry of [
        ...this.candidatesByStem(token.stem),
        ...(this.byFirstStem.get(`=${token.text}`) ?? []),
      ]) {
        const last = matchAt(tokens, i, entry, (t) => !this.namesValue(t));
        if (last === null) continue;
        // A code ("OPENED", "PRODUCT") stands for itself only when written as one: in lower case it is
        // an ordinary word ("have not opened a new product"); its labels name it in plain words.
        if (entry.kind === 'value' && entry.exact && CODE.test(entry.value)) {
          const written = this.raw.slice(token.start, token.end);
          if (written !== written.toUpperCase()) continue;
        }
        if (
          entry.kind === 'value' &&
          !entry.declared &&
          tokens.slice(i, last + 1).every((t) => FILLER.has(t.stem))
        ) {
          // "рейтинг A": an article-like value counts only next to its column's name (see group()).
          this.fillerValues.push({
            entry,
            first: i,
            last,
            start: token.start,
            end: (tokens[last] as Token).end,
            negated: false,
          });
          continue;
        }
        candidates.push({
          entry,
          first: i,
          last,
          start: token.start,
          end: (tokens[last] as Token).end,
          // "нерезиденты": a word for the attribute's opposite is the attribute, negated.
          negated: entry.kind === 'attr' && entry.antonym === true,
        });
      }
    });
    // Longest first, then by kind: attributes over values over partial value words.
    // Attributes and values first, longest first; column names only fill the words left over.
    const isColumn = (m: Mention) => (m.entry.kind === 'column' ? 1 : 0);
    candidates.sort(
      (a, b) =>
        isColumn(a) - isColumn(b) ||
        b.last - b.first - (a.last - a.first) ||
        priority(b.entry) - priority(a.entry) ||
        a.first - b.first,
    );
    const chosen: Mention[] = [];
    for (const candidate of candidates) {
      const overlaps = chosen.some((c) => !(candidate.last < c.first || candidate.first > c.last));
      if (overlaps) {
        // The same words naming the same value in several columns: keep them all, context decides.
        const same = chosen.find(
          (c) =>
            c.first === candidate.first &&
            c.last === candidate.last &&
            c.entry.kind === 'value' &&
            candidate.entry.kind === 'value' &&
            priority(c.entry) === priority(candidate.entry),
        );
        if (same) chosen.push(candidate);
        continue;
      }
      chosen.push(candidate);
    }
    this.absorbAttributeWords(chosen, tokens);
    // A negation word governs the next mention after it, up to four words on ("карта не добавлена в Mir Pay").
    for (const mention of chosen) {
      for (let k = mention.first - 1; k >= Math.max(0, mention.first - 4); k--) {
        const between = chosen.find((other) => other !== mention && k >= other.first && k <= other.last);
        if (between?.entry.kind === 'attr') break;
        if (between) continue;
        const token = tokens[k] as Token;
        if (!NEGATIONS.has(token.text)) continue;
        // "Users (not owners) of accounts": a parenthesis kept as a label restates; it negates nothing.
        if (/\(\s*$/.test(this.raw.slice(0, token.start))) break;
        // "не нерезиденты": a negated antonym is the attribute itself.
        mention.negated = !mention.negated;
        mention.wordStart = mention.start;
        mention.start = Math.min(mention.start, token.start);
        mention.negationAt = token.start;
        break;
      }
      // "push notifications turned off", "push-уведомления отключены": a yes/no attribute switched off.
      if (mention.entry.kind === 'attr' && mention.entry.attr.type === 'boolean') {
        const off = SWITCHED_OFF.exec(this.text.slice(mention.end));
        if (off) {
          mention.negated = !mention.negated;
          mention.end += off[0].length;
        }
      }
    }
    return chosen.sort((a, b) => a.first - b.first);
  }

  /**
   * "Средние траты по картам": words of an attribute's own terms next to its mention belong to it, so
   * "картам" does not also become "has a card". Mentions swallowed this way are dropped.
   */
  private absorbAttributeWords(chosen: Mention[], tokens: Token[]): void {
    // A word that names a value ("с выплатой": the claim's status) refines the attribute; never absorbed.
    const valueAt = new Set(
      chosen
        .filter((m) => m.entry.kind === 'value')
        .flatMap((m) => Array.from({ length: m.last - m.first + 1 }, (_, k) => m.first + k)),
    );
    for (const mention of chosen.filter((m) => m.entry.kind === 'attr')) {
      const vocab = this.vocabulary(mention.entry as Extract<LexEntry, { kind: 'attr' }>);
      const fits = (t: Token | undefined) =>
        t !== undefined &&
        t.kind === 'word' &&
        !valueAt.has(tokens.indexOf(t)) &&
        (vocab.has(t.stem) || FILLER.has(t.stem));
      let last = mention.last;
      while (
        fits(tokens[last + 1]) &&
        vocab.has(
          (tokens.slice(last + 1).find((t) => !FILLER.has(t.stem)) ?? (tokens[last + 1] as Token)).stem,
        )
      ) {
        last++;
      }
      while (last > mention.last && FILLER.has((tokens[last] as Token).stem)) last--;
      if (last === mention.last) continue;
      mention.last = last;
      mention.end = (tokens[last] as Token).end;
    }
    for (let i = chosen.length - 1; i >= 0; i--) {
      const m = chosen[i] as Mention;
      const swallowed = chosen.some(
        (a) =>
          a !== m && a.entry.kind === 'attr' && m.first >= a.first && m.last <= a.last && m.entry !== a.entry,
      );
      if (swallowed) chosen.splice(i, 1);
    }
  }

  private readonly vocabularies = new Map<string, Set<string>>();

  private vocabulary(entry: Extract<LexEntry, { kind: 'attr' }>): Set<string> {
    const known = this.vocabularies.get(entry.attr.name);
    if (known) return known;
    const { terms, label } = entry.attr;
    const stems = new Set([...terms.ru, ...terms.en, label.ru, label.en].flatMap(phraseStems));
    for (const stem of FILLER) stems.delete(stem);
    this.vocabularies.set(entry.attr.name, stems);
    return stems;
  }

  /** Whether a phrase is, word for word, a label of some value. */
  private isLabel(phrase: string): boolean {
    const stems = phraseStems(phrase);
    return (this.byFirstStem.get(stems[0] ?? '') ?? []).some(
      (e) => e.kind === 'value' && e.stems.length === stems.length && e.stems.every((s, i) => s === stems[i]),
    );
  }

  /** "pay [leasing] by permanent order": a word that names a value is never skipped inside a term. */
  private namesValue(token: Token): boolean {
    return (
      (this.byFirstStem.get(token.stem) ?? []).some((e) => e.kind === 'value' && e.stems.length === 1) ||
      this.byFirstStem.has(`=${token.text}`)
    );
  }

  private candidatesByStem(tokenStem: string): LexEntry[] {
    // Values whose first stem is one letter shorter or longer (see valueStemMatches).
    const shorter = this.byFirstStem.get(tokenStem.slice(0, -1)) ?? [];
    const exact = [
      ...(this.byFirstStem.get(tokenStem) ?? []),
      ...(tokenStem.length >= 8 ? shorter.filter((e) => e.kind === 'value') : []),
    ];
    if (tokenStem.length < 5) return exact;
    // Stems of the same word may differ in a letter or two ("кредитк" / "кредитн"): long prefixes match.
    const prefix = tokenStem.slice(0, 5);
    const near: LexEntry[] = [];
    for (const [first, entries] of this.byFirstStem) {
      if (
        first !== tokenStem &&
        first.length >= 5 &&
        first.startsWith(prefix) &&
        stemsClose(first, tokenStem)
      ) {
        near.push(...entries);
      }
    }
    return [...exact, ...near];
  }

  /**
   * Splits a fragment's mentions into criteria: each attribute starts one and takes the numbers, window
   * and refining values after it (or, for a number written first, before it); values with no attribute
   * form a criterion of their own per table they start from.
   */
  private group(
    text: string,
    mentions: Mention[],
    comparisons: ComparisonMention[],
    windows: WindowMention[],
    perMonth: boolean,
  ): Group[] {
    const groups: Group[] = [];
    for (const mention of mentions.filter((m) => m.entry.kind === 'attr')) {
      const name = (mention.entry as Extract<LexEntry, { kind: 'attr' }>).attr.name;
      // "возраст ... лет": the same attribute named twice in a fragment is one criterion, unless a window
      // comes between ("нет покупок за 60 дней, но 5 покупок за 6 месяцев до этого": two windows, two).
      const same = groups.find(
        (g) =>
          (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr.name === name &&
          !windows.some((w) => w.start >= (g.attr as Mention).end && w.end <= mention.start),
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
    const columns = mentions.filter((m) => m.entry.kind === 'column');
    const named = new Set(columns.map((m) => (m.entry as Extract<LexEntry, { kind: 'column' }>).column));
    const revived = this.fillerValues.filter(
      (v) =>
        named.has((v.entry as Extract<LexEntry, { kind: 'value' }>).column) &&
        !mentions.some((m) => !(v.last < m.first || v.first > m.last)),
    );
    const values = [...mentions.filter((m) => m.entry.kind === 'value'), ...revived];
    this.mentionedColumns = new Set(
      columns.map((m) => (m.entry as Extract<LexEntry, { kind: 'column' }>).column),
    );
    // Numbers: to the nearest numeric attribute whose unit fits, preferring the same clause.
    const numeric = groups.filter((g) => isNumeric(g.attr?.entry));
    for (const cmp of comparisons) {
      let best: { group: Group; score: number } | undefined;
      for (const group of numeric) {
        // "старше 18, но младше 30": a second, opposite bound on the same attribute.
        if (group.cmp !== undefined && (group.cmp2 !== undefined || !opposite(group.cmp.cmp, cmp.cmp)))
          continue;
        const attr = (group.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
        const score =
          Math.min(...group.marks.map((m) => distance(m, cmp, text))) + unitPenalty(attr.unit, cmp.unit);
        if (!best || score < best.score) best = { group, score };
      }
      if (best && best.score < 1_000) {
        if (best.group.cmp === undefined) best.group.cmp = cmp;
        else best.group.cmp2 = cmp;
        best.group.marks.push(cmp);
        continue;
      }
      if (this.explicit) continue;
      if (this.toColumn(groups, columns, cmp, text)) continue;
      if (this.companion(groups, cmp, text)) continue;
      if (this.impliedByValue(groups, values, cmp, text, perMonth)) continue;
      const fallback = this.model
        .allAttributes()
        .find((a) => a.defaultForUnit !== undefined && a.defaultForUnit === cmp.unit);
      if (fallback) {
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
          marks: [cmp],
        });
      }
    }
    for (const window of windows) {
      if (this.datedWindow(groups, mentions, window)) continue;
      const owner = [...groups].reverse().find((g) => g.attr && g.attr.start <= window.start) ?? groups[0];
      if (owner) owner.window = window;
    }
    const loose: Mention[] = [];
    const attached = new Set<string>();
    const spanOf = (m: Mention) => `${m.first}:${m.last}`;
    for (const value of values) {
      if (attached.has(spanOf(value))) continue;
      const owner = [...groups]
        .reverse()
        .find(
          (g) => g.attr && this.refines((g.attr.entry as Extract<LexEntry, { kind: 'attr' }>).attr, value),
        );
      if (!owner) continue;
      attached.add(spanOf(value));
      owner.marks.push(value);
      // "действующей кредитной карты": a value the attribute already requires adds nothing.
      const attr = (owner.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
      const entry = value.entry as Extract<LexEntry, { kind: 'value' }>;
      if (!fixedBy(attr, entry.column) || !allowedBy(attr, entry.column, entry.value))
        owner.values.push(value);
    }
    for (const value of values)
      if (!attached.has(spanOf(value)) && !this.ownState(value, groups)) loose.push(value);
    groups.push(...this.transitions(loose, text));
    if (!this.explicit) this.booleanColumns(groups, columns, mentions);
    this.feeColumns(groups, columns, text);
    this.fold(groups);
    this.dropEchoes(groups);
    for (const group of this.valueGroups(
      loose,
      groups.some((g) => g.attr),
    ))
      groups.push(group);
    return groups;
  }

  /**
   * "Loans granted in 1997 or 1998", "born before 1950", "opened before 1994": a year or period goes to a
   * date column named next to it, else to the date column the model declares for the nearest attribute's
   * table. Returns the periods it placed.
   */
  private datePeriods(
    groups: Group[],
    mentions: Mention[],
    periods: ComparisonMention[],
    text: string,
  ): ComparisonMention[] {
    const placed: ComparisonMention[] = [];
    for (const period of periods) {
      const column = mentions
        .filter(
          (m) =>
            m.entry.kind === 'column' &&
            DATE_TYPE.test((m.entry as Extract<LexEntry, { kind: 'column' }>).type),
        )
        .map((m) => ({ m, d: distance(m, period, text) }))
        .filter((x) => x.d <= 30)
        .sort((a, b) => a.d - b.d)[0];
      if (column) {
        const ref = (column.m.entry as Extract<LexEntry, { kind: 'column' }>).column;
        groups.push({
          attr: undefined,
          extraWhere: [{ column: ref, cmp: period.cmp }],
          values: [],
          cmp: undefined,
          window: undefined,
          perMonth: false,
          marks: [column.m, period],
        });
        placed.push(period);
        continue;
      }
      const owner = groups
        .filter((g) => g.attr && this.dateColumnOf(g) !== null)
        .map((g) => ({ g, d: Math.min(...g.marks.map((m) => distance(m, period, text))) }))
        .sort((a, b) => a.d - b.d)[0];
      if (!owner) continue;
      owner.g.extraWhere.push({ column: this.dateColumnOf(owner.g) as string, cmp: period.cmp });
      owner.g.marks.push(period);
      placed.push(period);
    }
    return placed;
  }

  private dateColumnOf(group: Group): string | null {
    const attr = (group.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
    if (!attr) return null;
    if (attr.date) return attr.date;
    const table = attr.measure.table;
    const date = this.model.file.tables[table]?.date;
    return date ? `${table}.${date}` : null;
  }

  /**
   * Rows meeting `where`, in the fragment's time window when it has one and the rows' table has a date
   * column in the model ("переходили по ссылке за последние 90 дней": responses of the last 90 days).
   */
  private windowed(where: RowCondition, window: WindowMention | undefined): Expr {
    if (window) {
      const first = conditionColumns(where)[0];
      const table = first ? this.startOf(first) : undefined;
      const date = table ? this.model.file.tables[table]?.date : undefined;
      if (table && date) {
        return {
          type: 'related',
          table,
          quantifier: 'some',
          where,
          window: { column: `${table}.${date}`, last: window.span, ...beforeOf(window) },
        };
      }
    }
    return { type: 'related', quantifier: 'some', where };
  }

  /** The fragment as written (same offsets as the normalized text), for the case of code words. */
  private raw = '';
  /** The fragment normalized, as its mentions' offsets read it. */
  private text = '';
  private fragmentWindow: WindowMention | undefined;
  private mentionedColumns = new Set<string>();
  private secondBound: Expr | null = null;
  private fillerValues: Mention[] = [];

  /** "Внутренний рейтинг ниже 3", "debt to income pct over 40": a number next to a numeric column. */
  private toColumn(groups: Group[], columns: Mention[], cmp: ComparisonMention, text: string): boolean {
    const near = columns
      .filter((c) => NUMERIC_TYPE.test((c.entry as Extract<LexEntry, { kind: 'column' }>).type))
      .filter((c) => !groups.some((g) => g.marks.includes(c)))
      .map((c) => ({ c, d: distance(c, cmp, text) }))
      .filter((x) => x.d <= 30)
      .sort((a, b) => a.d - b.d)[0];
    if (!near) return false;
    const column = (near.c.entry as Extract<LexEntry, { kind: 'column' }>).column;
    const cond = negateIf({ column, cmp: cmp.cmp }, near.c.negated);
    groups.push({
      attr: undefined,
      extraWhere: [cond],
      values: [],
      cmp,
      window: undefined,
      perMonth: false,
      marks: [near.c, cmp],
    });
    return true;
  }

  /** "VIP-клиенты", "is resident": a yes/no column named alone is true (or, negated, excluded). */
  private booleanColumns(groups: Group[], columns: Mention[], mentions: Mention[]): void {
    for (const mention of columns) {
      const entry = mention.entry as Extract<LexEntry, { kind: 'column' }>;
      if (entry.type !== 'boolean' || groups.some((g) => g.marks.includes(mention))) continue;
      if (
        mentions.some(
          (m) =>
            m !== mention && m.entry.kind !== 'column' && !(m.last < mention.first || m.first > mention.last),
        )
      )
        continue;
      groups.push({
        attr: undefined,
        extraWhere: [{ column: entry.column, cmp: { op: 'eq', value: true } }],
        values: [],
        cmp: undefined,
        window: undefined,
        perMonth: false,
        marks: [mention],
        negated: mention.negated,
      });
    }
  }

  /**
   * "Ни одного продукта, открытого за последние 2 года": a window right after a date column named in the
   * fragment (and no attribute between them) bounds that date: it falls within the window.
   */
  private datedWindow(groups: Group[], mentions: Mention[], window: WindowMention): boolean {
    const column = mentions.find(
      (m) =>
        m.entry.kind === 'column' &&
        DATE_TYPE.test((m.entry as Extract<LexEntry, { kind: 'column' }>).type) &&
        m.end <= window.start &&
        window.start - m.end <= 12 &&
        !mentions.some((a) => a.entry.kind === 'attr' && a.start >= m.end && a.end <= window.start),
    );
    if (!column) return false;
    groups.push({
      attr: undefined,
      extraWhere: [
        {
          column: (column.entry as Extract<LexEntry, { kind: 'column' }>).column,
          cmp: { op: 'gt', value: { now: true, minus: window.span } },
        },
      ],
      values: [],
      cmp: undefined,
      window: undefined,
      perMonth: false,
      marks: [column, window],
      negated: column.negated,
    });
    return true;
  }

  /**
   * "Онлайн-покупки — больше половины всех покупок по картам", "more than 60% of purchases online": a
   * share of a counted or summed attribute made up by its rows meeting a yes/no column of the same rows.
   * The two groups become one aggregate with `share`; they are taken out of `groups`.
   */
  private share(groups: Group[], text: string): { expr: Expr; marks: Mark[] } | null {
    const words = SHARE_WORDS.exec(text);
    const whole = groups.find((g) => {
      const m = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr.measure;
      return m?.kind === 'aggregate' && (m.fn === 'count' || m.fn === 'sum');
    });
    const attr = (whole?.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
    const m = attr?.measure;
    if (!whole || !attr || m?.kind !== 'aggregate') return null;
    const part = groups.find(
      (g) =>
        g !== whole &&
        !g.attr &&
        g.values.length === 0 &&
        g.extraWhere.length > 0 &&
        g.extraWhere.every((c) => conditionColumns(c).every((col) => col.startsWith(`${m.table}.`))),
    );
    if (!part) return null;
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
    if (!cmp) return null;
    const rows = [m.where, valueCondition(whole.values), ...whole.extraWhere].filter(
      (c): c is RowCondition => c !== undefined,
    );
    const span = whole.window?.span ?? this.fragmentWindow?.span;
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
    groups.splice(groups.indexOf(whole), 1);
    groups.splice(groups.indexOf(part), 1);
    const marks: Mark[] = [...whole.marks, ...part.marks];
    if (words) marks.push({ start: words.index, end: words.index + words[0].length });
    return { expr, marks };
  }

  /**
   * "Доход в 1,5 раза выше средней зарплаты в регионе", "income at least 1.5 times that regional
   * average": the first numeric attribute compared with the other one's value (both scalar, on the same
   * rows) times the ratio. The other attribute's group is taken out; returns the ratio's mark.
   */
  private ratio(groups: Group[], text: string): Mark | null {
    const match = RATIO.exec(text);
    if (!match) return null;
    const scalar = groups.filter((g) => {
      const a = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
      return a?.type === 'number' && a.measure.kind === 'scalar';
    });
    const [subject, reference] = scalar;
    const a = (subject?.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
    const b = (reference?.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
    if (!subject || !reference || !a || !b || a.measure.table !== b.measure.table) return null;
    const times = Number((match[2] as string).replace(',', '.'));
    const before = match[1] ?? '';
    const after = match[3] ?? '';
    const op = /ниже|меньше|lower|less|below|under/.test(after)
      ? 'lt'
      : /выше|больше|higher|more|above|over/.test(after) &&
          !/не менее|не меньше|at least|no less/.test(before)
        ? 'gt'
        : 'gte';
    const mark = { start: match.index, end: match.index + match[0].length };
    subject.cmp = { cmp: { op, value: { attr: b.name, times } }, ...mark };
    subject.marks.push(mark, ...reference.marks);
    groups.splice(groups.indexOf(reference), 1);
    return mark;
  }

  /**
   * "Онлайн-покупки более 10 тыс. в месяц": a yes/no column of the rows a numeric attribute measures
   * (the purchase is online) narrows those rows; it is not a criterion of its own.
   */
  private foldColumns(groups: Group[]): void {
    const numeric = groups.filter((g) => {
      const a = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
      return a?.type === 'number' && a.measure.kind === 'aggregate' && g.cmp !== undefined;
    });
    if (numeric.length !== 1) return;
    const target = numeric[0] as Group;
    const table = (
      (target.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr.measure as { table: string }
    ).table;
    for (const g of [...groups]) {
      if (g === target || g.attr || g.values.length > 0 || g.extraWhere.length === 0 || g.negated) continue;
      if (!g.extraWhere.every((c) => conditionColumns(c).every((col) => col.startsWith(`${table}.`))))
        continue;
      target.extraWhere.push(...g.extraWhere);
      target.marks.push(...g.marks);
      groups.splice(groups.indexOf(g), 1);
    }
  }

  /**
   * "Перешли из массового сегмента в «массовый плюс» за последние 12 месяцев", "moved from MASS to
   * AFFLUENT": two values of one column after "из/from" and "в/to", with a verb of change, and a column
   * whose past the model keeps. The client has the second value now and had the first one in the window
   * (the fragment's, else the last 12 months). The pair is taken out of `loose`.
   */
  private transitions(loose: Mention[], text: string): Group[] {
    if (!TRANSITION_VERB.test(text)) return [];
    const found: Group[] = [];
    const column = (m: Mention) => (m.entry as Extract<LexEntry, { kind: 'value' }>).column;
    const before = (m: Mention) => text.slice(Math.max(0, m.start - 12), m.start);
    for (const from of [...loose]) {
      const past = this.model.file.history[column(from)];
      if (!past || !/(?:^|\s)(?:из|from)\s+(?:[а-яa-z]+\s+)?$/.test(before(from))) continue;
      const to = loose.find(
        (m) =>
          m !== from &&
          m.start > from.end &&
          column(m) === column(from) &&
          /(?:^|\s)(?:в|во|на|to|into)\s+(?:[а-яa-z«"]+\s+)?[«"]?$/.test(before(m)),
      );
      if (!to) continue;
      const span = this.fragmentWindow?.span ?? { n: 12, unit: 'month' as const };
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
    return found;
  }

  /**
   * "с платным годовым обслуживанием", "free of charge": "paid" before an amount column with no number
   * means more than zero, "free" means zero.
   */
  private feeColumns(groups: Group[], columns: Mention[], text: string): void {
    for (const mention of columns) {
      const entry = mention.entry as Extract<LexEntry, { kind: 'column' }>;
      if (!NUMERIC_TYPE.test(entry.type) || groups.some((g) => g.marks.includes(mention))) continue;
      const before = text.slice(Math.max(0, mention.start - 16), mention.start);
      const word = /(?:^|[^a-zа-я])(бесплатн[а-я]*|free|платн[а-я]*|paid)\s*$/.exec(before);
      if (!word) continue;
      const free = /^(бесплатн|free)/.test(word[1] as string);
      const condition: RowCondition = {
        column: entry.column,
        cmp: free ? { op: 'eq', value: 0 } : { op: 'gt', value: 0 },
      };
      const marks = [
        {
          start: mention.start - (before.length - before.lastIndexOf(word[1] as string)),
          end: mention.end,
        },
        mention,
      ];
      // "карт с платным обслуживанием": the fee of the cards' own product, when an attribute's rows reach it.
      const table = entry.column.split('.')[0] as string;
      const owner = groups.find((g) => {
        const m = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr.measure;
        return m !== undefined && m.kind !== 'scalar' && this.model.graph.lookupPath(m.table, table) !== null;
      });
      if (owner) {
        owner.extraWhere.push(condition);
        owner.marks.push(...marks);
        continue;
      }
      groups.push({
        attr: undefined,
        extraWhere: [condition],
        values: [],
        cmp: undefined,
        window: undefined,
        perMonth: false,
        marks: [
          {
            start: mention.start - (before.length - before.lastIndexOf(word[1] as string)),
            end: mention.end,
          },
          mention,
        ],
      });
    }
  }

  /**
   * "Облигации — не меньше 40% портфеля": a second attribute named only by words of another one's label
   * ("портфель" in "Доля облигаций в портфеле"), with no number of its own, is that one named again.
   */
  private dropEchoes(groups: Group[]): void {
    for (const group of [...groups]) {
      const entry = group.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined;
      if (!entry || group.cmp !== undefined || group.values.length > 0 || entry.attr.type === 'boolean')
        continue;
      // In a window of its own it says something the other does not ("нет покупок за 60 дней").
      if (group.window !== undefined) continue;
      const words = entry.stems;
      const echoed = groups.some((other) => {
        const o = other.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined;
        return (
          other !== group &&
          o !== undefined &&
          other.cmp !== undefined &&
          words.every((w) => this.vocabulary(o).has(w))
        );
      });
      if (echoed) groups.splice(groups.indexOf(group), 1);
    }
  }

  /**
   * "Ипотека с остатком долга более 3 млн": a yes/no attribute and a numeric one over the same rows in
   * one fragment are one criterion, the numeric one restricted to the yes/no one's rows.
   */
  private fold(groups: Group[]): void {
    for (const bool of [...groups]) {
      const b = (bool.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
      if (!b || b.type !== 'boolean' || b.measure.kind === 'scalar' || bool.attr?.negated) continue;
      const target = groups.find((g) => {
        const n = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
        return (
          n !== undefined && n.type === 'number' && n.measure.table === b.measure.table && g.cmp !== undefined
        );
      });
      if (!target) continue;
      const extra = [b.measure.where, valueCondition(bool.values)].filter(
        (c): c is RowCondition => c !== undefined,
      );
      target.extraWhere.push(...extra);
      target.marks.push(...bool.marks);
      groups.splice(groups.indexOf(bool), 1);
    }
  }

  /**
   * "с вкладом от 500 тыс.": an amount next to a yes/no attribute asks for the numeric attribute over
   * the same rows (deposit amount); the group switches to it when the model has one with that unit.
   */
  private companion(groups: Group[], cmp: ComparisonMention, text: string): boolean {
    const near = groups
      .filter((g) => g.attr && g.cmp === undefined && !isNumeric(g.attr.entry))
      .map((g) => ({ g, d: Math.min(...g.marks.map((m) => distance(m, cmp, text))) }))
      .sort((a, b) => a.d - b.d)[0];
    if (!near || near.d > 40) return false;
    const boolAttr = (near.g.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
    const partner = this.model
      .allAttributes()
      .find(
        (a) =>
          a.type === 'number' &&
          a.measure.table === boolAttr.measure.table &&
          (cmp.unit === undefined || a.unit === cmp.unit),
      );
    if (!partner || !near.g.attr) return false;
    near.g.attr = { ...near.g.attr, entry: { kind: 'attr', attr: partner, stems: [] } };
    near.g.cmp = cmp;
    near.g.marks.push(cmp);
    return true;
  }

  /**
   * "Вероятность дефолта ниже 2%": a value near a number, with no attribute named, implies the numeric
   * attribute it refines (the model score of type PD).
   */
  private impliedByValue(
    groups: Group[],
    values: Mention[],
    cmp: ComparisonMention,
    text: string,
    perMonth: boolean,
  ): boolean {
    const near = values
      .filter((v) => !groups.some((g) => g.marks.includes(v)))
      .map((v) => ({ v, d: distance(v, cmp, text) }))
      .filter((x) => x.d <= 40)
      .sort((a, b) => a.d - b.d);
    for (const { v } of near) {
      const column = (v.entry as Extract<LexEntry, { kind: 'value' }>).column;
      const attr = this.model
        .allAttributes()
        .find(
          (a) =>
            a.type === 'number' &&
            a.refinements.includes(column) &&
            (cmp.unit === undefined ||
              unitFactor(cmp.unit, a.unit) !== 1 ||
              a.unit === cmp.unit ||
              (cmp.unit === 'percent' && a.unit === 'share')),
        );
      if (!attr) continue;
      const mention: Mention = { ...v, entry: { kind: 'attr', attr, stems: [] } };
      groups.push({
        attr: mention,
        extraWhere: [],
        values: [v],
        cmp,
        window: undefined,
        perMonth,
        marks: [v, cmp],
      });
      return true;
    }
    return false;
  }

  /**
   * Whether a value can narrow an attribute's rows: a declared refinement (or another column of a
   * refinement's table), or a column the measure itself filters on.
   */
  private refines(attr: Attribute, value: Mention): boolean {
    const column = (value.entry as Extract<LexEntry, { kind: 'value' }>).column;
    if (attr.refinements.includes(column) || fixedBy(attr, column)) return true;
    const table = column.split('.')[0] as string;
    if (attr.refinements.some((ref) => ref.split('.')[0] === table)) return true;
    // A lookup of the attribute's rows ("вклад в долларах": the deposit's currency).
    const graph = this.model.graph;
    return (
      attr.measure.kind !== 'scalar' &&
      table !== attr.measure.table &&
      graph.lookupPath(attr.measure.table, table) !== null &&
      graph.ownerPath(table) === null
    );
  }

  /**
   * "Открыли накопительный счёт": a state word ("открыт") of a row the named product references directly
   * (the savings account's account) is the product's own state, which its attribute already requires.
   */
  private ownState(value: Mention, groups: Group[]): boolean {
    const column = (value.entry as Extract<LexEntry, { kind: 'value' }>).column;
    const [table = '', name = ''] = column.split('.');
    const isState =
      /_status$/.test(name) ||
      this.model.allAttributes().some((a) => fixedBy(a, column) && a.type === 'boolean');
    if (!isState) return false;
    const owner = groups.find((g) => {
      const attr = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
      const m = attr?.measure;
      if (!attr || !m || m.kind !== 'related' || attr.type !== 'boolean' || !m.where || m.table === table)
        return false;
      return this.model.graph.lookupPath(m.table, table)?.length === 1;
    });
    owner?.marks.push(value);
    return owner !== undefined;
  }

  /**
   * Loose values: one criterion per start table; same-word alternatives resolved toward the client.
   * Next to an attribute, a bare code word that does not refine it ("salary paid into our bank": PAID,
   * a claim status) is an ordinary word, not a second criterion.
   */
  private valueGroups(values: Mention[], besideAttribute: boolean): Group[] {
    const bySpan = new Map<string, Mention[]>();
    for (const value of values) {
      const key = `${value.first}:${value.last}`;
      bySpan.set(key, [...(bySpan.get(key) ?? []), value]);
    }
    // A bare code word ("paid") alone is a common word, not a criterion, unless its column is named.
    // "Москвы и Московской области": a name that is both a city and a region goes with the column the
    // phrase's unambiguous names use.
    const columnOf = (m: Mention) => (m.entry as Extract<LexEntry, { kind: 'value' }>).column;
    const sole = new Set(
      [...bySpan.values()]
        .filter((alternatives) => new Set(alternatives.map(columnOf)).size === 1)
        .map((alternatives) => columnOf(alternatives[0] as Mention)),
    );
    const picked = [...bySpan.values()]
      .map((alternatives) => this.pickColumn(alternatives, sole))
      .filter((v) => {
        const entry = v.entry as Extract<LexEntry, { kind: 'value' }>;
        if (this.mentionedColumns.has(entry.column)) return true;
        // A code written as one ("no KASKO") is meant; a lower-case word that is a code is only a word.
        return entry.weak !== true && !(besideAttribute && entry.exact === true && !CODE.test(entry.value));
      });
    const groups = new Map<string, Group>();
    for (const value of picked) {
      const column = (value.entry as Extract<LexEntry, { kind: 'value' }>).column;
      let table: string;
      try {
        table = this.startOf(column);
      } catch {
        continue;
      }
      const key = `${table}:${value.negated}`;
      const group = groups.get(key) ?? {
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
      groups.set(key, group);
    }
    return [...groups.values()];
  }

  private startOf(column: string): string {
    const probe = this.compiler.expr({
      type: 'related',
      quantifier: 'some',
      where: { column, cmp: { op: 'is_null' } },
    });
    const match = /from \S+\.(?:"?)([a-z_0-9]+)"? t0/.exec(probe);
    if (!match) throw new CompileError(`No start table for ${column}`);
    return match[1] as string;
  }

  /** Among columns holding the same words, prefer the client's own, then tables closest to the client. */
  private pickColumn(alternatives: Mention[], beside: ReadonlySet<string> = new Set()): Mention {
    const graph = this.model.graph;
    const profiles = graph.tableNames().filter((t) => {
      const id = graph.entityIdColumn(t);
      const key = graph.table(t)?.primaryKey ?? [];
      return t !== this.model.entity.table && id !== null && key.length === 1 && key[0] === id;
    });
    const score = (m: Mention) => {
      const column = (m.entry as Extract<LexEntry, { kind: 'value' }>).column;
      if (this.mentionedColumns.has(column)) return -1;
      if (beside.has(column)) return -0.75;
      const table = column.split('.')[0] as string;
      // A code with a declared context ("медицинские услуги": purchases of that MCC group) over the
      // columns that merely share its codes (a card's cashback category).
      if (this.model.file.valueContexts[table]) return -0.5;
      if (table === this.model.entity.table) return 0;
      if (graph.lookupPath(this.model.entity.table, table)) return 1;
      // A client profile table (one row per client: client_employment) and its lookups (ref_industry).
      if (profiles.some((p) => p === table || graph.lookupPath(p, table) !== null)) return 1.5;
      if (graph.ownsEntityId(table)) return 2;
      return 3 + (graph.ownerPath(table)?.length ?? 10);
    };
    // Equal otherwise, the model's order of value columns decides: a region before a city of its name.
    const order = (m: Mention) => {
      const i = this.model.file.valueColumns.indexOf(
        (m.entry as Extract<LexEntry, { kind: 'value' }>).column,
      );
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    return [...alternatives].sort((a, b) => score(a) - score(b) || order(a) - order(b))[0] as Mention;
  }

  /**
   * The criteria of a group. An attribute refined by a negated value ("полис ОСАГО, но нет КАСКО") is two
   * criteria: the attribute with the positive values, and the attribute with the negated ones, excluded.
   */
  private build(group: Group): { expr: Expr; exclude: boolean }[] {
    const negatedValues = group.attr ? group.values.filter((v) => v.negated) : [];
    if (group.attr && negatedValues.length > 0 && negatedValues.length < group.values.length) {
      const attr = (group.attr.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
      const positive = this.buildOne({ ...group, values: group.values.filter((v) => !v.negated) });
      const where = valueCondition(negatedValues.map((v) => ({ ...v, negated: false })));
      const excluded: Expr = { type: 'attr', attr: attr.name, ...(where ? { where } : {}) };
      return [...(positive ? [positive] : []), { expr: excluded, exclude: true }];
    }
    this.secondBound = null;
    const one = this.buildOne(group);
    const second = this.secondBound as Expr | null;
    return one ? [one, ...(second ? [{ expr: second, exclude: false }] : [])] : [];
  }

  private buildOne(group: Group): { expr: Expr; exclude: boolean } | null {
    const parts = [valueCondition(group.values), ...group.extraWhere].filter(
      (c): c is RowCondition => c !== undefined,
    );
    const where: RowCondition | undefined = parts.length > 1 ? { all: parts } : parts[0];
    if (!group.attr) {
      if (!where) return null;
      const negated = group.values.length > 0 ? group.values.every((v) => v.negated) : group.negated === true;
      const values = valueCondition(group.values);
      if (negated && values && group.extraWhere.length > 0) {
        // "Users (not owners) of accounts in north Moravia": the rows that are not owners', in north
        // Moravia; the negation is the value's, not the whole row condition's.
        const rows: RowCondition = { all: [{ not: values }, ...group.extraWhere] };
        return { expr: this.windowed(rows, group.window ?? this.fragmentWindow), exclude: false };
      }
      const window = group.window ?? this.fragmentWindow;
      const held =
        window || group.values.length === 0 || group.extraWhere.length > 0
          ? undefined
          : this.heldProduct(where);
      // "no KASKO", "есть ДМС", "премиальных карт": a kind of a product's rows is that product held now.
      if (held) return { expr: { type: 'attr', attr: held.name, where }, exclude: negated };
      return { expr: this.windowed(where, window), exclude: negated };
    }
    this.countInstead(group);
    const attr = (group.attr.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
    const negated = group.attr.negated;
    const otherState = this.otherState(attr, group, parts);
    if (otherState) return { expr: otherState, exclude: negated };
    const predicate: Extract<Predicate, { type: 'attr' }> = { type: 'attr', attr: attr.name };
    if (where) predicate.where = where;
    const m = attr.measure;
    if (group.window && m.kind !== 'scalar' && (m.window || this.model.file.tables[m.table]?.date)) {
      predicate.window = group.window.span;
      if (group.window.before) predicate.before = group.window.before;
    }
    if (attr.type === 'boolean') {
      // "без кредитной карты": the criterion is the product, excluded.
      return { expr: predicate, exclude: negated };
    }
    let cmp: Comparison | undefined = group.cmp?.cmp && scaled(group.cmp.cmp, group.cmp.unit, attr.unit);
    // "годовой доход от 1,2 млн", "annual income above 2.4 million": a yearly amount of a monthly value.
    const monthly =
      attr.per === 'month' || (attr.measure.kind === 'aggregate' && attr.measure.per === 'month');
    const perYear = PER_YEAR.exec(this.text);
    if (cmp && monthly && attr.unit === 'rub' && perYear) {
      cmp = scaled(cmp, 'year-amount', 'month-amount');
      group.marks.push({ start: perYear.index, end: perYear.index + perYear[0].length });
    }
    // "не моложе 18", "не более 2": a negation that belongs to the comparison is already in its operator.
    const inComparison =
      group.cmp !== undefined &&
      group.attr.negationAt !== undefined &&
      group.attr.negationAt >= group.cmp.start &&
      group.attr.negationAt < group.cmp.end;
    if (cmp && negated && !inComparison && !group.cmp?.unit) cmp = negate(cmp);
    // An offer's text is full of numbers and product words: there a measure counts only with a number or
    // with values that narrow its rows ("already spending on repairs": purchases in that MCC group).
    if (!cmp && this.explicit && group.values.length === 0) return null;
    // "без просрочек": clients with any, excluded (a client with no rows at all has none either).
    if (!cmp && negated) return { expr: { ...predicate, cmp: { op: 'gt', value: 0 } }, exclude: true };
    if (!cmp) cmp = { op: 'gt', value: 0 };
    if (group.cmp2) {
      // Two bounds stay two criteria ("старше 18" and "младше 30"), each with its own count.
      this.secondBound = { ...predicate, cmp: scaled(group.cmp2.cmp, group.cmp2.unit, attr.unit) };
    }
    predicate.cmp = cmp;
    const expr =
      this.perMonthVariant(predicate, attr, group.perMonth) ??
      this.totalVariant(
        predicate,
        attr,
        group.perMonth,
        group.window !== undefined,
        group.averaged === true,
      ) ??
      predicate;
    return { expr, exclude: false };
  }

  /**
   * "вклад закрыт за последние 3 месяца", "repaid a loan", "подписка отменена в 2026": a state of the
   * product's rows that its attribute excludes (it counts active ones). The criterion is then the rows in
   * that state, without the attribute's own condition on the state's column; a window or period refers to
   * the date those rows ended when the model declares one for the table.
   */
  private otherState(attr: Attribute, group: Group, parts: RowCondition[]): Expr | null {
    const m = attr.measure;
    if (m.kind !== 'related' || attr.type !== 'boolean') return null;
    const states = group.values
      .map((v) => v.entry as Extract<LexEntry, { kind: 'value' }>)
      .filter((e) => fixedBy(attr, e.column) && !allowedBy(attr, e.column, e.value));
    if (states.length === 0) return null;
    const config = this.model.file.tables[m.table];
    const ended = config?.endDate ?? config?.date;
    const periodColumn = config?.date ? `${m.table}.${config.date}` : undefined;
    const where = [
      withoutColumns(
        m.where,
        states.map((e) => e.column),
      ),
      ...parts.map((p) => (ended && periodColumn ? retarget(p, periodColumn, `${m.table}.${ended}`) : p)),
    ].filter((c): c is RowCondition => c !== undefined);
    const window = group.window ?? this.fragmentWindow;
    return {
      type: 'related',
      table: m.table,
      quantifier: m.quantifier,
      where: where.length === 1 ? (where[0] as RowCondition) : { all: where },
      ...(window && ended ? { window: { column: `${m.table}.${ended}`, last: window.span } } : {}),
    };
  }

  /**
   * "more than 20 transfers", "5 переводов": a bare number right before an amount attribute's word counts
   * its rows; the group switches to the model's count of the same rows, when it has one.
   */
  private countInstead(group: Group): void {
    const entry = group.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined;
    const cmp = group.cmp;
    if (!entry || !group.attr || !cmp || cmp.unit !== undefined || entry.attr.unit !== 'rub') return;
    const words = group.attr.wordStart ?? group.attr.start;
    if (cmp.end > words || !/^\s*$/.test(this.text.slice(cmp.end, words))) return;
    const m = entry.attr.measure;
    const count = this.model
      .allAttributes()
      .find(
        (a) =>
          a.unit === 'count' &&
          a.measure.kind === 'aggregate' &&
          a.measure.fn === 'count' &&
          a.measure.table === m.table &&
          JSON.stringify(a.measure.where ?? null) ===
            JSON.stringify(m.kind === 'scalar' ? null : (m.where ?? null)),
      );
    if (count) group.attr = { ...group.attr, entry: { kind: 'attr', attr: count, stems: entry.stems } };
  }

  /**
   * The yes/no attribute of holding the product whose rows `where` is about: the model's attribute over
   * that table whose only conditions are the rows' state (active, open, not closed).
   */
  private heldProduct(where: RowCondition): Attribute | undefined {
    const columns = conditionColumns(where);
    const tables = new Set(columns.map((c) => c.split('.')[0] as string));
    if (tables.size !== 1) return undefined;
    const [table] = [...tables] as [string];
    return this.model
      .allAttributes()
      .filter((a) => {
        const m = a.measure;
        return (
          a.type === 'boolean' &&
          m.kind === 'related' &&
          m.table === table &&
          m.quantifier === 'some' &&
          !m.window &&
          m.where !== undefined &&
          conditionColumns(m.where).every((c) => STATE_COLUMN.test(c.split('.')[1] as string)) &&
          !conditionColumns(m.where).some((c) => columns.includes(c))
        );
      })
      .sort(
        (a, b) =>
          conditionColumns((a.measure as { where?: RowCondition }).where).length -
          conditionColumns((b.measure as { where?: RowCondition }).where).length,
      )[0];
  }

  /**
   * "покупки на сумму от 20 000 за полгода": a monthly-average attribute with an explicit window and no
   * "в месяц" / "в среднем" is asked for its total over that window.
   */
  private totalVariant(
    predicate: Extract<Predicate, { type: 'attr' }>,
    attr: Attribute,
    perMonth: boolean,
    windowed: boolean,
    averaged: boolean,
  ): Expr | null {
    const m = attr.measure;
    if (perMonth || averaged || !windowed || m.kind !== 'aggregate' || m.per !== 'month' || !m.window)
      return null;
    return {
      type: 'aggregate',
      table: m.table,
      fn: m.fn,
      ...(m.column ? { column: m.column } : {}),
      where: m.where && predicate.where ? { all: [m.where, predicate.where] } : (m.where ?? predicate.where),
      window: predicate.window
        ? {
            column: m.window.column,
            last: predicate.window,
            ...(predicate.before ? { before: predicate.before } : {}),
          }
        : m.window,
      cmp: predicate.cmp as Comparison,
    };
  }

  /** "в месяц" on a total (sum over a window) asks for the monthly average of that total. */
  private perMonthVariant(
    predicate: Extract<Predicate, { type: 'attr' }>,
    attr: Attribute,
    perMonth: boolean,
  ): Expr | null {
    const m = attr.measure;
    if (!perMonth || m.kind !== 'aggregate' || m.per === 'month' || m.fn !== 'sum' || !m.window) return null;
    return {
      type: 'aggregate',
      table: m.table,
      fn: m.fn,
      ...(m.column ? { column: m.column } : {}),
      per: 'month',
      where: m.where && predicate.where ? { all: [m.where, predicate.where] } : (m.where ?? predicate.where),
      window: predicate.window
        ? {
            column: m.window.column,
            last: predicate.window,
            ...(predicate.before ? { before: predicate.before } : {}),
          }
        : m.window,
      cmp: predicate.cmp as Comparison,
    };
  }
}

/** A condition with one column replaced by another (a period about opening read as one about closing). */
function retarget(cond: RowCondition, from: string, to: string): RowCondition {
  if ('column' in cond) return cond.column === from ? { ...cond, column: to } : cond;
  if ('all' in cond) return { all: cond.all.map((c) => retarget(c, from, to)) };
  if ('any' in cond) return { any: cond.any.map((c) => retarget(c, from, to)) };
  return { not: retarget(cond.not, from, to) };
}

function beforeOf(window: WindowMention): { before?: Span } {
  return window.before ? { before: window.before } : {};
}

/** Two spans added; in days when their units differ (a month as 30 days). */
function sumSpans(a: Span, b: Span): Span {
  if (a.unit === b.unit) return { n: a.n + b.n, unit: a.unit };
  const days = (s: Span) => s.n * (s.unit === 'day' ? 1 : s.unit === 'month' ? 30 : 365);
  return { n: days(a) + days(b), unit: 'day' };
}
