/**
 * `npm run bench:value-linking`: precision and recall of ValueMatcher per threshold, and its speed.
 *
 * Values: the value indexes of the committed catalog snapshots (bank, berka, bank_marketing).
 * Positive pairs, each a phrase and the value it names:
 *   case        a value in another case ('mortgage' for MORTGAGE, 'ПРЕМИУМ' ...);
 *   diacritics  ё written as е, Czech names written with their diacritics (Plzeň for 'Plzen - mesto');
 *   inflected   a Russian value in another case, after a preposition ("в Москве");
 *   translit    a Cyrillic value in Latin letters by another scheme (iuliia's Wikipedia scheme),
 *               and Russian names of Czech districts as Russians write them, also inflected;
 *   lexicon     Russian and English words a marketer writes for English or Czech codes (hand-written
 *               below: they are the benchmark's questions, never the product's data);
 *   typo        a value of six letters or more with one letter dropped.
 * Negative phrases: keys of the lexicon (Russian, English and Czech dictionary words) whose senses
 * and spellings reach no value word, each tried on every warehouse. One matcher per warehouse, as the
 * parser builds. A link counts as correct when the value expected is among the top-scored matches;
 * any other link above the threshold is wrong.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { translate, WIKIPEDIA } from 'iuliia';
import { Lexicon, normalise, ValueMatcher, type ValueEntry, type ValueMatch } from '../src';
import { snapshotEntries } from '../src/testing';
import { wordForms } from '../src/values/word-forms';

function loadEntries(): ValueEntry[] {
  return (['bank', 'berka', 'bank_marketing'] as const).flatMap((warehouse) =>
    snapshotEntries(warehouse).map((e) => ({ ...e, column: `${warehouse}.${e.column}` })),
  );
}

interface Pair {
  warehouse?: string;
  group: string;
  phrase: string;
  value: string;
}

// Russian (nominative, then as written after a preposition) and English names of Berka districts.
const DISTRICTS: Array<[value: string, ru: string, ruInflected: string, other?: string]> = [
  ['Hl.m. Praha', 'Прага', 'в Праге', 'Prague'],
  ['Brno - mesto', 'Брно', 'в Брно'],
  ['Ostrava - mesto', 'Острава', 'в Остраве'],
  ['Plzen - mesto', 'Пльзень', 'в Пльзене', 'Plzeň'],
  ['Olomouc', 'Оломоуц', 'в Оломоуце'],
  ['Zlin', 'Злин', 'в Злине', 'Zlín'],
  ['Karlovy Vary', 'Карловы Вары', 'в Карловых Варах'],
  ['Ceske Budejovice', 'Ческе-Будеёвице', 'из Ческе-Будеёвице', 'České Budějovice'],
  ['Hradec Kralove', 'Градец-Кралове', 'в Градце-Кралове', 'Hradec Králové'],
  ['Pardubice', 'Пардубице', 'в Пардубице'],
  ['Liberec', 'Либерец', 'в Либерце'],
  ['Usti nad Labem', 'Усти-над-Лабем', 'в Усти-над-Лабем', 'Ústí nad Labem'],
  ['Jihlava', 'Йиглава', 'в Йиглаве'],
  ['Kladno', 'Кладно', 'в Кладно'],
  ['Teplice', 'Теплице', 'в Теплице'],
  ['Chomutov', 'Хомутов', 'в Хомутове'],
  ['Decin', 'Дечин', 'в Дечине', 'Děčín'],
  ['Tabor', 'Табор', 'в Таборе', 'Tábor'],
  ['Pisek', 'Писек', 'в Писеке', 'Písek'],
  ['Karvina', 'Карвина', 'в Карвине', 'Karviná'],
  ['Opava', 'Опава', 'в Опаве'],
  ['Frydek - Mistek', 'Фридек-Мистек', 'во Фридек-Мистеке', 'Frýdek-Místek'],
  ['Most', 'Мост', 'в Мосте'],
  ['Cheb', 'Хеб', 'в Хебе'],
  ['Znojmo', 'Зноймо', 'в Зноймо'],
  ['Kromeriz', 'Кромержиж', 'в Кромержиже', 'Kroměříž'],
  ['Trebic', 'Тршебич', 'в Тршебиче', 'Třebíč'],
  ['Pribram', 'Пршибрам', 'в Пршибраме', 'Příbram'],
  ['Kolin', 'Колин', 'в Колине', 'Kolín'],
  ['Kutna Hora', 'Кутна-Гора', 'в Кутна-Горе', 'Kutná Hora'],
  ['Mlada Boleslav', 'Млада-Болеслав', 'в Младе-Болеславе', 'Mladá Boleslav'],
  ['Sumperk', 'Шумперк', 'в Шумперке', 'Šumperk'],
  ['Prerov', 'Пршеров', 'в Пршерове', 'Přerov'],
  ['Breclav', 'Бржецлав', 'в Бржецлаве', 'Břeclav'],
  ['Hodonin', 'Годонин', 'в Годонине', 'Hodonín'],
  ['Benesov', 'Бенешов', 'в Бенешове', 'Benešov'],
  ['Melnik', 'Мельник', 'в Мельнике', 'Mělník'],
  ['Sokolov', 'Соколов', 'в Соколове'],
  ['Klatovy', 'Клатовы', 'в Клатовах'],
  ['Litomerice', 'Литомержице', 'в Литомержице', 'Litoměřice'],
  ['Trutnov', 'Трутнов', 'в Трутнове'],
  ['Jicin', 'Йичин', 'в Йичине', 'Jičín'],
  ['Chrudim', 'Хрудим', 'в Хрудиме'],
  ['Blansko', 'Бланско', 'в Бланско'],
  ['Prostejov', 'Простеёв', 'в Простеёве', 'Prostějov'],
  ['Uherske Hradiste', 'Угерске-Градиште', 'в Угерске-Градиште', 'Uherské Hradiště'],
  ['Bruntal', 'Брунталь', 'в Брунтале', 'Bruntál'],
  ['Jesenik', 'Есеник', 'в Есенике', 'Jeseník'],
  ['Vsetin', 'Всетин', 'во Всетине', 'Vsetín'],
  ['central Bohemia', 'Центральная Богемия', 'в Центральной Богемии'],
  ['south Moravia', 'Южная Моравия', 'в Южной Моравии'],
  ['north Moravia', 'Северная Моравия', 'из Северной Моравии'],
  ['east Bohemia', 'Восточная Богемия', 'в Восточной Богемии'],
];

// What a marketer writes for a code, in Russian or English.
const WORDS: Array<[phrase: string, value: string]> = [
  ['пенсионеры', 'retired'],
  ['на пенсии', 'retired'],
  ['безработные', 'unemployed'],
  ['студенты', 'student'],
  ['студентов', 'student'],
  ['предприниматели', 'entrepreneur'],
  ['предпринимателей', 'entrepreneur'],
  ['самозанятые', 'self-employed'],
  ['горничные', 'housemaid'],
  ['техники', 'technician'],
  ['рабочие', 'blue-collar'],
  ['менеджмент', 'management'],
  ['управленцы', 'management'],
  ['сфера услуг', 'services'],
  ['администраторы', 'admin.'],
  ['женатые', 'married'],
  ['замужние', 'married'],
  ['разведённые', 'divorced'],
  ['разведенных', 'divorced'],
  ['холостые', 'single'],
  ['одинокие', 'single'],
  ['высшее образование', 'tertiary'],
  ['среднее образование', 'secondary'],
  ['начальное образование', 'primary'],
  ['успех', 'success'],
  ['успешно', 'success'],
  ['неудача', 'failure'],
  ['провал', 'failure'],
  ['сотовый', 'cellular'],
  ['телефон', 'telephone'],
  ['в мае', 'may'],
  ['пенсионер', 'PENSIONER'],
  ['пенсия', 'PENSION'],
  ['зарплата', 'SALARY'],
  ['ипотека', 'MORTGAGE'],
  ['ипотекой', 'MORTGAGE'],
  ['жалоба', 'COMPLAINT'],
  ['жалобы', 'COMPLAINT'],
  ['золото', 'GOLD'],
  ['безработный', 'UNEMPLOYED'],
  ['предприниматель', 'ENTREPRENEUR'],
  ['отделение', 'BRANCH'],
  ['золотая', 'gold'],
  ['золотые', 'gold'],
  ['классическая', 'classic'],
  ['страховка', 'POJISTNE'],
  ['кредит', 'UVER'],
  ['лизинг', 'LEASING'],
  ['владелец', 'OWNER'],
  ['владельцы', 'OWNER'],
  ['еженедельно', 'POPLATEK TYDNE'],
  ['ежемесячно', 'POPLATEK MESICNE'],
  ['Moscow', 'Москва'],
  ['Saint Petersburg', 'Санкт-Петербург'],
  ['Kazan', 'Казань'],
  ['Armenia', 'Армения'],
  ['Georgia', 'Грузия'],
  ['euro', 'евро'],
  ['healthcare', 'Здравоохранение'],
  ['pensioners', 'PENSIONER'],
  ['retirees', 'retired'],
  ['married', 'married'],
  ['высшее', 'tertiary'],
  ['среднее', 'secondary'],
  ['начальное', 'primary'],
];

function inflect(value: string): string {
  // Prepositional case of the last Russian word, as after "в"/"о": enough to test stemming.
  return `в ${value.replace(/([а-яё]+)$/i, (w) =>
    /ая$/.test(w)
      ? w.replace(/ая$/, 'ой')
      : /[ыи]й$/.test(w)
        ? w.replace(/[ыи]й$/, 'ом')
        : /[ая]$/.test(w)
          ? w.replace(/[ая]$/, 'е')
          : /ь$/.test(w)
            ? w.replace(/ь$/, 'и')
            : /[бвгджзклмнпрстфхцчшщ]$/.test(w)
              ? `${w}е`
              : w,
  )}`;
}

function positives(entries: readonly ValueEntry[]): Pair[] {
  const pairs: Pair[] = [];
  const values = [...new Set(entries.map((e) => e.value))].filter((v) => /\p{L}{3}/u.test(v));
  for (const value of values) {
    const other = value === value.toUpperCase() ? value.toLowerCase() : value.toUpperCase();
    pairs.push({ group: 'case', phrase: other, value });
    if (/ё/i.test(value)) pairs.push({ group: 'diacritics', phrase: value.replace(/ё/g, 'е'), value });
    if (/^[а-яё -]+$/i.test(value) && value.split(' ').length <= 3)
      pairs.push({ group: 'inflected', phrase: inflect(value), value });
    if (/[а-яё]/i.test(value)) pairs.push({ group: 'translit', phrase: translate(value, WIKIPEDIA), value });
    const letters = value.replace(/[^\p{L}]/gu, '');
    if (letters.length >= 6 && /^\p{L}+$/u.test(value)) {
      const at = Math.floor(value.length / 2);
      pairs.push({ group: 'typo', phrase: value.slice(0, at) + value.slice(at + 1), value });
    }
  }
  const known = new Set(values);
  for (const [value, ru, ruInflected, other] of DISTRICTS) {
    if (!known.has(value)) continue;
    pairs.push({ group: 'translit', phrase: ru, value });
    pairs.push({ group: 'translit inflected', phrase: ruInflected, value });
    if (other)
      pairs.push({ group: /[\u0080-\uffff]/.test(other) ? 'diacritics' : 'lexicon', phrase: other, value });
  }
  for (const [phrase, value] of WORDS) if (known.has(value)) pairs.push({ group: 'lexicon', phrase, value });
  return pairs;
}

/** Lexicon keys that reach no value word by sense or spelling: ordinary words that name nothing here. */
function negatives(entries: readonly ValueEntry[], lexicon: Lexicon, count: number): Pair[] {
  const valueWords = new Set<string>();
  const concepts = new Set<string>();
  const spellings = new Set<string>();
  for (const e of entries) {
    for (const w of normalise(e.value)
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)) {
      const forms = wordForms(w, lexicon);
      valueWords.add(w);
      forms.concepts.forEach((c) => concepts.add(c));
      forms.skeletons.forEach((s) => spellings.add(s));
    }
  }
  const out: Pair[] = [];
  for (const [file, language] of [
    ['lexicon.ru-en.tsv.gz', 'ru'],
    ['lexicon.cs-en.tsv.gz', 'cs'],
  ] as const) {
    const lines = gunzipSync(readFileSync(join(__dirname, '..', 'data', file)))
      .toString('utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    const english = new Set<string>();
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const picked: string[] = [];
    while (picked.length < count && lines.length) {
      const [key, ens] = (lines[Math.floor(random() * lines.length)] as string).split('\t') as [
        string,
        string,
      ];
      if (key.includes(' ')) continue;
      const senses = ens.split('|');
      senses.forEach((e) => !e.includes(' ') && english.add(e));
      if (senses.some((e) => concepts.has(e)) || valueWords.has(key)) continue;
      if (wordForms(key, lexicon).skeletons.some((s) => spellings.has(s))) continue;
      picked.push(key);
    }
    for (const phrase of picked) out.push({ group: `negative ${language}`, phrase, value: '' });
    if (language === 'ru') {
      for (const phrase of [...english].filter((e) => !concepts.has(e) && !valueWords.has(e)).slice(0, count))
        out.push({ group: 'negative en', phrase, value: '' });
    }
  }
  return out;
}

