/**
 * Numbers written in words, Russian or English, in any case form: "сорока пяти", "ста пятидесяти
 * тысяч", "полторы тысячи", "forty-five", "one hundred and fifty thousand", "a million". Text is the
 * normalised text (lower case, ё as е); offsets are its own.
 */
export interface NumberWords {
  start: number;
  end: number;
  value: number;
}

type Kind = 'unit' | 'teen' | 'ten' | 'hundred' | 'scale' | 'half';
interface Word {
  kind: Kind;
  value: number;
}

// Each entry: a stem pattern (the whole word) and what it is. Russian numerals inflect by case;
// the patterns take every form ("пять", "пяти", "пятью"; "сорок", "сорока").
const RUSSIAN: [RegExp, Word][] = [
  [/^(ноль|нуля|нулю|нулем)$/, { kind: 'unit', value: 0 }],
  [/^(один|одного|одному|одним|одном|одна|одной|одну|одно)$/, { kind: 'unit', value: 1 }],
  [/^(два|две|двух|двум|двумя|двое|двоих)$/, { kind: 'unit', value: 2 }],
  [/^(три|трех|трем|тремя|трое|троих)$/, { kind: 'unit', value: 3 }],
  [/^(четыре|четырех|четырем|четырьмя|четверо)$/, { kind: 'unit', value: 4 }],
  [/^(пять|пяти|пятью|пятеро)$/, { kind: 'unit', value: 5 }],
  [/^(шесть|шести|шестью)$/, { kind: 'unit', value: 6 }],
  [/^(семь|семи|семью)$/, { kind: 'unit', value: 7 }],
  [/^(восемь|восьми|восемью)$/, { kind: 'unit', value: 8 }],
  [/^(девять|девяти|девятью)$/, { kind: 'unit', value: 9 }],
  [/^(десять|десяти|десятью)$/, { kind: 'teen', value: 10 }],
  [/^одиннадцат(ь|и|ью)$/, { kind: 'teen', value: 11 }],
  [/^двенадцат(ь|и|ью)$/, { kind: 'teen', value: 12 }],
  [/^тринадцат(ь|и|ью)$/, { kind: 'teen', value: 13 }],
  [/^четырнадцат(ь|и|ью)$/, { kind: 'teen', value: 14 }],
  [/^пятнадцат(ь|и|ью)$/, { kind: 'teen', value: 15 }],
  [/^шестнадцат(ь|и|ью)$/, { kind: 'teen', value: 16 }],
  [/^семнадцат(ь|и|ью)$/, { kind: 'teen', value: 17 }],
  [/^восемнадцат(ь|и|ью)$/, { kind: 'teen', value: 18 }],
  [/^девятнадцат(ь|и|ью)$/, { kind: 'teen', value: 19 }],
  [/^двадцат(ь|и|ью)$/, { kind: 'ten', value: 20 }],
  [/^тридцат(ь|и|ью)$/, { kind: 'ten', value: 30 }],
  [/^(сорок|сорока)$/, { kind: 'ten', value: 40 }],
  [/^(пятьдесят|пятидесяти|пятьюдесятью)$/, { kind: 'ten', value: 50 }],
  [/^(шестьдесят|шестидесяти|шестьюдесятью)$/, { kind: 'ten', value: 60 }],
  [/^(семьдесят|семидесяти|семьюдесятью)$/, { kind: 'ten', value: 70 }],
  [/^(восемьдесят|восьмидесяти|восемьюдесятью)$/, { kind: 'ten', value: 80 }],
  [/^(девяносто|девяноста)$/, { kind: 'ten', value: 90 }],
  [/^(сто|ста)$/, { kind: 'hundred', value: 100 }],
  [/^(двести|двухсот|двумстам|двумястами)$/, { kind: 'hundred', value: 200 }],
  [/^(триста|трехсот|тремстам|тремястами)$/, { kind: 'hundred', value: 300 }],
  [/^(четыреста|четырехсот|четыремстам|четырьмястами)$/, { kind: 'hundred', value: 400 }],
  [/^(пятьсот|пятисот|пятистам|пятьюстами)$/, { kind: 'hundred', value: 500 }],
  [/^(шестьсот|шестисот|шестистам|шестьюстами)$/, { kind: 'hundred', value: 600 }],
  [/^(семьсот|семисот|семистам|семьюстами)$/, { kind: 'hundred', value: 700 }],
  [/^(восемьсот|восьмисот|восьмистам|восемьюстами)$/, { kind: 'hundred', value: 800 }],
  [/^(девятьсот|девятисот|девятистам|девятьюстами)$/, { kind: 'hundred', value: 900 }],
  [/^тысяч(а|и|у|ей|ами|ам|ах)?$/, { kind: 'scale', value: 1_000 }],
  [/^миллион(а|у|ом|е|ов|ами|ам|ах)?$/, { kind: 'scale', value: 1_000_000 }],
  [/^миллиард(а|у|ом|е|ов|ами|ам|ах)?$/, { kind: 'scale', value: 1_000_000_000 }],
  [/^(полтора|полторы|полутора)$/, { kind: 'half', value: 1.5 }],
];

