import { Lexicon } from '../lexicon/lexicon';
import { snapshotEntries } from '../testing/snapshot-entries';
import { ValueMatcher, type ValueMatch } from './value-matcher';

// Pure: the committed catalog snapshots' value indexes and the committed lexicon, no database.
const lexicon = Lexicon.load();
const berka = new ValueMatcher(snapshotEntries('berka'), { lexicon });
const bankMarketing = new ValueMatcher(snapshotEntries('bank_marketing'), { lexicon });
const bank = new ValueMatcher(snapshotEntries('bank'), { lexicon });

/** The best match as `column=value via`. */
const top = (matches: ValueMatch[]) => matches.map((m) => `${m.column}=${m.value} ${m.via}`)[0];
const values = (matches: ValueMatch[]) => matches.map((m) => m.value);

describe('ValueMatcher on Berka (Czech values, Russian and English text)', () => {
  it.each([
    ['Прага', 'translit'],
    ['в Праге', 'translit'],
    ['Праги', 'translit'],
    ['Praha', 'normalised'],
    ['PRAHA', 'normalised'],
  ])('links %s to the Prague district', (phrase, via) => {
    expect(top(berka.match(phrase))).toBe(`district.a2=Hl.m. Praha ${via}`);
  });

  it('links the English name to the region and, more weakly, to the district', () => {
    const matches = berka.match('Prague');
    expect(top(matches)).toBe('district.a3=Prague exact');
  });

  it.each([
    ['в Брно', 'Brno - mesto'],
    ['Оломоуце', 'Olomouc'],
    ['в Карловых Варах', 'Karlovy Vary'],
    ['Усти-над-Лабем', 'Usti nad Labem'],
    ['České Budějovice', 'Ceske Budejovice'],
    ['Ческе-Будеёвице', 'Ceske Budejovice'],
    ['Есеник', 'Jesenik'],
    ['Либерце', 'Liberec'],
  ])('links %s to the district %s', (phrase, value) => {
    expect(values(berka.match(phrase))[0]).toBe(value);
  });

  it('links a Czech name with diacritics to all districts that share it', () => {
    expect(values(berka.match('Plzeň'))).toEqual(
      expect.arrayContaining(['Plzen - mesto', 'Plzen - jih', 'Plzen - sever']),
    );
  });

  it.each([
    ['в Южной Моравии', 'district.a3=south Moravia lexicon'],
    ['SOUTH MORAVIA', 'district.a3=south Moravia normalised'],
    ['золотые', 'card.type=gold lexicon'],
    ['владельцы', 'disp.type=OWNER lexicon'],
    ['еженедельно', 'account.frequency=POPLATEK TYDNE lexicon'],
    ['ежемесячно', 'account.frequency=POPLATEK MESICNE lexicon'],
  ])('links %s through the lexicon or the spelling', (phrase, expected) => {
    expect(top(berka.match(phrase))).toBe(expected);
  });
});

describe('ValueMatcher on Bank Marketing (English codes, Russian text)', () => {
  it.each([
    ['женатые', 'client.marital=married'],
    ['замужние', 'client.marital=married'],
    ['холостые', 'client.marital=single'],
    ['разведённые', 'client.marital=divorced'],
    ['безработные', 'client.job=unemployed'],
    ['студенты', 'client.job=student'],
    ['предприниматели', 'client.job=entrepreneur'],
    ['горничные', 'client.job=housemaid'],
    ['среднее', 'client.education=secondary'],
    ['успех', 'client.poutcome=success'],
    ['неудача', 'client.poutcome=failure'],
    ['в мае', 'client.month=may'],
  ])('links %s to %s', (phrase, expected) => {
    expect(top(bankMarketing.match(phrase))?.startsWith(`${expected} `)).toBe(true);
  });

  it('links a word the dictionaries lack through the domain glossary, or a model label', () => {
    // "пенсионеры" reaches no sense of 'retired' in FreeDict or Mueller (see data/README.md); the
    // glossary's line for retired people does, and so does a label.
    expect(
      values(
        new ValueMatcher([{ column: 'client.job', value: 'retired' }], {
          lexicon: Lexicon.fromLines([]),
        }).match('пенсионеры'),
      ),
    ).not.toContain('retired');
    expect(values(bankMarketing.match('пенсионеры'))).toContain('retired');
    expect(values(bankMarketing.match('самозанятые'))).toContain('self-employed');
    const labelled = new ValueMatcher(
      [{ column: 'client.job', value: 'retired', labels: { ru: 'пенсионеры' } }],
      {
        lexicon,
      },
    );
    expect(labelled.match('пенсионерам')).toEqual([
      { column: 'client.job', value: 'retired', score: 0.95, via: 'stem', surface: 'пенсионеры' },
    ]);
  });

  it('never links a function word or a bare number, though yes, no and 5 are values', () => {
    for (const phrase of ['no', 'yes', 'и', 'в', 'the', '5', '2020', '   '])
      expect(bankMarketing.match(phrase)).toEqual([]);
  });
});