function topValues(matches: readonly ValueMatch[]): Set<string> {
  const top = matches[0]?.score;
  return new Set(matches.filter((m) => m.score === top).map((m) => m.value));
}

function table(pairs: readonly Pair[], results: ReadonlyArray<readonly ValueMatch[]>): void {
  const groups = [...new Set(pairs.filter((p) => p.value).map((p) => p.group))];
  console.log(
    `\n| threshold | precision | recall | wrong links | ${groups.map((g) => `${g} (${pairs.filter((p) => p.group === g).length})`).join(' | ')} | negatives linked (${pairs.filter((p) => !p.value).length}) |`,
  );
  console.log(`|${' --- |'.repeat(groups.length + 5)}`);
  for (let t = 0.6; t <= 0.951; t += 0.025) {
    let correct = 0;
    let wrong = 0;
    let negativesLinked = 0;
    const hits = new Map<string, number>();
    pairs.forEach((p, i) => {
      const above = (results[i] as ValueMatch[]).filter((m) => m.score >= t - 1e-9);
      if (!above.length) return;
      if (!p.value) {
        wrong++;
        negativesLinked++;
      } else if (topValues(above).has(p.value)) {
        correct++;
        hits.set(p.group, (hits.get(p.group) ?? 0) + 1);
      } else wrong++;
    });
    const positivesCount = pairs.filter((p) => p.value).length;
    const cells = groups.map((g) =>
      ((hits.get(g) ?? 0) / pairs.filter((p) => p.group === g).length).toFixed(2),
    );
    console.log(
      `| ${t.toFixed(3)} | ${(correct / Math.max(1, correct + wrong)).toFixed(3)} | ${(correct / positivesCount).toFixed(3)} | ${wrong} | ${cells.join(' | ')} | ${negativesLinked} |`,
    );
  }
}

