// Step: what the fragment's words name.
// Reads: tokens, `raw` (the case of code words), `text`, the windows, fillers and number words (whose
// words name nothing), the lexicon.
// Produces: mentions of attributes, values and columns, in text order: longest first where they
// overlap (the same words naming a value in several columns: all of them); an attribute's own words
// next to it absorbed; a negation word before a mention, or "switched off" after a yes/no attribute,
// negating it. Article-like values ("рейтинг A") set aside as `fillerValues`.
import { Lexicon, wordSenses } from '@t2s/lexicon';
import { priority, type LexEntry } from '../../lexicon';
import type { Mark } from '../../text/quantities';
import { cyrillicStems, normalize, tokenize, type Token } from '../../text/tokens';
import { unitPenalty } from '../conditions';
import type { FragmentContext, MarkedText, ParseContext } from '../context';
import { candidatesByStem, namesValue, pastVerb, vocabulary, type LexiconIndex } from '../lexicon-index';
import { matchAt } from '../matching';
import { glueVerbs, PARTICIPLE } from '../glue-verbs';
import { negatedTogether } from '../negated-together';
import { includedIn, negatedNames } from '../negated-names';
import { ownNameWords } from '../own-name-words';
import { placeValues } from '../place-words';
import { quotedNames } from '../quoted-names';
import type { Mention } from '../parse-types';
import { CODE, FILLER, NEGATIONS } from '../words';

const SWITCHED_OFF =
  /^\s*(?:(?:are|is|were|was)\s+)?(?:turned off|switched off|disabled|отключен[аыо]?|выключен[аыо]?|запрещен[аыо]?)(?![a-zа-я])/;

/** Whether a value's label says its words negated ("finished without problems", "не просрочен"). */
function negatedInLabel(ctx: ParseContext, mention: Mention, tokens: readonly Token[]): boolean {
  if (mention.entry.kind !== 'value') return false;
  const terms = ctx.model.labelsOf(mention.entry.column)[mention.entry.value];
  if (!terms) return false;
  const own = new Set(tokens.slice(mention.first, mention.last + 1).map((t) => t.stem));
  return [...terms.ru, ...terms.en].some((label) => {
    const words = tokenize(normalize(label)).filter((t) => t.kind === 'word');
    return words.some((w, i) => NEGATIONS.has(w.text) && own.has(words[i + 1]?.stem ?? ''));
  });
}

