import {
  CompileError,
  CriteriaCompiler,
  type Attribute,
  type Comparison,
  type Expr,
  type Predicate,
  type Span,
  type RowCondition,
  type SemanticModel,
} from '@t2s/semantic';
import { buildLexicon, priority, type LexEntry } from './lexicon';
import {
  comparisonWordsBefore,
  findComparisons,
  findDatePeriods,
  findQuantities,
  findPerMonth,
  findWindows,
  type ComparisonMention,
  type Mark,
  type WindowMention,
} from './text/quantities';
import { screenText, showWithin, type HostileSpan } from './text/hostile-text';
import { cyrillicStems, normalize, phraseStems, tokenize, type Token } from './text/tokens';

export interface ParseResult {
  criteria: ParsedCriterion[];
  /** Fragments (or parts of them) that map to no warehouse data; shown on the segment, never dropped. */
  unparsed: string[];
}
import {
  conditionColumns,
  equalities,
  distance,
  allowedBy,
  fixedBy,
  isNumeric,
  negate,
  negateIf,
  DATE_TYPE,
  NUMERIC_TYPE,
  opposite,
  scaled,
  unitFactor,
  unitPenalty,
  valueCondition,
} from './parser/conditions';
import { matchAt, stemsClose } from './parser/matching';

const CODE = /^[A-Z][A-Z0-9_]{2,}$/;
const PER_YEAR = /годов[а-я]*|в год(?![а-я])|per year|a year|annual(?:ly)?|yearly|per annum/;
const SWITCHED_OFF =
  /^\s*(?:(?:are|is|were|was)\s+)?(?:turned off|switched off|disabled|отключен[аыо]?|выключен[аыо]?|запрещен[аыо]?)(?![a-zа-я])/;

const NEW_ONE =
  /(?<![a-zа-я])(?:(?:not|never)\s+(?:[a-z]+\s+){0,2}(?:a new one|another one|a new|new ones?)|(?:не|ни)\s+(?:[а-я]+\s+){0,2}(?:новый|новую|нового|новой|новых|другой|другого)|(?:новый|новую|нового|новой|новых)\s+(?:[а-я]+\s+)?не\s+[а-я]+)(?![a-zа-я])/;
const PEOPLE =
  /(?<![a-zа-я])(?:clients|customers|people|youth|students|pensioners|seniors|клиенты|клиентов|клиентам|люди|людей|молодежь|студенты|пенсионеры)\s*$/;
const RECENTLY = /(?<![a-zа-я])(?:недавно|в последнее время|на днях|recently|lately|of late)(?![a-zа-я])/;
const NOT_ONE =
  /(?<![a-zа-я])(ни|not)\s+(?:одного|одной|одну|один|единого|единой|a single|one|any)(?![a-zа-я])/g;
import {
  anaphora,
  countInstead,
  datedWindow,
  feeColumns,
  foldColumns,
  fractionWords,
  heldProduct,
  otherState,
  ratio,
  share,
  STATE_COLUMN,
  tenure,
  transitions,
} from './parser/constructions';
import type { Group, Mention, ParsedCriterion } from './parser/parse-types';