/** Milliseconds of this process's CPU (all threads) and of the wall clock that f takes. */
function measure(f: () => void): { cpu: number; wall: number } {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  f();
  const used = process.cpuUsage(cpu);
  return { cpu: (used.user + used.system) / 1000, wall: performance.now() - wall };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] as number;
const ms = (xs: Array<{ cpu: number; wall: number }>, at: (xs: number[]) => number) =>
  `${at(xs.map((x) => x.cpu)).toFixed(2)} ms CPU (${at(xs.map((x) => x.wall)).toFixed(2)} ms wall)`;

/**
 * Build time from 5,000 values (the real ones, then dictionary headwords of a made-up column): first in
 * a process that has analysed no word yet, then again (matchers of one process share word forms).
 * Run before anything else analyses a word. CPU time is reported beside wall time: on a shared machine
 * the wall clock also counts other processes' turns.
 */
function buildTiming(entries: readonly ValueEntry[], lexicon: Lexicon): ValueEntry[] {
  const big: ValueEntry[] = [...entries];
  const lines = gunzipSync(readFileSync(join(__dirname, '..', 'data', 'lexicon.ru-en.tsv.gz')))
    .toString('utf8')
    .split('\n');
  for (let i = 1; big.length < 5000 && i < lines.length; i += 11) {
    const en = (lines[i] as string).split('\t')[1]?.split('|')[0];
    if (en) big.push({ column: 'bench.words', value: en });
  }
  const first = measure(() => new ValueMatcher(big, { lexicon }));
  const again = Array.from({ length: 15 }, () => measure(() => new ValueMatcher(big, { lexicon })));
  const least = (xs: number[]) => Math.min(...xs);
  console.log(
    `build from ${big.length} values: first ${ms([first], median)}; again (15 builds) median ${ms(again, median)}, least ${ms(again, least)}`,
  );
  return big;
}

