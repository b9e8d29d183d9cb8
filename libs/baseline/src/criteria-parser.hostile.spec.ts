// Hostile text in criteria and offers (a hostile-client probe's findings): SQL calls, statements,
// tautologies and comments, terminal escapes, invisible and bidi characters, quote debris, encoded and
// template payloads, each embedded in otherwise valid criteria. None of it may become a value or a
// number: the text around it reads exactly as it does without it, and the hostile part is reported as
// unparsed, its invisible characters shown. Ordinary punctuation (parentheses in prose, apostrophes,
// guillemets, quotes, dashes, %, ₽, "5 тыс.") reads as it always did.
import { offerSchema, type Offer } from '@t2s/contracts';
import type { Expr } from '@t2s/semantic';
import { createBaselineStrategy, type BaselineStrategy } from './baseline.strategy';
import { CriteriaParser } from './criteria-parser';
import { screenText } from './text/hostile-text';
import { stableKey, type ModelFixture } from './testing/meaning';
import { snapshotModel } from './testing/snapshot-model.fixture';
import {
  attr,
  between,
  checkPhrasing,
  gender,
  gt,
  gte,
  mcc,
  region,
  type Expected,
  type Row,
} from './testing/phrasing-rows';

let bank: ModelFixture;
let parser: CriteriaParser;
let strategy: BaselineStrategy;

beforeAll(() => {
  bank = snapshotModel('bank');
  parser = new CriteriaParser(bank.model);
  strategy = createBaselineStrategy({ modelName: 'bank' });
});

const ESC = '\u001b';
// Characters a reported fragment must never carry as they are.
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

/** Every number and string a criterion compares with, wherever it is in the expression. */
function literals(exprs: Expr[]): string[] {
  const found: string[] = [];
  const walk = (node: unknown, key = ''): void => {
    if (Array.isArray(node)) node.forEach((n) => walk(n, key));
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) walk(v, k === 'values' ? 'value' : k);
    else if (['value', 'min', 'max', 'n'].includes(key)) found.push(String(node));
  };
  walk(exprs);
  return found.sort();
}

function meanings(text: string) {
  return parser
    .parse(text)
    .criteria.map((c) => stableKey(bank.meaningOf(c.spec)))
    .sort();
}

// [valid criteria with `{}` where the hostile text goes, the hostile text]
const HOSTILE: [string, string][] = [
  // The probe's three findings.
  ['Женщины из Москвы; {}', 'возраст больше pg_sleep(10)'],
  ['Клиенты с ипотекой; {}', `возраст ${ESC}[31m`],
  ['Clients with a credit card from {}', "Nizhny Novgoro'd"],
  // Function calls.
  ['Женщины старше 30 лет, {}', 'доход больше version()'],
  ['Клиенты {} с ипотекой', "lo_import('/etc/passwd')"],
  ['Women from Moscow; {}', 'age over pg_sleep (10)'],
  ['Clients with a mortgage {}', 'extract(epoch from now())'],
  ['Women over 30; {}', 'income > sleep (9)'],
  // Statements, tautologies, comments.
  ['Траты на АЗС больше 5 тыс. в месяц {}', "'); DROP TABLE clients; --"],
  ['Возраст 25–35 лет {}', "' OR 1=1 --"],
  ['Клиенты с кредитной картой {}; доход от 150 тыс.', 'UNION SELECT password FROM users'],
  ['Пенсионеры из Санкт-Петербурга; {}', 'SELECT pg_sleep(5)'],
  ['Customers aged 25-35 {}', "' OR 'a'='a"],
  ['Clients with a deposit over 500k; {}', 'DROP TABLE clients --'],
  ['Pensioners with a debit card {}', "admin'--"],
  ['Clients over 60 {}', 'UNION ALL SELECT NULL, NULL--'],
  ['Women with a credit card; {}', "WAITFOR DELAY '0:0:10'"],
  ['Мужчины старше 40 {}', '/* 777 */'],
  ['Clients from Kazan {}', '/* 1=1 */'],
  ['Клиенты из Новосибирска; {}', "age over 30' OR 1 --"],
  // Escapes, controls, invisible and bidi characters.
  ['Men over 40 {}', `${ESC}[1m${ESC}[31m`],
  ['Клиенты с ипотекой {}', 'возраст ^[[42m'],
  ['Женщины из Москвы, {}', 'доход 1\u200b00 тыс'],
  ['Клиенты из Казани с вкладом {}', '\u202eтыс 005\u202c'],
  ['Men from Moscow; {}', 'age over 3\u200d0'],
  ['Вклад больше 500 тыс. {}', 'возраст 4\u00005'],
  ['Клиенты с ипотекой; {}', 'доход >100 тыс\u00ad'],
  ['Clients with a car loan {}', 'income \u2066over 90k\u2069'],
  // Quote debris.
  ['Доход больше 100 тыс.; клиенты из {}', "Моск'ва"],
  ['Женщины из {}, старше 30', '"Kazan\\"'],
  ['Women over 35 from {}', "Mos'cow"],
  ['Clients from Yekaterinburg {}', '"St. Petersburg\\"'],
  ['Клиенты с ипотекой из {}', "'Санкт-Петербург"],
  // Encoded, template and markup payloads.
  ['Клиенты с картой «Мир» {}', '%27%20OR%201%3D1'],
  ['Клиенты старше 60 лет, получающие пенсию {}', '&#39; or 1=1'],
  ['Клиенты с доходом от 100 тыс. ₽ {}', 'возраст ${7*7}'],
  ['Женщины 30-45 лет {}', '$(reboot)'],
  ['Клиенты из Москвы {}', '<script>alert(1)</script>'],
];

