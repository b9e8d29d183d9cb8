// Step: the fragment's text as every later step reads it.
// Reads: the fragment as written with hostile spans blanked (`raw`), the lexicon (value labels).
// Produces: `text`, normalised with the same offsets as `raw` (stretches that say nothing blanked to
// spaces), and `excludeAll` when the fragment opens with "кроме" / "except".
import { normalize } from '../../text/tokens';
import type { FragmentInput, ParseContext, PreparedText } from '../context';
import { isLabel } from '../lexicon-index';
import { EXCLUDE_LEADS, EXCLUDE_TAILS } from '../words';

const NOT_ONE =
  /(?<![a-zа-я])(ни|not)\s+(?:одного|одной|одну|один|единого|единой|a single|one|any)(?![a-zа-я])/g;

// "hasn't", "don't", "isn't": the negation of a contracted auxiliary, which says nothing else.
const CONTRACTED_NOT =
  /(?<![a-z])(?:has|have|had|do|does|did|is|are|was|were|wo|ca|should|would)n['’]t(?![a-z])/g;

// "Пенсионеры для вклада «Пенсионный плюс»:", "Car loan clients for a KASKO call:", "Молодёжь для первой
// ипотеки: не женаты, …": in a heading, what the list or the text after it is for is the offer, not a
// criterion.
const HEADING_PURPOSE = /(?<![a-zа-я])(?:для|под|for)\s[^:]*:(?=\s*$|\s)/;

const LEAVE_OUT = /(?<![a-z])leave\s+(?!out\b|them\b|those\b|these\b|it\b)([a-z'\s-]{1,40}?)\s+out(?![a-z])/g;

const OTHER_THAN = /(?<![a-zа-я])(?:other than|apart from|aside from|кроме как|помимо)(?![a-zа-я])/g;

export function prepareText(ctx: ParseContext, input: FragmentInput): PreparedText {
  // "ни одного вклада", "not a single purchase": a negation, not the number one.
  let text = normalize(input.raw)
    .replace(CONTRACTED_NOT, (word) => 'not'.padEnd(word.length, ' '))
    .replace(NOT_ONE, (phrase, neg: string) => neg + ' '.repeat(phrase.length - neg.length))
    // "any job other than retired", "любые, кроме как пенсионеры": an exclusion of what follows.
    .replace(OTHER_THAN, (phrase) => 'except'.padEnd(phrase.length, ' '))
    // "but leave the students out", "leave out students": the same.
    .replace(LEAVE_OUT, (phrase, what: string) => `except ${what}`.padEnd(phrase.length, ' '))
    .replace(/(?<![a-z])leave out(?![a-z])/g, 'except   ')
    // "женщины (не мужчины)": a parenthesis opening with a negation restates what precedes it by its
    // opposite and adds nothing to read, unless it is itself a value's label ("(not owners)": Berka's
    // DISPONENT, as its documentation calls it).
    .replace(/\(\s*((?:not|не|ни|no|без)\s[^()]*)\)/g, (phrase, inner: string) =>
      isLabel(ctx.lexicon, inner) ? phrase : ' '.repeat(phrase.length),
    );
  const purpose = HEADING_PURPOSE.exec(text);
  if (purpose) {
    const end = purpose.index + purpose[0].length;
    text = text.slice(0, purpose.index) + ' '.repeat(purpose[0].length) + text.slice(end);
  }
  const lead = EXCLUDE_LEADS.exec(text);
  if (lead) text = ' '.repeat(lead[0].length) + text.slice(lead[0].length);
  // "Клиентов с кредитом в дефолте не берём", "those in default are excluded": the same, said last.
  const tail = lead ? null : EXCLUDE_TAILS.exec(text);
  if (tail) text = text.slice(0, tail.index) + ' '.repeat(tail[0].length);
  return { ...input, text, excludeAll: input.excluded === true || lead !== null || tail !== null };
}