// Criteria texts as a marketer writes them, about 300 characters each.
const CRITERIA = [
  'Клиенты банка из Москвы и Санкт-Петербурга с ипотекой или автокредитом, премиальный сегмент, пользуются мобильным приложением на Android, получают зарплату на карту, без просрочек за последние три месяца, не старше 45 лет, с доходом от 150 тысяч рублей в месяц',
  'Клиентки 25-35 лет из Праги и Средней Чехии, владелицы классической или золотой карты, с еженедельной выпиской по счёту, без кредита или с кредитом, погашенным без проблем, открывшие счёт до 1996 года и с оборотом больше 3000',
  'Женатые клиенты старше 30 и моложе 45 лет, не студенты и не безработные, со средним или высшим образованием, с жилищным кредитом, баланс больше 1000 евро, в прошлой кампании был успех, связь по сотовому телефону',
  'Retired clients in Prague or Brno with a gold card and a monthly statement, owners of the account, no loan in default, aged over 60, living in a district with unemployment under 3 percent and average salary over 9000',
  'Premium segment customers in Moscow with a mortgage and a credit card, who used the mobile app in the last 30 days, have no overdue payments, earn more than 200000 roubles a month and hold a deposit in US dollars or yuan',
  'Пенсионеры из Южной Моравии и Северной Моравии с картой junior или classic, распорядители счёта, с постоянным платёжным поручением на страховку или лизинг, у которых средний остаток больше 20 тысяч крон за последний год',
];