describe('hostile text embedded in valid criteria', () => {
  it.each(HOSTILE)('%s / %s', (template, hostile) => {
    const text = template.replace('{}', hostile);
    const clean = template.replace('{}', '');
    const read = parser.parse(text);
    const cleanRead = parser.parse(clean);
    // The valid part is read, and read exactly as it is without the hostile text.
    expect(cleanRead.criteria.length).toBeGreaterThan(0);
    expect(meanings(text)).toEqual(meanings(clean));
    // No number or value of the criteria comes from the hostile text.
    const fromClean = new Set(literals(cleanRead.criteria.map((c) => c.spec.expr)));
    expect(literals(read.criteria.map((c) => c.spec.expr)).filter((l) => !fromClean.has(l))).toEqual([]);
    // The hostile text is reported, invisible characters shown; nothing invisible reaches the segment.
    const { spans } = screenText(text);
    expect(spans.length).toBeGreaterThan(0);
    const reported = read.unparsed.join(' | ');
    for (const span of spans) expect(reported).toContain(span.shown);
    expect(reported).not.toMatch(INVISIBLE);
    expect(read.criteria.filter((c) => INVISIBLE.test(c.text))).toEqual([]);
  });
});

describe("the probe's findings, as the marketer sees them", () => {
  it('"возраст больше pg_sleep(10)" is no age criterion: the whole clause is reported', () => {
    expect(parser.parse('возраст больше pg_sleep(10)')).toEqual({
      criteria: [],
      unparsed: ['возраст больше pg_sleep(10)'],
      coverage: 0,
    });
  });

  it('a colour code is no age = 31: it is reported with its escape written out', () => {
    const read = parser.parse(`Возраст больше 30, ${ESC}[31mженщины${ESC}[0m`);
    expect(read.criteria.map((c) => bank.meaningOf(c.spec))).toEqual([bank.wanted(attr('age', gt(30)))]);
    expect(read.unparsed).toEqual(['⟨U+001B⟩[31mженщины⟨U+001B⟩[0m']);
    expect(read.criteria[0]?.text).toBe('Возраст больше 30, ⟨U+001B⟩[31mженщины⟨U+001B⟩[0m');
  });

  it('a quote-mangled city is no internal rating code', () => {
    const read = parser.parse("clients from Nizhny Novgoro'd with a mortgage");
    expect(read.criteria.map((c) => bank.meaningOf(c.spec))).toEqual([bank.wanted(attr('has_mortgage'))]);
    expect(read.unparsed.join(' | ')).toContain("Novgoro'd");
  });

  it('a number glued to hostile text is not read without its lost words', () => {
    // "бо⟨ZWSP⟩льше 30" is not "30" read as an exact age; "100 тыс⟨SHY⟩" not 100 roubles.
    expect(meanings('возраст бо\u200bльше 30, женщины')).toEqual(meanings('женщины'));
    expect(meanings('доход 100 тыс\u00ad, женщины')).toEqual(meanings('женщины'));
  });

  it('a text of nothing but hostile text is reported whole and read as nothing', () => {
    expect(parser.parse("'; DROP TABLE clients; --")).toEqual({
      criteria: [],
      unparsed: ["'; DROP TABLE clients; --"],
      coverage: 0,
    });
  });
});

