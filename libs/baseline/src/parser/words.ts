import type { Mark } from '../text/quantities';
import { phraseStems } from '../text/tokens';

/** A code written as one ("OPENED", "KASKO"): upper case, three characters or more. */
export const CODE = /^[A-Z][A-Z0-9_]{2,}$/;

export const NEGATIONS = new Set([
  'не',
  'нет',
  'без',
  'ни',
  'никогда',
  // "никаких кредитов", "ни одной карты": none of them.
  'никаких',
  'никакого',
  'никакой',
  'никакие',
  'no',
  'not',
  'without',
  'never',
  'non',
  'neither',
  'nor',
  // "…, excluding Prague", "кроме Москвы": inside a fragment, the value after them is left out.
  'excluding',
  'except',
  'кроме',
  'исключая',
]);
// Phrases that qualify a number without naming anything ("в среднем", "в сумме").
export const FILLER_PHRASES =
  /в среднем|в общей сложности|в сумме|в совокупности|суммарно|on average|in total|combined|в настоящее время|на данный момент|на текущий момент|right now|at the moment|at present|по данным|according to/g;
// `\b` knows only Latin letters; a Cyrillic word ends where no letter follows.
export const EXCLUDE_LEADS =
  /^\s*(кроме|исключить|исключая|за исключением|except|exclude|excluding)(?![a-zа-я])[:\s]*/;
export const EXCLUDE_TAILS =
  /[\s,—–-]*(не бер[её]м|не брать|не включа[её]м|не включать|не нужны|исключа[её]м|исключить|убира[её]м|убрать|are excluded|to be excluded|should be excluded|exclude them|leave them out|are left out|not included)[\s.!]*$/;
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
    // "общая сумма", "total amount", "период — последние 3 месяца": the amount or window beside them is read.
    'общ',
    'total',
    'период',
    'period',
    'среди',
    'банка',
    'банке',
    'банк',
    'нашего',
    'нашем',
    'наш',
    // "ипотеки у нас нет", "no mortgage with us": the bank's own products are what the warehouse holds.
    'нас',
    'нами',
    'мы',
    // "ипотеки у них пока нет", "учатся они или нет": the clients themselves.
    'они',
    'них',
    'ним',
    'ними',
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
    // A request's own words ("Нужны пенсионеры...", "we need clients who...") and "now": no criterion.
    'сейчас',
    'нужны',
    'нужен',
    'нужна',
    'нужно',
    'требуются',
    'ищем',
    'need',
    'needed',
    'now',
    // Words of time and degree that qualify what they stand next to ("still running", "paid already",
    // "90 days ago", "both loans", "of any kind"), and the head nouns of people's groups ("blue-collar
    // workers", "services staff"): the value or number beside them is what is read.
    'still',
    'yet',
    'already',
    'ago',
    'назад',
    'both',
    'оба',
    'обе',
    'kind',
    'workers',
    'worker',
    'staff',
    'personnel',
    // Words of relation that name nothing by themselves: where a client lives, what they hold or get
    // is read from the place, the product or the amount next to them.
    'live',
    // "регион проживания — Сибирский ФО", "place of residence": the place beside them is read.
    'проживан',
    'проживания',
    'residence',
    'place',
    'lives',
    'living',
    'reside',
    'residing',
    'holding',
    'holder',
    'holders',
    'receive',
    'receives',
    'receiving',
    'own',
    'owns',
    'only',
    'just',
    'also',
    'but',
    'however',
    'those',
    'these',
    'such',
    'where',
    'which',
    'whom',
    'our',
    'ours',
    'into',
    'via',
    'через',
    'we',
    'us',
    'где',
    'живут',
    'живущие',
    'живущих',
    'проживают',
    'проживающие',
    'проживающих',
    'держатели',
    'держателей',
    'получают',
    'получающие',
    'получающих',
    'пользуются',
    'лишь',
    'но',
    'однако',
    'именно',
    'тоже',
    // "ещё действует", "пока нет", "everyone aged 60", "от 25 до 35 включительно": time, degree and
    // quantifier words beside what is read; a range written is inclusive already.
    'ещё',
    'еще',
    'пока',
    'everyone',
    'everybody',
    'anyone',
    'anybody',
    'всех',
    'каждый',
    'inclusive',
    'включительно',
    'folks',
    'жители',
    'жителей',
    // Relative words of "кроме тех, у кого…", "все, кто…": the clause after them is what is read.
    'кто',
    'кого',
    'кому',
    'тех',
    'те',
    'тем',
    'которым',
    'которого',
  ].flatMap((w) => phraseStems(w)),
);

/** Words that join two words of one head ("north or south Moravia", "начальным или средним"). */
export const COORDINATION = new Set(['или', 'и', 'либо', 'or', 'and']);

/** Prepositions and relative words: what follows them is a condition of its own ("из Казани", "with a loan"). */
export const RELATION_WORDS = new Set([
  'без',
  'с',
  'со',
  'из',
  'в',
  'во',
  'на',
  'по',
  'для',
  'от',
  'до',
  'у',
  'за',
  'при',
  'который',
  'которые',
  'которых',
  'чей',
  'чьи',
  'with',
  'without',
  'from',
  'in',
  'at',
  'of',
  'for',
  'by',
  'on',
  'to',
  'who',
  'whose',
  'which',
  'that',
]);

/**
 * Words that a product's row is in force ("действующий", "valid", "open"): read with a condition on the
 * state of the product's rows, never glue or filler, so that beside a product whose rows have no such
 * condition they are reported.
 */
export const IN_FORCE = new Set(
  [
    'действующий',
    'действующая',
    'действующее',
    'действующие',
    'активный',
    'активная',
    'активное',
    'активные',
    'открытый',
    'открытая',
    'открытое',
    'открытые',
    'active',
    'valid',
    'current',
    'open',
    'existing',
    'running',
  ].flatMap((w) => phraseStems(w)),
);

/** Lines, semicolons, sentences and list bullets; a decimal point or "тыс." does not end a sentence. */
export function splitFragments(text: string): string[] {
  return fragmentSpans(text).map((f) => text.slice(f.start, f.end));
}

// "…, кроме тех, у кого дефолт", "…, except owners with a loan": an exclusion by a clause of its own
// is a fragment of its own, opened by its exclusion word (so its criteria exclude).
const FRAGMENT_END =
  /\n|;|(?<![0-9]|тыс|руб|млн|р|т|г|мес|дн|др|т\.е|т\.к|\bst|ул|пр)\.(?!\d)\s*|,\s*(?=(?:но\s+|but\s+)?(?:кроме|за исключением|исключая|except(?:\s+for)?|excluding)\s+[a-zа-яё])/gi;

/** A fragment of `splitFragments`, and the piece of text between separators it was trimmed from. */
export interface FragmentSpan extends Mark {
  piece: Mark;
}

/** A list bullet at the start of a line: "-", "•", "*", a dash, "1.", "2)". */
export const BULLET = /^\s*(?:[-•*–—]|\d+[.)])\s*/;

/** Where the fragments of `splitFragments` are in the text: bullets and surrounding spaces left out. */
export function fragmentSpans(text: string): FragmentSpan[] {
  const spans: FragmentSpan[] = [];
  let from = 0;
  const piece = (start: number, end: number) => {
    const part = text.slice(start, end);
    const bullet = BULLET.exec(part)?.[0].length ?? 0;
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
