// Step: the women a feminine noun for a person says ("клиентки", "владелицы счетов", "пенсионерки").
// Reads: the fragment's tokens and mentions, the model's lexicon (the value its labels call women).
// Produces: the mentions, with the value for women at each Russian noun for a person in its feminine form,
// unless a mention of that value is there already. The word counts as read where its masculine form says
// no more than "client"; elsewhere what it names is still to be read by itself ("студентки": students;
// "пенсионерки" on a warehouse with no pensioners is reported).
import type { LexEntry } from '../../lexicon';
import { stem } from '../../text/tokens';
import type { FragmentContext, ParseContext } from '../context';
import type { Mention } from '../parse-types';
import { FILLER } from '../words';

type ValueEntry = Extract<LexEntry, { kind: 'value' }>;

// "-ка" after the endings of nouns for people ("клиентка", "пенсионерка", "специалистка", "москвичка",
// "гражданка"; not "покупка", "карточка"); "-ница" after "-тель" ("жительница"; not "граница"); "-щица",
// "-чица" ("заёмщица", "вкладчица"); "владелица".
const FEMININE: [RegExp, string][] = [
  [/^([а-я]{2,}(?:ент|ер|ист|ич|ан))(?:ка|ки|ку|кой|ок|кам|ками|ках)$/, ''],
  [/^([а-я]{2,}тел)ьниц(?:а|ы|у|ей|ам|ами|ах)?$/, 'ь'],
  [/^([а-я]{3,}[щч])иц(?:а|ы|у|ей|ам|ами|ах)?$/, 'ик'],
  [/^(владел)иц(?:а|ы|у|ей|ам|ами|ах)?$/, 'ец'],
];

export function femininePersons(ctx: ParseContext, frag: FragmentContext): FragmentContext {
  const women = womenValue(ctx);
  if (!women) return frag;
  const added: Mention[] = [];
  frag.tokens.forEach((token, index) => {
    if (token.kind !== 'word' || !/^[а-я]+$/.test(token.text)) return;
    const base = masculine(token.text);
    if (!base) return;
    const client = FILLER.has(base) || FILLER.has(stem(base));
    const present = frag.mentions.some(
      (m) =>
        m.entry.kind === 'value' &&
        m.entry.column === women.column &&
        m.entry.value === women.value &&
        m.start <= token.start &&
        m.end >= token.end,
    );
    if (present) return;
    added.push({
      entry: women,
      negated: false,
      start: token.start,
      end: client ? token.end : token.start,
      // Not the word's own reading: what the word names ("студентки": students) is read as well.
      first: client ? index : -1,
      last: client ? index : -1,
    });
  });
  if (added.length === 0) return frag;
  return { ...frag, mentions: [...frag.mentions, ...added].sort((a, b) => a.first - b.first) };
}

/** The masculine form of a feminine noun for a person ("клиентки": "клиент"), if the word is one. */
function masculine(word: string): string | undefined {
  for (const [pattern, ending] of FEMININE) {
    const match = pattern.exec(word);
    if (!match) continue;
    return (match[1] as string) + ending;
  }
  return undefined;
}

/** The one value the model's labels call women ("женщины", "women", "female"). */
function womenValue(ctx: ParseContext): ValueEntry | undefined {
  const found = new Map<string, ValueEntry>();
  for (const stem of ['женщин', 'women', 'femal'])
    for (const e of ctx.lexicon.byFirstStem.get(stem) ?? [])
      if (e.kind === 'value' && e.stems.length === 1) found.set(`${e.column}=${e.value}`, e);
  return found.size === 1 ? [...found.values()][0] : undefined;
}