/**
 * Scan time of criteria texts, and of value-dense texts (the benchmark's phrases joined by commas and
 * "и", the worst case: every word names values): the first scan of each text (its new words analysed
 * and linked) and a second (words cached).
 */
function scanTiming(big: readonly ValueEntry[], lexicon: Lexicon, pairs: readonly Pair[]): void {
  const phrases = pairs.map((p) => p.phrase);
  const texts: string[] = [];
  for (let i = 0; texts.length < 50; i++) {
    let text = 'Клиенты';
    for (let j = 0; text.length < 300; j++)
      text += `${j % 3 ? ' и' : ','} ${phrases[(i * 37 + j * 11) % phrases.length]}`;
    texts.push(text.slice(0, 300));
  }
  const matcher = new ValueMatcher(big, { lexicon });
  for (const [name, set] of [
    ['criteria', CRITERIA],
    ['value-dense', texts],
  ] as const) {
    const first = set.map((text) => measure(() => matcher.scan(text)));
    const again = set.map((text) => measure(() => matcher.scan(text)));
    console.log(
      `scan of ${set.length} ${name} texts (~300 characters), first: median ${ms(first, median)}, p95 ${ms(first, p95)}`,
    );
    console.log(`  again: median ${ms(again, median)}, p95 ${ms(again, p95)}`);
  }
  console.log(
    `load average while measured: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${cpus().length} cores`,
  );
}

function main(): void {
  let t = performance.now();
  const lexicon = Lexicon.load();
  console.log(
    `lexicon: ${lexicon.size.ru} Russian and ${lexicon.size.cs} Czech keys, loaded in ${(performance.now() - t).toFixed(0)} ms`,
  );
  const entries = loadEntries();
  console.log(`values: ${entries.length} (${new Set(entries.map((e) => e.column)).size} columns)`);
  const big = buildTiming(entries, lexicon);
  // One matcher per warehouse, as the parser has: a phrase is linked within the warehouse it is about.
  const warehouses = [...new Set(entries.map((e) => e.column.split('.')[0] as string))];
  const matchers = new Map<string, ValueMatcher>();
  const pairs: Pair[] = [];
  const negativePhrases = negatives(entries, lexicon, 1000);
  for (const warehouse of warehouses) {
    const own = entries.filter((e) => e.column.startsWith(`${warehouse}.`));
    t = performance.now();
    matchers.set(warehouse, new ValueMatcher(own, { lexicon, threshold: 0, maxMatches: 50 }));
    console.log(
      `${warehouse}: ${own.length} values, matcher built in ${(performance.now() - t).toFixed(1)} ms`,
    );
    pairs.push(...positives(own).map((p) => ({ ...p, warehouse })));
    pairs.push(...negativePhrases.map((p) => ({ ...p, warehouse })));
  }
  const results = pairs.map((p) => (matchers.get(p.warehouse as string) as ValueMatcher).match(p.phrase));
  table(pairs, results);
  if (process.argv.includes('--misses')) {
    const at = Number(process.argv[process.argv.indexOf('--misses') + 1] ?? 0.8);
    pairs.forEach((p, i) => {
      const above = (results[i] as ValueMatch[]).filter((m) => m.score >= at);
      const ok = p.value ? topValues(above).has(p.value) : !above.length;
      if (!ok)
        console.log(
          `${p.warehouse} ${p.group}: "${p.phrase}" -> ${p.value || '(none)'}: ${above
            .slice(0, 3)
            .map((m) => `${m.value} ${m.score.toFixed(2)} ${m.via}`)
            .join(', ')}`,
        );
    });
  }
  scanTiming(
    big,
    lexicon,
    pairs.filter((p) => p.warehouse === warehouses[0]),
  );
}

main();