const ENGLISH_UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const ENGLISH_TEENS = [
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const ENGLISH_TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const ENGLISH = new Map<string, Word>([
  ...ENGLISH_UNITS.map((w, i): [string, Word] => [w, { kind: 'unit', value: i }]),
  ...ENGLISH_TEENS.map((w, i): [string, Word] => [w, { kind: 'teen', value: 10 + i }]),
  ...ENGLISH_TENS.map((w, i): [string, Word] => [w, { kind: 'ten', value: 20 + 10 * i }]),
  ['hundred', { kind: 'hundred', value: 100 }],
  ['thousand', { kind: 'scale', value: 1_000 }],
  ['million', { kind: 'scale', value: 1_000_000 }],
  ['billion', { kind: 'scale', value: 1_000_000_000 }],
]);

function wordOf(word: string): Word | undefined {
  const english = ENGLISH.get(word);
  if (english) return english;
  for (const [pattern, meaning] of RUSSIAN) if (pattern.test(word)) return meaning;
  return undefined;
}

const WORD = /[a-zа-я]+/g;

/** One number being read: the finished scales, the group below a thousand, and what came last. */
interface Reading {
  start: number;
  end: number;
  total: number;
  group: number;
  last: Kind | 'a' | null;
  /** Words of the number ("a" counts when it opens one: "a million"; "and" never does). */
  words: number;
}

/** Whether `next` may follow `last` inside one number ("сорок пять", not "пять сорок"). */
function follows(last: Reading['last'], next: Kind): boolean {
  if (last === null) return true;
  if (last === 'a') return next === 'hundred' || next === 'scale';
  if (next === 'scale') return last !== 'scale';
  if (next === 'half' || last === 'half') return false;
  if (last === 'scale') return true;
  if (next === 'hundred') return last === 'unit';
  if (last === 'hundred') return true;
  if (next === 'unit') return last === 'ten';
  return false;
}

function add(reading: Reading, word: Word): void {
  switch (word.kind) {
    case 'hundred':
      // "one hundred", "a hundred" (English); a Russian hundred word carries its own count ("двести").
      reading.group =
        word.value === 100 && reading.group > 0 ? reading.group * 100 : reading.group + word.value;
      break;
    case 'scale':
      reading.total += (reading.group || 1) * word.value;
      reading.group = 0;
      break;
    default:
      reading.group += word.value;
  }
  reading.last = word.kind;
}

/**
 * The numbers written in words in `text`. A lone "один"/"one" is left alone (it is as often "a" or
 * "the same" as a count), and so is a lone "полтора" without a scale.
 */
export function findNumberWords(text: string): NumberWords[] {
  const found: NumberWords[] = [];
  let reading: Reading | null = null;
  let pendingAnd: { end: number } | null = null;
  const finish = () => {
    if (reading && reading.words > 0) {
      const value = reading.total + reading.group;
      // A lone scale word after digits is read with them ("100 тысяч"); without digits it is its own
      // number ("более тысячи евро"). A lone "one" is as often "a".
      const afterDigits = /\d[\s\u00a0]*$/.test(text.slice(0, reading.start));
      const lone =
        reading.words === 1 &&
        ((reading.last === 'scale' && afterDigits) ||
          reading.last === 'half' ||
          (reading.last === 'unit' && value === 1));
      if (!lone) found.push({ start: reading.start, end: reading.end, value });
    }
    reading = null;
    pendingAnd = null;
  };
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const start = match.index;
    const end = start + word.length;
    const gap = reading ? text.slice(pendingAnd ? pendingAnd.end : (reading as Reading).end, start) : '';
    // Words of one number are next to each other: spaces or a hyphen ("forty-five") between them.
    if (reading && !/^[\s-]*$/.test(gap)) finish();
    const meaning = wordOf(word);
    if (!meaning) {
      if (reading && word === 'and' && (reading as Reading).last === 'hundred') {
        pendingAnd = { end };
        continue;
      }
      if (reading && !pendingAnd) finish();
      if (word === 'a') reading = { start, end, total: 0, group: 0, last: 'a', words: 0 };
      else finish();
      continue;
    }
    const current = reading as Reading | null;
    if (current && follows(current.last, meaning.kind) && !(pendingAnd && meaning.kind === 'scale')) {
      if (current.last === 'a') {
        current.group = 1;
        current.words++;
      }
      add(current, meaning);
      current.end = end;
      current.words++;
      pendingAnd = null;
      continue;
    }
    finish();
    reading = { start, end, total: 0, group: 0, last: null, words: 1 };
    if (meaning.kind === 'scale') {
      reading.total = meaning.value;
      reading.last = 'scale';
    } else add(reading, meaning);
  }
  finish();
  return found;
}

/**
 * `text` with every number written in words replaced by its digits, padded with spaces to the words'
 * length so offsets hold ("от тридцати до сорока пяти" → "от 30       до 45         "). A number whose
 * digits would be longer than its words is left as written.
 */
export function withNumberDigits(
  text: string,
  found: readonly NumberWords[] = findNumberWords(text),
): string {
  let out = '';
  let from = 0;
  for (const n of found) {
    const digits = String(n.value);
    if (digits.length > n.end - n.start) continue;
    out += text.slice(from, n.start) + digits.padEnd(n.end - n.start, ' ');
    from = n.end;
  }
  return out + text.slice(from);
}