export type { ParsedCriterion };
import {
  EXCLUDE_LEADS,
  FILLER,
  FILLER_PHRASES,
  fragmentSpans,
  leftovers,
  NEGATIONS,
  splitFragments,
} from './parser/words';

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
    // Hostile text (SQL, escape sequences, invisible characters, quote debris) is blanked before anything
    // is read, and reported where it is, with its invisible characters shown.
    const { masked, spans } = screenText(text);
    const outside = [...spans];
    const reportBefore = (at: number) => {
      while (outside.length > 0 && (outside[0] as HostileSpan).start < at)
        unparsed.push((outside.shift() as HostileSpan).shown);
    };
    for (const span of fragmentSpans(masked)) {
      // The fragment takes in the hostile spans of its piece of text ("возраст больше pg_sleep(10)").
      const inside = outside.filter((s) => s.start >= span.piece.start && s.end <= span.piece.end);
      const start = Math.min(span.start, ...inside.map((s) => s.start));
      const end = Math.max(span.end, ...inside.map((s) => s.end));
      reportBefore(start);
      outside.splice(outside.indexOf(inside[0] as HostileSpan), inside.length);
      const fragment = masked.slice(start, end);
      const shown = showWithin(text, spans, start, end);
      if (anaphora(this.model, fragment, criteria, shown)) {
        unparsed.push(...inside.map((s) => s.shown));
        continue;
      }
      const hostile = inside.map((s) => ({ ...s, start: s.start - start, end: s.end - start }));
      const result = this.parseFragment(fragment, text.slice(start, end), hostile);
      for (const expr of result.exprs) {
        criteria.push({
          text: shown,
          spec: { id: `${idPrefix}${criteria.length + 1}`, kind: expr.kind, expr: expr.expr },
        });
      }
      unparsed.push(...result.unparsed);
    }
    reportBefore(Infinity);
    return { criteria, unparsed };
  }

  /**
   * One fragment: `raw` with its hostile spans blanked, `original` as written, and `hostile` the spans
   * (offsets in the fragment), reported with what was not read, invisible characters shown.
   */
  private parseFragment(
    raw: string,
    original: string,
    hostile: HostileSpan[],
  ): {
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
    // "недавно оспаривали операцию": the model's convention for "recently", when no window is written.
    const recently = this.model.file.recently;
    const recentWord = windows.length === 0 && recently ? RECENTLY.exec(text) : null;
    if (recentWord && recently) {
      windows.push({ span: recently, start: recentWord.index, end: recentWord.index + recentWord[0].length });
    }
    this.fragmentWindow = windows[0];
    const comparisons = findComparisons(text, [...windows, ...perMonth, ...periods]);
    // A number right next to a word mangled by hostile characters may have lost its comparison words or
    // its unit to it ("бо⟨U+200B⟩льше 30", "100 тыс⟨U+00AD⟩"): it is no more readable than that word.
    for (const c of comparisons) if (hostile.some((h) => h.word && touching(text, c, h))) c.unreadable = true;
    comparisons.push(...unreadable(text, hostile));
    comparisons.sort((a, b) => a.start - b.start);
    // Words of a number ("1 million") name no value or column; "ежемесячной выпиской" still names one.
    const mentions = this.findMentions(tokens, [...windows, ...fillers, ...findQuantities(text)]);

    const groups = this.group(text, mentions, comparisons, windows, perMonth.length > 0);
    // An attribute whose number is hostile text says nothing readable: it is reported as written, from
    // its words to the hostile text ("возраст больше pg_sleep(10)"), and so are hostile numbers no
    // attribute took ("больше pg_sleep(10)").
    const unread: Mark[] = [];
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i] as Group;
      if (!g.cmp?.unreadable && !g.cmp2?.unreadable) continue;
      unread.push({
        start: Math.min(...g.marks.map((m) => m.start)),
        end: Math.max(...g.marks.map((m) => m.end)),
      });
      groups.splice(i, 1);
    }
    const taken = new Set(groups.flatMap((g) => g.marks));
    for (const c of comparisons) {
      if (c.unreadable && !taken.has(c) && !unread.some((u) => c.start >= u.start && c.end <= u.end))
        unread.push({ start: c.start, end: c.end });
    }
    const ratioMark = ratio(groups, text);
    if (ratioMark) {
      // The number of "в 1,5 раза" is the ratio's, not a comparison of its own.
      for (let i = comparisons.length - 1; i >= 0; i--) {
        const c = comparisons[i] as ComparisonMention;
        if (c.start < ratioMark.end && ratioMark.start < c.end) comparisons.splice(i, 1);
      }
    }
    const datedGroups = this.datePeriods(groups, mentions, periods, text);
    const averaged = /средн|average/.test(text);
    for (const group of groups) group.averaged = averaged;
    const exprs: { kind: 'include' | 'exclude'; expr: Expr }[] = [];
    const used: Mark[] = [...windows, ...perMonth, ...fillers];
    const shared = share(groups, text, this.fragmentWindow);
    if (shared) {
      exprs.push({ kind: 'include', expr: shared.expr });
      used.push(...shared.marks);
    } else {
      fractionWords(groups, text);
      foldColumns(groups);
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
      .filter(
        (c) => !c.unreadable && !assigned.has(c) && !used.some((m) => c.start >= m.start && c.end <= m.end),
      )
      .map((c) => text.slice(c.start, c.end).trim());
    used.push(...comparisons, ...unread);
    // What is reported as written: the unread stretches, and the hostile spans outside them.
    const reported = [
      ...unread.map((u) => ({ ...u, shown: showWithin(original, hostile, u.start, u.end) })),
      ...hostile.filter((h) => !unread.some((u) => h.start >= u.start && h.end <= u.end)),
    ];
    return {
      exprs,
      unparsed: [
        ...leftovers(showWithin(original, hostile), text, tokens, used, exprs.length === 0, reported),
        ...(exprs.length ? stray : []),
      ],
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
    // Numbers first: hostile text only takes a numeric attribute that none of them went to.
    for (const cmp of [
      ...comparisons.filter((c) => !c.unreadable),
      ...comparisons.filter((c) => c.unreadable),
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
      // Hostile text no numeric attribute takes is no number of anything else either.
      if (cmp.unreadable) continue;
      // An offer's own numbers are terms and prices; "held … for at least a year" is still a tenure.
      if (this.explicit) {
        if (cmp.cmp.op !== 'eq') tenure(this.model, groups, cmp, text);
        continue;
      }
      if (this.toColumn(groups, columns, cmp, text)) continue;
      if (this.companion(groups, cmp, text)) continue;
      if (tenure(this.model, groups, cmp, text)) continue;
      if (this.impliedByValue(groups, values, cmp, text, perMonth)) continue;
      // "women over 35", "клиенты до 30": a bare number right after the people it is about is in years.
      const people = cmp.unit === undefined ? this.aboutPeople(values, cmp, text) : undefined;
      const unit = cmp.unit ?? (people ? 'year' : undefined);
      const fallback = this.model
        .allAttributes()
        .find((a) => a.defaultForUnit !== undefined && a.defaultForUnit === unit);
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
          marks: people ? [cmp, people] : [cmp],
        });
      }
    }
    // "многодетные": words that carry their own comparison, when no number was written for them.
    for (const group of groups) {
      if (group.cmp !== undefined || !group.attr) continue;
      const phrased = group.marks.find(
        (m): m is Mention =>
          'entry' in m && (m as Mention).entry.kind === 'attr' && 'cmp' in (m as Mention).entry,
      );
      const cmp = phrased && (phrased.entry as Extract<LexEntry, { kind: 'attr' }>).cmp;
      if (phrased && cmp) group.cmp = { cmp, start: phrased.start, end: phrased.end };
    }
    for (const window of windows) {
      if (datedWindow(groups, mentions, window)) continue;
      const owner = [...groups].reverse().find((g) => g.attr && g.attr.start <= window.start) ?? groups[0];
      if (owner) owner.window = window;
    }
    const loose: Mention[] = [];
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
          (g) => g.attr && this.refines((g.attr.entry as Extract<LexEntry, { kind: 'attr' }>).attr, value),
        );
      if (!owner) continue;
      attached.set(spanOf(value), columnOf(value));
      owner.marks.push(value);
      // "действующей кредитной карты": a value the attribute already requires adds nothing.
      const attr = (owner.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
      const entry = value.entry as Extract<LexEntry, { kind: 'value' }>;
      if (!fixedBy(attr, entry.column) || !allowedBy(attr, entry.column, entry.value))
        owner.values.push(value);
    }
    for (const value of values)
      if (!attached.has(spanOf(value)) && !this.ownState(value, groups)) loose.push(value);
    groups.push(...transitions(this.model, loose, text, this.fragmentWindow));
    if (!this.explicit) this.booleanColumns(groups, columns, mentions);
    feeColumns(this.model, groups, columns, text);
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
      if (!target) {
        this.foldKind(groups, bool, b);
        continue;
      }
      const extra = [b.measure.where, valueCondition(bool.values)].filter(
        (c): c is RowCondition => c !== undefined,
      );
      target.extraWhere.push(...extra);
      target.marks.push(...bool.marks);
      groups.splice(groups.indexOf(bool), 1);
    }
  }

  /**
   * "applied for a mortgage", "заявки на автокредит": a product named right next to an attribute of
   * other rows is the kind those rows are about (the application's loan type), when the attribute
   * declares that column as a refinement; the product itself is then no criterion.
   */
  private foldKind(groups: Group[], bool: Group, b: Attribute): void {
    const kinds = equalities(b.measure.kind === 'scalar' ? undefined : b.measure.where).filter(
      (c) => !STATE_COLUMN.test(c.column.split('.')[1] as string),
    );
    if (kinds.length === 0 || !bool.attr) return;
    const self = bool.attr;
    const target = groups.find((g) => {
      const n = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
      if (!n || !g.attr || g === bool || n.measure.table === b.measure.table || g.attr.negated) return false;
      const near = Math.min(...g.marks.map((m) => distance(m, self, this.text))) <= 20;
      return (
        near && kinds.every((c) => n.refinements.includes(`${n.measure.table}.${c.column.split('.')[1]}`))
      );
    });
    const n = (target?.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
    if (!target || !n) return;
    for (const c of kinds) {
      target.extraWhere.push({ column: `${n.measure.table}.${c.column.split('.')[1]}`, cmp: c.cmp });
    }
    target.window ??= bool.window;
    target.marks.push(...bool.marks);
    groups.splice(groups.indexOf(bool), 1);
  }

  /**
   * "с вкладом от 500 тыс.": an amount next to a yes/no attribute asks for the numeric attribute over
   * the same rows (deposit amount); the group switches to it when the model has one with that unit.
   */
  private companion(groups: Group[], cmp: ComparisonMention, text: string): boolean {
    // The number follows the product ("с вкладом от 500 тыс.") or counts it ("more than 2 cards");
    // "women over 35 with a gold card" is not a card limit.
    const wordsAt = (g: Group) => g.attr?.wordStart ?? g.attr?.start ?? 0;
    const adjacent = (g: Group) => cmp.end <= wordsAt(g) && /^\s*$/.test(text.slice(cmp.end, wordsAt(g)));
    const beside = (g: Group) => g.attr !== undefined && (g.attr.end <= cmp.start || adjacent(g));
    const near = groups
      .filter((g) => g.attr && g.cmp === undefined && !isNumeric(g.attr.entry) && beside(g))
      .map((g) => ({ g, d: Math.min(...g.marks.map((m) => distance(m, cmp, text))) }))
      .sort((a, b) => a.d - b.d)[0];
    if (!near || near.d > 40) return false;
    const boolAttr = (near.g.attr?.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
    const counts =
      adjacent(near.g) &&
      (cmp.unit === undefined || cmp.unit === 'count') &&
      boolAttr.type === 'boolean' &&
      boolAttr.measure.kind === 'related';
    if (counts) {
      near.g.cmp = cmp;
      near.g.countRows = true;
      near.g.marks.push(cmp);
      return true;
    }
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

  /** A bare number of a person's years right after words for the people themselves (a client column's value). */
  private aboutPeople(values: Mention[], cmp: ComparisonMention, text: string): Mark | undefined {
    const numbers = 'value' in cmp.cmp ? [cmp.cmp.value] : 'min' in cmp.cmp ? [cmp.cmp.min, cmp.cmp.max] : [];
    if (numbers.length === 0 || !numbers.every((n) => typeof n === 'number' && n >= 14 && n <= 120))
      return undefined;
    const words = PEOPLE.exec(text.slice(0, cmp.start));
    if (words) return { start: words.index, end: words.index + words[0].length };
    const entity = `${this.model.entity.table}.`;
    return values.find(
      (v) =>
        (v.entry as Extract<LexEntry, { kind: 'value' }>).column.startsWith(entity) &&
        /^\s*$/.test(text.slice(v.end, cmp.start)),
    );
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
    // "открыли брокерский счёт": a state word right before a held product is that product's event
    // (its opening), not the state of another table that shares the word.
    const next =
      owner ??
      groups.find((g) => {
        const attr = (g.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
        return (
          attr?.type === 'boolean' &&
          attr.measure.kind === 'related' &&
          attr.measure.table !== table &&
          g.attr !== undefined &&
          g.attr.start >= value.end &&
          /^\s*$/.test(this.text.slice(value.end, g.attr.start))
        );
      });
    next?.marks.push(value);
    return next !== undefined;
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
    // One label of several values of a column ("trouble repaying": a loan finished unpaid, or in debt) is
    // all of them.
    const picked = [...bySpan.values()]
      .flatMap((alternatives) => {
        const best = columnOf(this.pickColumn(alternatives, sole));
        return alternatives.filter((a) => columnOf(a) === best);
      })
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
    const held = group.attr?.entry.kind === 'attr' && group.attr.entry.attr.type === 'boolean';
    if (held && !group.attr?.negated && negatedValues.length > 0) {
      // "never had trouble repaying a loan": a product held only in the negated kind is that kind, excluded.
      const one = this.buildOne({ ...group, values: negatedValues.map((v) => ({ ...v, negated: false })) });
      return one ? [{ expr: one.expr, exclude: !one.exclude }] : [];
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
          : heldProduct(this.model, where);
      // "no KASKO", "есть ДМС", "премиальных карт": a kind of a product's rows is that product held now.
      if (held) return { expr: { type: 'attr', attr: held.name, where }, exclude: negated };
      return { expr: this.windowed(where, window), exclude: negated };
    }
    countInstead(this.model, group, this.text);
    const attr = (group.attr.entry as Extract<LexEntry, { kind: 'attr' }>).attr;
    const negated = group.attr.negated;
    const inOtherState = otherState(this.model, attr, group, parts, this.fragmentWindow);
    if (inOtherState) return { expr: inOtherState, exclude: negated };
    const predicate: Extract<Predicate, { type: 'attr' }> = { type: 'attr', attr: attr.name };
    if (where) predicate.where = where;
    const m = attr.measure;
    if (group.window && m.kind !== 'scalar' && (m.window || this.model.file.tables[m.table]?.date)) {
      predicate.window = group.window.span;
      if (group.window.before) predicate.before = group.window.before;
    }
    if (attr.type === 'boolean' && group.countRows && group.cmp && m.kind === 'related') {
      // "more than 2 cards", "две кредитные карты": how many of the product's rows the client has.
      const own = [m.where, where].filter((c): c is RowCondition => c !== undefined);
      const date = this.model.file.tables[m.table]?.date;
      const counted: Expr = {
        type: 'aggregate',
        table: m.table,
        fn: 'count',
        ...(own.length > 0 ? { where: own.length === 1 ? own[0] : { all: own } } : {}),
        ...(group.window && date
          ? { window: { column: `${m.table}.${date}`, last: group.window.span } }
          : {}),
        cmp: group.cmp.cmp,
      };
      // "не менее двух вкладов": the negation is the comparison's own.
      const at = group.attr.negationAt;
      const inComparison = at !== undefined && at >= group.cmp.start && at < group.cmp.end;
      return { expr: counted, exclude: negated && !inComparison };
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
    return asAggregate(predicate, m, m.window, undefined);
  }

  /** "в месяц" on a total (sum over a window) asks for the monthly average of that total. */
  private perMonthVariant(
    predicate: Extract<Predicate, { type: 'attr' }>,
    attr: Attribute,
    perMonth: boolean,
  ): Expr | null {
    const m = attr.measure;
    if (!perMonth || m.kind !== 'aggregate' || m.per === 'month' || !m.window) return null;
    // "5 покупок в месяц": a count per month is as much a rate as an amount per month.
    if (m.fn !== 'sum' && m.fn !== 'count') return null;
    return asAggregate(predicate, m, m.window, 'month');
  }
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

/**
 * An attribute predicate as the aggregate its measure computes (a total, or with `per` a monthly
 * rate), its conditions added to the measure's and its window replacing the measure's own.
 */
function asAggregate(
  predicate: Extract<Predicate, { type: 'attr' }>,
  m: Extract<Attribute['measure'], { kind: 'aggregate' }>,
  window: NonNullable<Extract<Attribute['measure'], { kind: 'aggregate' }>['window']>,
  per: 'month' | undefined,
): Expr {
  return {
    type: 'aggregate',
    table: m.table,
    fn: m.fn,
    ...(m.column ? { column: m.column } : {}),
    ...(per ? { per } : {}),
    where: m.where && predicate.where ? { all: [m.where, predicate.where] } : (m.where ?? predicate.where),
    window: predicate.window
      ? {
          column: window.column,
          last: predicate.window,
          ...(predicate.before ? { before: predicate.before } : {}),
        }
      : window,
    cmp: predicate.cmp as Comparison,
  };
}

/** Whether only spaces part two stretches of a line. */
function touching(text: string, a: Mark, b: Mark): boolean {
  const [left, right] = a.start <= b.start ? [a, b] : [b, a];
  return left.end <= right.start && /^[ \t]*$/.test(text.slice(left.end, right.start));
}

/**
 * Hostile spans standing where a number would: after comparison words ("больше pg_sleep(10)") or with
 * digits of their own (`ESC[31m`). Each is a comparison nobody can read (see ComparisonMention).
 */
function unreadable(text: string, hostile: readonly HostileSpan[]): ComparisonMention[] {
  return hostile.flatMap((h) => {
    const words = comparisonWordsBefore(text, text.slice(0, h.start).trimEnd().length);
    // A comment ("/* 500 */") is text set aside, not a value written in its place.
    const digits = /\d/.test(h.shown) && h.kinds.some((k) => k !== 'comment');
    if (words === null && !digits) return [];
    return [{ cmp: { op: 'eq', value: 0 }, start: words ?? h.start, end: h.end, unreadable: true }];
  });
}
