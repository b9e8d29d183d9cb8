import type { Mark } from '../text/quantities';
import { phraseStems, type Token } from '../text/tokens';

export const NEGATIONS = new Set([
  'не',
  'нет',
  'без',
  'ни',
  'никогда',
  'no',
  'not',
  'without',
  'never',
  'non',
]);
// Phrases that qualify a number without naming anything ("в среднем", "в сумме").
export const FILLER_PHRASES =
  /в среднем|в общей сложности|в сумме|в совокупности|суммарно|on average|in total|combined/g;
// `\b` knows only Latin letters; a Cyrillic word ends where no letter follows.
export const EXCLUDE_LEADS =
  /^\s*(кроме|исключить|исключая|за исключением|except|exclude|excluding)(?![a-zа-я])[:\s]*/;
export const FILLER = new Set(
  [
    'клиент',
    'клиенты',
    'клиентов',
    'клиентам',
    'которые',
    'который',
    'которых',
    'у',
    'с',
    'со',
    'в',
    'во',
    'на',
    'по',
    'за',
    'и',
    'или',
    'а',
    'также',
    'из',
    'для',
    'имеет',
    'имеют',
    'есть',
    'является',
    'являются',
    'все',
    'человек',
    'люди',
    'лица',
    'их',
    'его',
    'ее',
    'при',
    'этом',
    'то',
    'что',
    'чтобы',
    'как',
    'же',
    'уже',
    'только',
    'хотя',
    'бы',
    'один',
    'одна',
    'одно',
    'одного',
    'раз',
    'раза',
    'руб',
    'рублей',
    'р',
    'сумма',
    'суммой',
    'среди',
    'банка',
    'банке',
    'банк',
    'нашего',
    'нашем',
    'наш',
    'должен',
    'должны',
    'быть',
    'был',
    'были',
    'было',
    'the',
    'with',
    'who',
    'have',
    'has',
    'had',
    'of',
    'in',
    'at',
    'for',
    'and',
    'or',
    'a',
    'an',
    'clients',
    'client',
    'customers',
    'customer',
    'are',
    'is',
    'was',
    'were',
    'that',
    'whose',
    'their',
    'by',
    'to',
    'on',
    'any',
    'all',
    'from',
    'than',
    'more',
    'less',
    'least',
    'most',
    'over',
    'under',
    'years',
    'year',
    'old',
    'rub',
    'rubles',
    'bank',
    'people',
    'users',
    'them',
    'they',
    'it',
    'its',
    'be',
    'been',
    'do',
    'does',
    'did',
    'currently',
    'active',
  ].flatMap((w) => phraseStems(w)),
);

/** Lines, semicolons, sentences and list bullets; a decimal point or "тыс." does not end a sentence. */
export function splitFragments(text: string): string[] {
  return fragmentSpans(text).map((f) => text.slice(f.start, f.end));
}

const FRAGMENT_END = /\n|;|(?<![0-9]|тыс|руб|млн|р|т|г|мес|дн|др|т\.е|т\.к|\bst|ул|пр)\.(?!\d)\s*/gi;

/** A fragment of `splitFragments`, and the piece of text between separators it was trimmed from. */
export interface FragmentSpan extends Mark {
  piece: Mark;
}

/** Where the fragments of `splitFragments` are in the text: bullets and surrounding spaces left out. */
export function fragmentSpans(text: string): FragmentSpan[] {
  const spans: FragmentSpan[] = [];
  let from = 0;
  const piece = (start: number, end: number) => {
    const part = text.slice(start, end);
    const bullet = /^\s*(?:[-•*–—]|\d+[.)])\s*/.exec(part)?.[0].length ?? 0;
    const rest = part.slice(bullet);
    const lead = rest.length - rest.trimStart().length;
    const trail = rest.length - rest.trimEnd().length;
    const span = { start: start + bullet + lead, end: end - trail, piece: { start, end } };
    if (/[a-zа-яё0-9]/i.test(rest)) spans.push(span);
  };
  for (const match of text.matchAll(FRAGMENT_END)) {
    piece(from, match.index);
    from = match.index + match[0].length;
  }
  piece(from, text.length);
  return spans;
}

/** A stretch reported as written (hostile text, see text/hostile-text.ts), with invisible characters shown. */
export interface ShownMark extends Mark {
  shown: string;
}

/**
 * Runs of content words that no mention, number, window or filler explains, and the stretches reported
 * as written (`reported`: hostile text), in the order of the text; a run never spans one of those.
 * `whole`: the fragment as shown, when nothing of it was read.
 */
export function leftovers(
  shown: string,
  text: string,
  tokens: Token[],
  used: Mark[],
  whole: boolean,
  reported: readonly ShownMark[] = [],
): string[] {
  if (whole) return shown.trim() ? [shown.trim()] : [];
  const runs: string[] = [];
  const pending = [...reported].sort((a, b) => a.start - b.start);
  let run: Token[] = [];
  const flush = () => {
    if (
      run.some((t) => t.kind === 'word' && !FILLER.has(t.stem) && !NEGATIONS.has(t.text) && t.text.length > 2)
    ) {
      runs.push(text.slice((run[0] as Token).start, (run.at(-1) as Token).end));
    }
    run = [];
  };
  for (const token of tokens) {
    if (pending.length > 0 && (pending[0] as ShownMark).start < token.start) {
      flush();
      while (pending.length > 0 && (pending[0] as ShownMark).start < token.start)
        runs.push((pending.shift() as ShownMark).shown);
    }
    const covered = used.some((m) => token.start >= m.start && token.end <= m.end);
    if (covered || token.kind !== 'word' || FILLER.has(token.stem) || NEGATIONS.has(token.text)) {
      flush();
      continue;
    }
    run.push(token);
  }
  flush();
  runs.push(...pending.map((h) => h.shown));
  return runs;
}