export function findMentions(ctx: ParseContext, marked: MarkedText): FragmentContext {
  const lexicon = ctx.lexicon;
  const { tokens, raw, text } = marked;
  // Words of a number ("1 million") name no value or column; "ежемесячной выпиской" still names one.
  const skip: Mark[] = [...marked.windows, ...marked.fillers, ...marked.numbers];
  const candidates: Mention[] = [];
  const fillerValues: Mention[] = [];
  tokens.forEach((token, i) => {
    if (skip.some((s) => token.start >= s.start && token.end <= s.end)) return;
    // "приходили в отделение": a verb is no form of a noun a letter or two apart ("приходные операции").
    const verb = /[а-я]/.test(token.text) && pastVerb(token);
    // "Kazan", "Yekaterinburg": a Latin spelling of a one-word Russian value (a city, a region).
    const named =
      candidatesByStem(lexicon, token.stem, verb).length > 0 || lexicon.byFirstStem.has(`=${token.text}`);
    const cyrillic = named ? [] : cyrillicStems(token.text);
    for (const entry of cyrillic.flatMap((c) => lexicon.byFirstStem.get(c) ?? [])) {
      if (entry.kind !== 'value' || entry.stems.length !== 1 || entry.exact) continue;
      candidates.push({ entry, first: i, last: i, start: token.start, end: token.end, negated: false });
    }
    for (const entry of [
      ...candidatesByStem(lexicon, token.stem, verb),
      ...(lexicon.byFirstStem.get(`=${token.text}`) ?? []),
    ]) {
      const last = matchAt(tokens, i, entry, (t) => !namesValue(lexicon, t));
      if (last === null) continue;
      // A code ("OPENED", "PRODUCT") stands for itself only when written as one: in lower case it is
      // an ordinary word ("have not opened a new product"); its labels name it in plain words.
      if (entry.kind === 'value' && entry.exact && CODE.test(entry.value)) {
        const written = raw.slice(token.start, token.end);
        if (written !== written.toUpperCase()) continue;
      }
      if (
        entry.kind === 'value' &&
        !entry.declared &&
        tokens.slice(i, last + 1).every((t) => FILLER.has(t.stem))
      ) {
        // "рейтинг A": an article-like value counts only next to its column's name (see valueMentions).
        fillerValues.push({
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
    // "москвичи", "Подмосковье": a word no name began at, built on a place's name.
    if (/[а-яё]/.test(token.text) && !candidates.some((c) => c.first === i))
      for (const entry of placeValues(ctx.model, lexicon, token.text))
        candidates.push({ entry, first: i, last: i, start: token.start, end: token.end, negated: false });
  });
  // "подписка «Плюс»": a quoted name is the value that quotes it, whatever its words name otherwise.
  for (const quoted of quotedNames(ctx.linker, raw)) {
    const inside = tokens.flatMap((t, k) => (t.start >= quoted.start && t.end <= quoted.end ? [k] : []));
    if (inside.length === 0) continue;
    const [first, last] = [inside[0] as number, inside.at(-1) as number];
    // "картой «Мир»": quoted words that are a value's whole name already are that value.
    const named = candidates.some(
      (c) => c.entry.kind === 'value' && !c.entry.partial && c.first === first && c.last === last,
    );
    if (named) continue;
    for (let k = candidates.length - 1; k >= 0; k--) {
      const c = candidates[k] as Mention;
      if (c.first <= last && c.last >= first) candidates.splice(k, 1);
    }
    for (const { column, value } of quoted.values)
      candidates.push({
        entry: {
          kind: 'value',
          column,
          value,
          stems: inside.map((k) => (tokens[k] as Token).stem),
          partial: false,
          declared: true,
        },
        first,
        last,
        start: (tokens[first] as Token).start,
        end: (tokens[last] as Token).end,
        negated: false,
      });
  }
  // Longest first, then by kind: attributes over values over partial value words.
  // Attributes and values first, longest first; column names only fill the words left over.
  const isColumn = (m: Mention) => (m.entry.kind === 'column' ? 1 : 0);
  // "долговая нагрузка выше 50%": of two attributes named by the same words, the one the number after
  // them is in the unit of (the debt-to-income share, not the debt in roubles).
  const unitFit = (m: Mention) => {
    if (m.entry.kind !== 'attr') return 0;
    const next = marked.comparisons.find((c) => c.start >= m.end && !c.unreadable);
    return next ? unitPenalty(m.entry.attr.unit, next.unit) : 0;
  };
  candidates.sort(
    (a, b) =>
      isColumn(a) - isColumn(b) ||
      b.last - b.first - (a.last - a.first) ||
      priority(b.entry) - priority(a.entry) ||
      (a.first === b.first ? unitFit(a) - unitFit(b) : 0) ||
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
  const mentions = absorbAttributeWords(
    lexicon,
    whatItIsOn(
      lexicon,
      ownNameWords(ctx, valuesOfRows(ctx, chosen, candidates, tokens), tokens, text),
      tokens,
    ),
    tokens,
  );
  // A negation word governs the next mention after it, up to four words on ("карта не добавлена в Mir Pay").
  for (const mention of mentions) {
    for (let k = mention.first - 1; k >= Math.max(0, mention.first - 4); k--) {
      const between = mentions.find((other) => other !== mention && k >= other.first && k <= other.last);
      if (between?.entry.kind === 'attr') break;
      // "with no problems so far": a negation the value between says in its own label is that value's.
      if (between && negatedInLabel(ctx, between, tokens)) break;
      if (between) continue;
      const token = tokens[k] as Token;
      // A negation does not reach out of brackets, nor into brackets that say more than the mention
      // ("not retired (any job except retired)", "didn't work out (outcome: failure)"); it reaches a
      // name alone in brackets, which restates what it negates ("не Брно-округ (Brno-venkov)").
      const gap = text.slice(token.end, mention.wordStart ?? mention.start);
      // "no mortgage, balance over 5000": a negation governs its own clause, not the next one.
      if (gap.includes(')') || /[,;:—–]/.test(gap)) break;
      const restates =
        !tokenize(gap.slice(gap.lastIndexOf('('))).some((t) => t.kind === 'word') &&
        /^\s*\)/.test(text.slice(mention.end));
      if (gap.includes('(') && !restates) break;
      if (!NEGATIONS.has(token.text)) continue;
      // "without any problems" of a loan "finished without problems": the label's own negation.
      if (negatedInLabel(ctx, mention, tokens)) break;
      // "Users (not owners) of accounts": a parenthesis kept as a label restates; it negates nothing.
      if (/\(\s*$/.test(raw.slice(0, token.start))) break;
      // "не нерезиденты": a negated antonym is the attribute itself.
      mention.negated = !mention.negated;
      mention.wordStart = mention.start;
      mention.start = Math.min(mention.start, token.start);
      mention.negationAt = token.start;
      break;
    }
    // "push notifications turned off", "push-уведомления отключены": a yes/no attribute switched off.
    if (mention.entry.kind === 'attr' && mention.entry.attr.type === 'boolean') {
      const off = SWITCHED_OFF.exec(text.slice(mention.end));
      if (off) {
        mention.negated = !mention.negated;
        mention.end += off[0].length;
      }
    }
  }
  negatedAfter(mentions, tokens);
  closingNegation(mentions, tokens, text, glueVerbs(ctx, tokens));
  negatedNames(ctx, mentions, text);
  const included = includedIn(mentions, text);
  return {
    ...marked,
    mentions: negatedTogether(
      mentions.sort((a, b) => a.first - b.first),
      text,
    ),
    fillers: [...marked.fillers, ...included],
    fillerValues,
  };
}

/**
 * "в мобильном приложении не зарегистрированы", "the app is not installed": a negation no later mention
 * took, right after a yes/no attribute (or a value, before a participle) and before the one word that
 * says what is not so, negates it.
 */
function negatedAfter(mentions: Mention[], tokens: readonly Token[]): void {
  tokens.forEach((token, k) => {
    if (!NEGATIONS.has(token.text) || token.text === 'нет' || token.text === 'no') return;
    if (mentions.some((m) => m.negationAt === token.start || (k >= m.first && k <= m.last))) return;
    const next = tokens[k + 1];
    if (!next || next.kind !== 'word' || mentions.some((m) => m.first === k + 1)) return;
    const before = mentions.filter(
      (m) =>
        (m.last === k - 1 || (m.last === k - 2 && isLink(tokens[k - 1]))) &&
        ((m.entry.kind === 'attr' && m.entry.attr.type === 'boolean') ||
          // "КАСКО не оформлено", "card not issued": a value said not done by a participle.
          (m.entry.kind === 'value' && PARTICIPLE.test(next.text))),
    );
    for (const m of before) {
      m.negated = !m.negated;
      m.negationAt = token.start;
      m.end = next.end;
    }
  });
}

/** Words that join an attribute to what its rows are of or for ("согласие на", "consent to"). */
const OF_FOR = new Set(['на', 'для', 'по', 'к', 'to', 'for', 'on', 'of']);

/**
 * "согласие на push-уведомления", "consented to push notifications": an attribute named right after
 * another's "на", "to" ("push-уведомления": notifications switched on), where a value of the first's rows
 * begins with the same words (the consent's channel PUSH), is that value. Returns the mentions with such
 * attributes replaced.
 */
function valuesOfRows(
  ctx: ParseContext,
  chosen: Mention[],
  candidates: readonly Mention[],
  tokens: readonly Token[],
): Mention[] {
  const graph = ctx.model.graph;
  return chosen.map((m) => {
    if (m.entry.kind !== 'attr' || m.first < 2 || !OF_FOR.has((tokens[m.first - 1] as Token).text)) return m;
    const head = chosen.find((a) => a.last === m.first - 2 && a.entry.kind === 'attr');
    if (head?.entry.kind !== 'attr' || head.entry.attr.measure.kind !== 'related') return m;
    const rows = head.entry.attr.measure.table;
    const value = candidates.find((c) => {
      if (c.entry.kind !== 'value' || c.first !== m.first || c.last > m.last || c.entry.partial) return false;
      const table = c.entry.column.split('.')[0] as string;
      return table === rows || graph.lookupPath(rows, table) !== null;
    });
    // The attribute's other words are the value's too ("push notifications").
    return value ? { ...value, last: m.last, end: m.end } : m;
  });
}

/**
 * "дефолт по кредитам", "default on credit": an attribute named right after another's "по", "on", in
 * words of the first's own description ("has credit in default?", in either language), says what the
 * first is on; it is no criterion of its own. Returns the mentions without such attributes, the first
 * reaching over them.
 */
export function whatItIsOn(lexicon: LexiconIndex, chosen: Mention[], tokens: readonly Token[]): Mention[] {
  const gone = new Set<Mention>();
  for (const m of chosen) {
    if (m.entry.kind !== 'attr' || m.first < 2 || !ON.has((tokens[m.first - 1] as Token).text)) continue;
    const head = chosen.find((a) => a.last === m.first - 2 && a.entry.kind === 'attr' && !gone.has(a));
    if (head?.entry.kind !== 'attr' || head.entry.attr === m.entry.attr) continue;
    const own = vocabulary(lexicon, head.entry.attr);
    const words = tokens.slice(m.first, m.last + 1).filter((t) => !FILLER.has(t.stem));
    const described = words.every(
      (t) => own.has(t.stem) || wordSenses(t.text, Lexicon.load()).some((sense) => own.has(sense)),
    );
    if (!described) continue;
    gone.add(m);
    head.last = m.last;
    head.end = m.end;
  }
  return chosen.filter((m) => !gone.has(m));
}

const ON = new Set(['по', 'on', 'for']);

/** A filler by its stem or as written ("пока": stem "пок"). */
const filler = (t: Token): boolean => FILLER.has(t.stem) || FILLER.has(t.text);

/** "гасят кредит поручением, но кредита у них нет": a conjunction that opens a clause of its own. */
const CLAUSE_JOINS = new Set(['но', 'а', 'однако', 'зато', 'but', 'while', 'whereas', 'yet']);

/** Negations that may close a clause: "нет", and "не" or "никогда" before a verb of being ("не было"). */
const CLOSING_NEGATIONS = new Set(['нет', 'не', 'никогда']);

/**
 * "ипотеки у нас нет", "действующих вкладов сейчас нет", "КАСКО нет", "вкладов никогда не было": a
 * negation that closes its clause (nothing but fillers and verbs that name nothing after it: "КАСКО не
 * оформлено") negates the phrase before it as a "нет" before it would: the attribute of the run of
 * mentions, fillers and "и", "или" that ends at it, else all its values. A phrase already negated ("ни
 * одного вклада нет") stays so.
 */
export function closingNegation(
  mentions: Mention[],
  tokens: readonly Token[],
  text: string,
  glue: (token: Token) => boolean,
): void {
  tokens.forEach((token, k) => {
    if (!CLOSING_NEGATIONS.has(token.text)) return;
    if (mentions.some((m) => m.negationAt === token.start || (k >= m.first && k <= m.last))) return;
    const clause = /^[^,;:.()!?—–\n]*/.exec(text.slice(token.end))?.[0] ?? '';
    if (tokenize(clause).some((t) => t.kind === 'word' && !filler(t) && !glue(t))) return;
    const run: Mention[] = [];
    for (let j = k - 1; j >= 0; j--) {
      const next = tokens[j + 1] as Token;
      const t = tokens[j] as Token;
      if (/[,;:()—–\n]/.test(text.slice(t.end, next.start)) || CLAUSE_JOINS.has(t.text)) break;
      const m = mentions.find((x) => j >= x.first && j <= x.last);
      if (m) {
        if (m.entry.kind === 'column') break;
        run.push(...mentions.filter((x) => x.first === m.first));
        j = m.first;
        continue;
      }
      if (t.kind === 'word' && (filler(t) || NEGATIONS.has(t.text) || t.text === 'одного')) continue;
      break;
    }
    // The phrase's attribute ("действующих полисов ОСАГО или КАСКО"), else its first value.
    const head = run.findLast((m) => m.entry.kind === 'attr') ?? run.at(-1);
    if (!head || head.negated) return;
    // Values with no attribute ("ОСАГО или КАСКО нет") are negated together, in all their columns.
    for (const m of head.entry.kind === 'attr' ? [head] : run) {
      m.negated = true;
      m.negationAt = token.start;
    }
  });
}

/** "is", "are", "был": a verb of being between a subject and its negation. */
const isLink = (token: Token | undefined): boolean =>
  token !== undefined && /^(is|are|was|were|has|have|был|была|были|было)$/.test(token.text);

/**
 * "Средние траты по картам": words of an attribute's own terms next to its mention belong to it, so
 * "картам" does not also become "has a card". Mentions swallowed this way are dropped. Changes the
 * mentions it is given (this step's own), returns those left.
 */
function absorbAttributeWords(lexicon: LexiconIndex, chosen: Mention[], tokens: readonly Token[]): Mention[] {
  // A word that names a value ("с выплатой": the claim's status) refines the attribute; never absorbed.
  const valueAt = new Set(
    chosen
      .filter((m) => m.entry.kind === 'value')
      .flatMap((m) => Array.from({ length: m.last - m.first + 1 }, (_, k) => m.first + k)),
  );
  for (const mention of chosen.filter((m) => m.entry.kind === 'attr')) {
    const vocab = vocabulary(lexicon, (mention.entry as Extract<LexEntry, { kind: 'attr' }>).attr);
    const fits = (t: Token | undefined) =>
      t !== undefined &&
      t.kind === 'word' &&
      !valueAt.has(tokens.indexOf(t)) &&
      (vocab.has(t.stem) || FILLER.has(t.stem));
    let last = mention.last;
    while (
      fits(tokens[last + 1]) &&
      vocab.has((tokens.slice(last + 1).find((t) => !FILLER.has(t.stem)) ?? (tokens[last + 1] as Token)).stem)
    ) {
      last++;
    }
    while (last > mention.last && FILLER.has((tokens[last] as Token).stem)) last--;
    if (last === mention.last) continue;
    mention.last = last;
    mention.end = (tokens[last] as Token).end;
  }
  const left = [...chosen];
  for (let i = left.length - 1; i >= 0; i--) {
    const m = left[i] as Mention;
    const swallowed = left.some(
      (a) =>
        a !== m && a.entry.kind === 'attr' && m.first >= a.first && m.last <= a.last && m.entry !== a.entry,
    );
    if (swallowed) left.splice(i, 1);
  }
  return left;
}