describe('ValueMatcher on the demo bank (Russian names, English codes)', () => {
  it.each([
    ['mortgage', 'loan.loan_type=MORTGAGE normalised'],
    ['Москве', 'ref_city.city_name=Москва stem'],
    ['moskva', 'ref_city.city_name=Москва translit'],
    ['Moscow', 'ref_city.city_name=Москва lexicon'],
    ['Санкт-Петербурге', 'ref_city.city_name=Санкт-Петербург stem'],
    ['брокерский счет', 'ref_product.product_name=Брокерский счёт normalised'],
    ['premium', 'card.card_tier=PREMIUM normalised'],
    ['андроид', 'digital_profile.os_type=ANDROID translit'],
  ])('links %s', (phrase, expected) => {
    expect(top(bank.match(phrase))).toBe(expected);
  });

  it('links a Russian word to an English code through the lexicon', () => {
    expect(bank.match('ипотека')).toEqual(
      expect.arrayContaining([expect.objectContaining({ value: 'MORTGAGE', via: 'lexicon' })]),
    );
  });

  it('links no value to ordinary words', () => {
    for (const phrase of ['стол', 'погода', 'weather', 'клиенты', 'возраст', 'старше', '66', '02'])
      expect([phrase, bank.match(phrase)]).toEqual([phrase, []]);
  });
});

describe('ValueMatcher.scan', () => {
  it('finds non-overlapping spans in text order, with their offsets', () => {
    const text = 'Клиенты из Праги и Брно, владельцы золотых карт; clients in Plzen - mesto';
    const spans = berka.scan(text);
    expect(spans.map((s) => [s.text, s.matches[0]?.value])).toEqual([
      ['Праги', 'Hl.m. Praha'],
      ['Брно', 'Brno - mesto'],
      ['владельцы', 'OWNER'],
      // "золотых карт" translates whole as a gold card.
      ['золотых карт', 'gold'],
      ['Plzen - mesto', 'Plzen - mesto'],
    ]);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('prefers the longest window that names one value', () => {
    expect(berka.scan('в Южной Моравии').map((s) => [s.text, s.matches[0]?.value])).toEqual([
      ['Южной Моравии', 'south Moravia'],
    ]);
  });

  it('reads coordinated values as two spans, not one across "и"', () => {
    expect(
      berka.scan('из Южной Моравии и Северной Моравии').map((s) => [s.text, s.matches[0]?.value]),
    ).toEqual([
      ['Южной Моравии', 'south Moravia'],
      ['Северной Моравии', 'north Moravia'],
    ]);
  });

  it('never crosses a comma or a semicolon', () => {
    expect(berka.scan('Южной, Моравии').every((s) => !s.text.includes(','))).toBe(true);
  });

  it('reads a Bank Marketing criteria text', () => {
    const text =
      'Женатые клиенты, не студенты и не безработные, со средним образованием, успех в прошлой кампании';
    expect(bankMarketing.scan(text).map((s) => `${s.text}=${s.matches[0]?.value}`)).toEqual([
      'Женатые=married',
      'студенты=student',
      'безработные=unemployed',
      // "средним образованием" translates whole: secondary education.
      'средним образованием=secondary',
      'успех=success',
    ]);
  });

  it('skips function words and numbers', () => {
    expect(bankMarketing.scan('и в 2020 no yes 5')).toEqual([]);
  });

  it('reads a glossary phrase with a negation as no sense at all', () => {
    // The glossary's "не женат" for single would key as женат: such phrases are left out.
    expect(values(bankMarketing.match('женатые'))).toEqual(['married']);
    expect(values(bankMarketing.match('холостые'))).toEqual(['single']);
  });
});

describe('ValueMatcher options', () => {
  const entries = [{ column: 'c', value: 'Hl.m. Praha' }];

  it('drops matches below the threshold', () => {
    expect(new ValueMatcher(entries, { lexicon }).match('Прага')).toHaveLength(1);
    expect(new ValueMatcher(entries, { lexicon, threshold: 0.95 }).match('Прага')).toEqual([]);
  });

  it('links by spelling alone with an empty lexicon', () => {
    const spelling = new ValueMatcher([{ column: 'c', value: 'married' }], { lexicon: Lexicon.empty() });
    expect(spelling.match('женатые')).toEqual([]);
    expect(spelling.match('MARRIED')).toEqual([
      { column: 'c', value: 'married', score: 0.98, via: 'normalised', surface: 'married' },
    ]);
  });
});

describe('a sense the domain glossary gives', () => {
  // A word of eighteen dictionary senses, one of them the value's.
  const senses = Array.from({ length: 17 }, (_, i) => `sense${i}`).join('|');
  const entries = [{ column: 'client.marital', value: 'married' }];
  const score = (glossary: string[]) =>
    new ValueMatcher(entries, { lexicon: Lexicon.fromLines([`брак\tmarri|${senses}`], [], glossary) }).match(
      'браке',
    )[0]?.score ?? 0;

  it('is as sure as a word of few senses, however many the dictionary adds', () => {
    expect(score([])).toBeLessThan(0.85);
    expect(score(['married\tв браке'])).toBeCloseTo(0.85);
  });
});