describe("hostile text in an offer's title, description and conditions", () => {
  const clean: Offer = offerSchema.parse({
    product: { type: 'credit_card', code: 'CC_CASHBACK', name: 'Молодёжная кредитная карта с кешбэком' },
    title: 'Молодёжная кредитная карта: 120 дней без процентов',
    description: 'Первая кредитная карта для молодых клиентов из Москвы.',
    conditions: ['Кредитный лимит до 150 000 ₽'],
    channel: 'PUSH',
  });
  const hostile: Offer = offerSchema.parse({
    ...clean,
    title: `${clean.title} ${ESC}[31m; возраст больше pg_sleep(10)`,
    description: `${clean.description} Для пенсионеров'); DROP TABLE clients; --`,
    conditions: [...(clean.conditions ?? []), 'для клиентов старше 1\u200b8 лет', "из Моск'вы"],
  });

  it('reads the rules and the audience as from the clean offer, and reports the hostile text', async () => {
    const criteria = async (offer: Offer) =>
      (await strategy.criteria.generate({ offer, catalog: bank.catalog })).criteria
        .map((c) => stableKey({ kind: c.kind, spec: c.spec }))
        .sort();
    expect(await criteria(hostile)).toEqual(await criteria(clean));
    const { unparsed } = await strategy.criteria.generate({ offer: hostile, catalog: bank.catalog });
    expect(unparsed).toEqual([
      '⟨U+001B⟩[31m',
      'pg_sleep(10)',
      "пенсионеров'); DROP TABLE clients; --",
      '1⟨U+200B⟩8',
      "Моск'вы",
    ]);
    const { unparsed: none } = await strategy.criteria.generate({ offer: clean, catalog: bank.catalog });
    expect(none).toEqual([]);
  });
});

describe('ordinary punctuation reads as before', () => {
  const rows: Row[] = [
    // "Молодёжь" says the age again.
    ['Молодёжь (18–25 лет) из Москвы', [attr('age', between(18, 25)), region('Москва')]],
    ['Клиенты (18-25 лет), женщины', [attr('age', between(18, 25)), gender('F')]],
    [
      'Customers aged 25-35 (not VIP) with a Gold card',
      [attr('age', between(25, 35)), attr('has_card', undefined, { where: { 'card.card_tier': 'GOLD' } })],
    ],
    ["customers' monthly income over 100k", attr('monthly_income', gt(100_000))],
    ["O'Brien and other clients over 40", { unparsed: "o'brien", criteria: [attr('age', gt(40))] }],
    [
      "women's average card spend over 20k a month",
      [attr('avg_monthly_card_spend', gt(20_000)), gender('F')],
    ],
    [
      'Клиенты с доходом от 100 тыс. ₽ и картой "Мир"',
      [
        attr('monthly_income', gte(100_000)),
        attr('has_card', undefined, { where: { 'card.payment_system': 'MIR' } }),
      ],
    ],
    [
      'Траты на АЗС — больше 5 тыс. в месяц',
      attr('avg_monthly_card_spend', gt(5_000), { where: mcc('FUEL') }),
    ],
    [
      'Возраст 25–35 лет, доход 50–100 тыс.',
      [attr('age', between(25, 35)), attr('monthly_income', between(50_000, 100_000))],
    ],
    [
      'Клиенты из Санкт-Петербурга — женщины 30—45 лет',
      [
        attr('age', between(30, 45)),
        { where: { 'ref_region.region_name': 'Санкт-Петербург', 'client.gender': 'F' } },
      ],
    ],
    ['Клиенты 45+ с ипотекой', [attr('has_mortgage'), attr('age', gte(45))]],
    [
      'траты в ресторанах от 5 тыс. до 20 тыс. в месяц',
      attr('avg_monthly_card_spend', between(5_000, 20_000), { where: mcc('RESTAURANTS') }),
    ],
    [
      "Клиенты с картой 'Premium' и доходом от 150 тыс. руб.",
      { unparsed: 'premium', criteria: [attr('has_card'), attr('monthly_income', gte(150_000))] },
    ],
    [
      'доход 100 000 ₽; возраст 30-40 лет',
      [attr('monthly_income', gte(100_000)), attr('age', between(30, 40))],
    ],
  ];

  it.each<[string, Expected]>(rows)('%s', (text, expected) => {
    expect(screenText(text).spans).toEqual([]);
    checkPhrasing(parser, bank, text, expected);
  });
});
