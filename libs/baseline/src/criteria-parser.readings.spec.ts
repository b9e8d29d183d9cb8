// Readings general enough to hold on any warehouse, on the committed catalog snapshots with the models
// the warehouses are read with (no database): full dates as bounds and as the day criteria are taken
// at; signs in words; numbers ("тысяча", "percent", "and over") and whose they are; exclusions said
// last; negations inside a comparison, after a yes/no attribute, contracted, over coordinated mentions;
// group words next to an age; values through the domain glossary; a number's documented sentinel;
// measures of several years and numeric columns named in the other language; verbs that only tie a
// client to what was read; guesses reported.
import type { SnapshotWarehouse } from '@t2s/catalog/testing';
import { CriteriaCompiler, type Expr } from '@t2s/semantic';
import { CriteriaParser } from './criteria-parser';
import { tokenize, type Token } from './text/tokens';
import { createParseContext } from './parser/context';
import { glueVerbs } from './parser/glue-verbs';
import { snapshotWarehouseModel } from './testing/snapshot-model.fixture';

function parserFor(warehouse: SnapshotWarehouse) {
  const model = snapshotWarehouseModel(warehouse);
  return { parser: new CriteriaParser(model), model };
}

const berka = parserFor('berka');
const marketing = parserFor('bank_marketing');
const bank = parserFor('bank');

/** The criteria as JSON, and whether each excludes. */
function read(of: { parser: CriteriaParser }, text: string) {
  const result = of.parser.parse(text);
  return {
    json: JSON.stringify(result.criteria.map((c) => c.spec)),
    kinds: result.criteria.map((c) => c.spec.kind),
    unparsed: result.unparsed,
  };
}

describe('dates written in full', () => {
  it.each([
    ['Женщины старше 50 лет на 01.01.1990', '1990-01-01'],
    ['Men aged 25 to 40 as of December 31, 1998', '1998-12-31'],
    ['Возраст от 30 до 45 лет на 31 декабря 1998 года', '1998-12-31'],
    ['клиенты старше 40 лет на конец 1998 года', '1998-12-31'],
    ['aged 25 to 35 as of 1 January 1999', '1999-01-01'],
  ])('take an age at the written day: %s', (text, day) => {
    const r = read(berka, text);
    expect(r.json).toContain(`"asOf":"${day}"`);
    expect(r.unparsed).toEqual([]);
  });

  it('compile the age at that day', () => {
    const spec = berka.parser.parse('older than 50 as of 1 January 1990').criteria[0]?.spec;
    expect(JSON.stringify(spec)).toContain('1990-01-01');
    const sql = new CriteriaCompiler(berka.model).expr(spec?.expr as Expr);
    expect(sql).toContain("age(date '1990-01-01'");
  });

  it('bound a date column', () => {
    const r = read(berka, 'кредит выдан до 01.07.1997');
    expect(r.json).toContain('"op":"lt","value":"1997-07-01"');
  });

  it('leave a reference date nothing takes unread', () => {
    expect(read(berka, 'клиенты из Праги на 31.12.1998').unparsed.length).toBeGreaterThan(0);
  });
});

describe('signs in words', () => {
  it.each([
    ['клиенты в минусе', '"op":"lt","value":0'],
    ['balance is negative', '"op":"lt","value":0'],
    ['не в минусе', '"op":"gte","value":0'],
    ['overdrawn by more than 500 euros', '"op":"lt","value":-500'],
    ['в минусе более чем на 500 евро', '"op":"lt","value":-500'],
  ])('%s', (text, cmp) => {
    const r = read(marketing, text);
    expect(r.json).toContain('balance');
    expect(r.json).toContain(cmp);
  });
});

describe('numbers and exclusions', () => {
  it('reads a lone "тысяча" as a thousand', () => {
    expect(read(marketing, 'средний годовой остаток более тысячи евро').json).toContain(
      '"op":"gt","value":1000',
    );
  });

  it('excludes what a fragment says last it does not take', () => {
    expect(
      read(marketing, 'Клиентов с кредитом в дефолте не берём').kinds.every((k) => k === 'exclude'),
    ).toBe(true);
  });

  it('puts a bare number after the people it is about on their age, not on an amount named later', () => {
    const r = read(marketing, 'Singles under 30 with an average balance of 2k euros or more');
    expect(r.json).toMatch(/age[^}]*"op":"lt","value":30/);
    expect(r.json).not.toMatch(/balance[^}]*"value":30/);
  });
});

describe('negations', () => {
  it('keeps a negation inside a column comparison in its operator', () => {
    const r = read(berka, 'район проживания — не больше 100 тысяч жителей');
    expect(r.json).toContain('"op":"lte","value":100000');
    expect(r.json).not.toContain('"not"');
  });

  it('negates a yes/no attribute the negation follows', () => {
    const r = read(bank, 'в мобильном приложении не зарегистрированы');
    expect(r.kinds).toEqual(['exclude']);
  });
});

describe('group words and the glossary', () => {
  it('reports a group word next to an age instead of reading it away', () => {
    expect(read(marketing, 'pensioners over 65').unparsed).toContain('pensioners');
  });

  it.each([
    ['Пенсионеры старше 65 лет', 'retired'],
    ['самозанятые', 'self-employed'],
    ['клиенты с высшим образованием', 'tertiary'],
    ['студенты до 25 лет', 'student'],
  ])('links %s through the glossary', (text, value) => {
    const r = read(marketing, text);
    expect(r.json).toContain(`"${value}"`);
    expect(r.unparsed).toEqual([]);
  });

  it('never reads a negated glossary phrase as its opposite', () => {
    expect(read(marketing, 'не женатые').kinds).toEqual(['exclude']);
  });
});

describe('verbs that tie a client to what was read', () => {
  const glue = glueVerbs(createParseContext(bank.model));
  const word = (text: string) => tokenize(text)[0] as Token;

  it.each(['прождали', 'ждали', 'хотят', 'held', 'ушли', 'подключена', 'перечислено'])(
    '%s is glue',
    (text) => {
      expect(glue(word(text))).toBe(true);
    },
  );

  it.each(['открывали', 'opened', 'обращались', 'женщины', 'цена', 'охрана'])('%s is not', (text) => {
    expect(glue(word(text))).toBe(false);
  });

  it('takes a verb that is only one word of a longer name as glue, unless the text says the rest of it', () => {
    // "spent in total" is a term of card spend, "подавали заявку" one of applications.
    expect(glue(word('spent'))).toBe(true);
    expect(glue(word('подавали'))).toBe(true);
    const fragment = tokenize('подавали заявку на кредит');
    expect(glueVerbs(createParseContext(bank.model), fragment)(fragment[0] as Token)).toBe(false);
    expect(read(bank, 'Customers who spent more than 100k RUB on purchases abroad').unparsed).toEqual([]);
  });
});

describe('an attribute named as what another’s rows are for', () => {
  it.each(['с согласием на push-уведомления', 'consented to push notifications'])(
    'reads %s as the consent’s channel, not notifications switched on',
    (text) => {
      const r = read(bank, text);
      expect(r.json).toContain('"attr":"has_marketing_consent"');
      expect(r.json).toContain('"value":"PUSH"');
      expect(r.json).not.toContain('push_enabled');
      expect(r.unparsed).toEqual([]);
    },
  );

  it('keeps the attribute where nothing joins it to another ("с push-уведомлениями")', () => {
    expect(read(bank, 'клиенты с push-уведомлениями').json).toContain('push_enabled');
  });
});

describe('two attributes named by the same words', () => {
  it.each([
    ['долговая нагрузка выше 50%', 'debt_to_income'],
    ['долговая нагрузка больше 500 тысяч рублей', 'loan_debt'],
  ])('%s: the one the number after them is in the unit of', (text, attr) => {
    const r = read(bank, text);
    expect(r.json).toContain(`"attr":"${attr}"`);
    expect(r.unparsed).toEqual([]);
  });
});

describe('two audiences joined by "или" or "а также"', () => {
  it.each([
    'пенсионеры или клиенты старше 55 лет',
    'Пенсионеры, а также клиенты в возрасте от пятидесяти лет',
    'retirees or clients over 55',
  ])('%s is one criterion of either', (text) => {
    const r = read(bank, text);
    expect(r.kinds).toEqual(['include']);
    expect(r.json).toContain('"expr":{"or":[{"type":"attr","attr":"receives_pension"}');
  });

  it('keeps "а также" without a word for people a condition on the same clients', () => {
    expect(read(bank, 'клиенты с ипотекой, а также с вкладом').kinds).toEqual(['include', 'include']);
  });

  it('keeps "нет X или Y" two exclusions', () => {
    expect(read(bank, 'нет ипотеки или автокредита').kinds).toEqual(['exclude', 'exclude']);
  });
});

describe('two words of one head ("north or south Moravia")', () => {
  it.each(['clients in north or south Moravian districts', 'clients in north or south Bohemia'])(
    '%s names both values',
    (text) => {
      const r = read(berka, text);
      expect(r.json).toMatch(/"op":"in","values":\["north \w+","south \w+"\]/);
      expect(r.unparsed).toEqual([]);
    },
  );
});

describe('what an attribute is on ("дефолт по кредитам")', () => {
  it.each(['нет просрочки (дефолта) по кредитам', 'без дефолта по кредитам'])(
    '%s is the default alone, not also a loan',
    (text) => {
      const r = read(marketing, text);
      expect(r.kinds).toEqual(['exclude']);
      expect(r.json).toContain('"attr":"default"');
    },
  );

  it('keeps a loan said on its own ("с кредитом и без дефолта")', () => {
    expect(read(marketing, 'клиенты с кредитом и без дефолта').kinds).toEqual(['include', 'exclude']);
  });
});

describe('a misspelt name', () => {
  it('is written with its capital: "указан" is no misspelling of Казань', () => {
    expect(read(bank, 'в анкете указан автомобиль').json).not.toContain('Казань');
  });
});

describe('a name in quotes', () => {
  it.each([
    ['нет подписки «Плюс»', 'Подписка «Плюс» (повышенный кешбэк)'],
    ['кредитная карта «120 дней без процентов»', 'Кредитная карта «120 дней без процентов»'],
    ['клиенты с вкладом «Пенсионный плюс»', 'Вклад «Пенсионный плюс»'],
  ])('%s is the product that quotes it', (text, product) => {
    const r = read(bank, text);
    expect(r.json).toContain(`"value":"${product.replace(/"/g, '\\"')}"`);
    expect(r.unparsed).toEqual([]);
  });
});

describe('codes of one list read in two tables', () => {
  it('are one list ("рестораны, кафе и доставка еды")', () => {
    const r = read(bank, 'рестораны, кафе и доставка еды — в среднем от 10 тыс. рублей в месяц');
    expect(r.json).toContain(
      '{"column":"ref_mcc.mcc_group_code","cmp":{"op":"in","values":["FAST_FOOD","RESTAURANTS"]}}',
    );
  });
});

describe('two words of one head in the other language', () => {
  it('links "начальным или средним образованием" to both education levels', () => {
    const r = read(marketing, 'Клиенты с начальным или средним образованием');
    expect(r.json).toContain('"values":["primary","secondary"]');
    expect(r.unparsed).toEqual([]);
  });

  it('links "Северной или Южной Моравии" to both regions', () => {
    expect(read(berka, 'клиенты из Северной или Южной Моравии').json).toContain(
      '"values":["north Moravia","south Moravia"]',
    );
  });
});

describe('an exclusion by a clause of its own', () => {
  it.each([
    'клиенты из Праги, кроме владельцев счетов с кредитом',
    'clients from Prague, except those who own an account with a loan',
  ])('%s leaves out the clients who are all it says at once', (text) => {
    const r = read(berka, text);
    expect(r.kinds).toEqual(['include', 'exclude']);
    expect(r.json).toContain('"kind":"exclude","expr":{"and":[{"type":"attr","attr":"account_owner"},');
  });

  it('leaves out each of what it joins by "и"', () => {
    const r = read(bank, 'все клиенты старше 30, кроме пенсионеров и клиентов младше 25');
    expect(r.kinds).toEqual(['include', 'exclude', 'exclude']);
  });
});

describe('a first line naming a campaign above a list', () => {
  it('says what the list is for, not who is in it', () => {
    const r = read(
      berka,
      'Gold card upgrade\n- holds a classic card issued before 1998\n- does not have a gold card yet',
    );
    expect(r.kinds).toEqual(['include', 'exclude']);
    expect(r.json).toContain('"value":"classic"');
    expect(r.unparsed).toEqual([]);
  });

  it('names the list ("Second chance list")', () => {
    const r = read(marketing, 'Second chance list\n- previous campaign failed\n- aged 30 to 50');
    expect(r.unparsed).toEqual([]);
    expect(r.kinds).toEqual(['include', 'include']);
  });

  it('is read as criteria when no list follows it', () => {
    expect(read(berka, 'Gold card upgrade').json).toContain('"value":"gold"');
  });
});

describe('a name of several words said with a synonym for one of them', () => {
  it('links "страховые взносы" to the value labelled "страховые платежи"', () => {
    const r = read(berka, 'страховые взносы');
    expect(r.json).toContain('"value":"POJISTNE"');
    expect(r.unparsed).toEqual([]);
  });
});

describe('a period beside values of rows that have a date', () => {
  it('bounds those rows’ date, and the participle of holding them is read with it', () => {
    const r = read(berka, 'Владельцы счетов, открытых до 1 января 1995 года, с ежемесячной выпиской');
    expect(r.json).toContain(
      '{"all":[{"column":"account.frequency","cmp":{"op":"eq","value":"POPLATEK MESICNE"}},{"column":"account.date","cmp":{"op":"lt","value":"1995-01-01"}}]}',
    );
    expect(r.unparsed).toEqual([]);
  });
});

describe('a period beside rows with no date of their own', () => {
  it('bounds the date of the one row a key of theirs points to (an account’s owners: the account)', () => {
    const r = read(berka, 'Владельцы счетов, открытых в 1993 году');
    expect(r.json).toContain(
      '"attr":"account_owner","where":{"column":"account.date","cmp":{"op":"between","min":"1993-01-01","max":"1993-12-31"}}',
    );
    expect(r.unparsed).toEqual([]);
  });
});

describe('words built on a place’s name', () => {
  it.each([
    ['москвичи старше 30', 'Москва'],
    ['петербуржцы с доходом от 100 тысяч', 'Санкт-Петербург'],
    ['жители Подмосковья', 'Московская область'],
    ['сибиряки', 'СФО'],
  ])('%s names %s', (text, place) => {
    const r = read(bank, text);
    expect(r.json).toContain(`"${place}"`);
    expect(r.unparsed).toEqual([]);
  });

  it('leaves a word built on no place reported ("продавцы")', () => {
    expect(read(bank, 'продавцы').unparsed).toEqual(['продавцы']);
  });

  it('reads the client’s place beside a product of rows that reach it only through the client', () => {
    const r = read(bank, 'пенсионеры из Москвы и Подмосковья');
    expect(r.json).toContain('"attr":"receives_pension"}');
    expect(r.json).toContain('"values":["Москва","Московская область"]');
  });
});

describe('a word that a product is in force', () => {
  it.each([
    'clients with a valid KASKO policy',
    'clients with an open brokerage account',
    'клиенты с открытым брокерским счётом',
  ])('is read with the state of the product’s rows: %s', (text) => {
    const r = read(bank, text);
    expect(r.kinds).toEqual(['include']);
    expect(r.unparsed).toEqual([]);
  });

  it('is still reported beside what has no state ("открытым обращением")', () => {
    expect(read(bank, 'клиенты с открытым обращением').unparsed).toEqual(['открытым']);
  });

  it.each(['клиенты с действующим кредитом', 'clients with an active loan'])(
    'stands for the coded states labelled so (Berka: %s is a running loan, OK or in debt)',
    (text) => {
      const r = read(berka, text);
      expect(r.json).toContain('"column":"loan.status","cmp":{"op":"in","values":["D","C"]}');
      expect(r.unparsed).toEqual([]);
    },
  );

  it('picks the state spelt so over one that only shares a stem ("истёк срок действия")', () => {
    const r = read(bank, 'клиенты с активной дебетовой картой');
    expect(r.json).toContain('has_debit_card');
    expect(r.json).not.toContain('EXPIRED');
  });
});

describe('a negated verb', () => {
  it('is reported, never read away as glue', () => {
    expect(read(marketing, 'студенты, которым ни разу не звонили').unparsed.join(' ')).toContain('звонили');
  });
});

describe('a fact a number documents (Bank Marketing: "-1 means client was not previously contacted")', () => {
  it('reads "never contacted" as the fact excluded', () => {
    const r = read(marketing, 'Never contacted by any previous campaign');
    expect(r.kinds).toEqual(['exclude']);
    expect(r.json).toContain('previously_contacted');
  });

  it('reads days beside it as that row’s own number of days, leaving out the never contacted', () => {
    const json = read(marketing, 'contacted no more than 180 days ago').json;
    expect(json).toContain('"attr":"pdays","where":{"column":"client.pdays","cmp":{"op":"ne","value":-1}}');
    expect(json).toContain('"cmp":{"op":"lte","value":180}');
  });

  it('reads "a year ago" beside it as its own number in days, the fact still holding', () => {
    const r = read(marketing, 'contacted more than a year ago');
    expect(r.json).toContain('"attr":"pdays","where":{"column":"client.pdays","cmp":{"op":"ne","value":-1}}');
    expect(r.json).toContain('"cmp":{"op":"gt","value":365}');
    expect(r.json).not.toContain('"attr":"age"');
  });

  it('keeps a fact of the client’s row beside a number of another attribute ("in default, younger than 40")', () => {
    const r = read(marketing, 'in default, younger than 40');
    expect(r.json).toContain(
      '"attr":"age","where":{"column":"client.default","cmp":{"op":"eq","value":"yes"}}',
    );
  });

  it('never counts the client’s own row', () => {
    expect(read(marketing, 'more than five contacts before').json).not.toContain('"fn":"count"');
  });
});

describe('a measure of several years (Berka: "unemployment rate \'95", "\'96")', () => {
  it.each([
    ['districts with unemployment rate in 1996 above 5%', 'district.a13'],
    ['unemployment in 1995 over 3%', 'district.a12'],
    ['districts with more than 5,000 committed crimes in 1996', 'district.a16'],
    ['the 1996 unemployment rate is below 3%', 'district.a13'],
    ['безработица 1996 года ниже 3%', 'district.a13'],
  ])('%s reads the year’s column', (text, column) => {
    const r = read(berka, text);
    expect(r.json).toContain(column);
    expect(r.unparsed).toEqual([]);
  });
});

describe('a year-like number', () => {
  it('is an amount after a word of magnitude', () => {
    expect(read(marketing, 'balance over 2000').json).toContain('"op":"gt","value":2000');
    expect(read(marketing, 'остаток более 1990 евро').json).toContain('"op":"gt","value":1990');
  });

  it('is reported when nothing takes it', () => {
    const r = read(marketing, 'retired clients, 1997');
    expect(r.unparsed).toContain('1997');
  });
});

describe('a column named by the noun its comment ends on', () => {
  it.each([
    ['balance under 100 euros', 'balance'],
    ['retired, no default', 'default'],
  ])('%s', (text, name) => {
    const r = read(marketing, text);
    expect(r.json).toContain(name);
    expect(r.unparsed).toEqual([]);
  });
});

describe('a bound that is a clause of its own in a list of traits', () => {
  it.each([
    'management or technician jobs, under 35, no personal loan',
    'retired; over 60; balance above 1000',
  ])('is an age: %s', (text) => {
    const r = read(marketing, text);
    expect(r.json).toMatch(/"attr":"age","cmp":\{"op":"(lt|gt)","value":(35|60)\}/);
    expect(r.unparsed).toEqual([]);
  });
});

describe('a word of many senses in the other language', () => {
  it('links where the fragment names what it is a value of', () => {
    expect(read(marketing, 'итог прошлой кампании — неудача').json).toContain(
      '"column":"client.poutcome","cmp":{"op":"eq","value":"failure"}',
    );
  });

  it('links alone where the domain glossary gives that sense ("неудача": a failure)', () => {
    expect(read(marketing, 'неудача').json).toContain('"value":"failure"');
  });

  it('is read with the attribute a number in its unit went to', () => {
    const r = read(marketing, 'студенты с остатком больше 1000 евро');
    expect(r.json).toContain('"attr":"balance","cmp":{"op":"gt","value":1000}');
    expect(r.unparsed).toEqual([]);
  });
});

describe('a word two columns hold alike', () => {
  it('goes to the column the fragment names in either language', () => {
    expect(read(marketing, 'образование неизвестно').json).toContain(
      '"column":"client.education","cmp":{"op":"eq","value":"unknown"}',
    );
  });

  it('is reported as a guess when nothing names one', () => {
    expect(read(marketing, 'unknown').unparsed).toContain('unknown');
  });
});

describe('a list in brackets after a negated value', () => {
  it.each([
    ['previous outcome anything except success (failure, other or unknown)', 'failure","other","unknown'],
    ['education not primary (secondary or tertiary)', 'secondary","tertiary'],
  ])('spells out the codes meant: %s', (text, codes) => {
    const r = read(marketing, text);
    expect(r.kinds).toEqual(['include']);
    expect(r.json).toContain(codes);
  });
});

describe('exclusions and negations in clauses and brackets', () => {
  it('reads "…, кроме тех, у кого …" as an exclusion of its own', () => {
    const r = read(
      marketing,
      'Все, кто в минусе (средний годовой баланс отрицательный), кроме тех, у кого дефолт',
    );
    expect(r.json).toContain('"attr":"balance","cmp":{"op":"lt","value":0}');
    expect(r.kinds).toContain('exclude');
    expect(r.unparsed).toEqual([]);
  });

  it('leaves out the list under "Исключить:" while its lines are bullets', () => {
    const r = read(
      marketing,
      'Пенсионеры\nИсключить:\n- с ипотекой\n- с потребкредитом\nостаток больше 1000 евро',
    );
    expect(r.kinds).toEqual(['include', 'exclude', 'exclude', 'include']);
  });

  it('reads "other than X" as except X', () => {
    expect(read(marketing, 'any job other than retired').kinds).toEqual(['exclude']);
  });

  it.each([
    ['Everyone aged 60 or more who is not yet retired (any job other than retired)', ['include', 'exclude']],
    ['campaigns where it didn’t work out (outcome: failure)', ['include']],
  ])('keeps a negation out of brackets that say more: %s', (text, kinds) => {
    expect(read(marketing, text).kinds).toEqual(kinds);
  });

  it('reaches a name alone in brackets that restates what it negates', () => {
    const r = read(berka, 'Жители Брно, не Брно-округ (Brno-venkov)');
    expect(r.json).toContain(
      '"kind":"exclude","expr":{"type":"related","quantifier":"some","where":{"column":"district.a2","cmp":{"op":"eq","value":"Brno - venkov"}}}',
    );
  });

  it('leaves a negation the value’s own label says ("finished without problems")', () => {
    expect(read(berka, 'a loan paid off without any problems').kinds).toEqual(['include']);
  });

  it('reads the same bound said twice once', () => {
    const r = read(marketing, 'безработные, средний баланс положительный (больше нуля)');
    expect(r.unparsed).toEqual([]);
  });

  it('reads a number word standing alone as an age', () => {
    expect(read(marketing, 'Over fifty, divorced or widowed').json).toContain(
      '"attr":"age","cmp":{"op":"gt","value":50}',
    );
  });
});

describe('English words the glossary makes one concept with a value', () => {
  it.each([
    ['Holders of a mortgage', '"attr":"housing"'],
    ['singles with a university degree', '"value":"tertiary"'],
  ])('link: %s', (text, reading) => {
    const r = read(marketing, text);
    expect(r.json).toContain(reading);
    expect(r.unparsed).toEqual([]);
  });
});

describe('a window no criterion takes', () => {
  it('is reported, never dropped ("not contacted in the last 90 days")', () => {
    expect(read(marketing, 'not contacted in the last 90 days').unparsed).toEqual(['in the last 90 days']);
  });

  it('is read where a criterion takes it', () => {
    expect(read(bank, 'пенсионеры без вкладов за последний год').unparsed).toEqual([]);
  });
});

describe('a glossary line’s single words', () => {
  it('link no value in their own language ("work" is no bank employee)', () => {
    expect(read(bank, 'Work in IT').json).not.toContain('is_employee');
  });
});

describe('a negation governs its own clause', () => {
  it('never the number of the next one ("no mortgage, balance over 5000")', () => {
    const r = read(marketing, 'university degree, no mortgage, balance over 5000');
    expect(r.json).toContain('"attr":"balance","cmp":{"op":"gt","value":5000}');
    expect(r.json).toContain('"kind":"exclude","expr":{"type":"attr","attr":"housing"}');
  });
});

describe('a rating graded by risk', () => {
  it.each(['рейтинг не хуже B', 'внутренний рейтинг B и выше', 'rating no worse than B'])(
    'is better with less risk: %s',
    (text) => {
      expect(read(bank, text).json).toContain('"op":"in","values":["B","A"]');
    },
  );
});

describe('the answer words of a yes/no column', () => {
  it('negate the column named with them, never read as its "no" code alone', () => {
    const r = read(marketing, 'aged 30-50 with a housing loan and no credit in default');
    expect(r.json).not.toContain('"value":"no"');
    expect(r.kinds).toEqual(['include', 'exclude']);
  });
});

describe('guesses are said', () => {
  it('reports a number applied to an attribute far from it', () => {
    const r = read(
      marketing,
      'average yearly balance, for married people who are in management jobs, over 1000',
    );
    expect(r.json).toContain('"op":"gt","value":1000');
    expect(r.unparsed).toContain('over 1000');
  });

  it.each([
    ["hasn't got a personal loan", 'exclude'],
    ["don't have a housing loan", 'exclude'],
  ])('reads a contracted negation: %s', (text, kind) => {
    expect(read(marketing, text).kinds).toEqual([kind]);
  });

  it('reads "с начала года" as this year', () => {
    expect(read(bank, 'с начала года подавали жалобу').json).toContain('"start":"year"');
  });

  it('reads "ten percent" as 10%', () => {
    expect(read(bank, 'Default probability score below ten percent').json).toContain('"value":0.1');
  });
});

describe('numbers of a dimension named in the other language, and their own words', () => {
  it.each([
    ['районы с уровнем безработицы в 1996 году выше 5%', 'district.a13'],
    ['более 5000 преступлений в 1996 году', 'district.a16'],
  ])('%s', (text, column) => {
    expect(read(berka, text).json).toContain(column);
  });

  it('reads "на 1000 жителей" as the column’s own words, not a condition', () => {
    const r = read(berka, 'районы, где больше 120 предпринимателей на 1000 жителей');
    expect(r.json).toContain('district.a14');
    expect(r.json).not.toContain('1000');
  });

  it('leaves out a value after "excluding" inside a fragment', () => {
    const r = read(
      berka,
      'Men living in districts that recorded more than 5,000 crimes in 1996, excluding Prague',
    );
    expect(r.kinds).toContain('exclude');
    expect(r.json).toContain('Prague');
  });
});

describe('a negation over coordinated mentions', () => {
  it('leaves out both values of one column', () => {
    const r = read(marketing, 'Clients aged 30-50, excluding blue-collar workers and housemaids');
    expect(r.kinds).toEqual(['include', 'exclude']);
    expect(r.json).toContain('"values":["blue-collar","housemaid"]');
  });

  it.each(['без ипотеки и потребкредита', 'with neither a housing loan nor a personal loan'])(
    'leaves out both yes/no facts: %s',
    (text) => {
      expect(read(marketing, text).kinds).toEqual(['exclude', 'exclude']);
    },
  );
});

describe('a list line that goes on the line before it', () => {
  it('reads a window and an amount on lines of their own with the line above', () => {
    const r = read(
      bank,
      '* покупки по картам за рубежом\n* период — последние 3 месяца\n* сумма — свыше 100 000 ₽',
    );
    expect(r.unparsed).toEqual([]);
    expect(r.json).toContain('"window":{"n":3,"unit":"month"}');
    expect(r.json).toContain('"op":"gt","value":100000');
  });

  it('keeps a line that names something of its own as its own criterion', () => {
    const r = read(bank, '- возраст от 25 до 45 лет\n- без действующей кредитной карты');
    expect(r.kinds).toEqual(['include', 'exclude']);
  });

  it('still reports a line nothing reads, alone or with the line above', () => {
    const r = read(bank, '- возраст от 25 до 45 лет\n- любят котиков');
    expect(r.unparsed).toEqual(['любят котиков']);
  });
});

describe('a two-letter abbreviation is a word that says something', () => {
  it('is reported when nothing reads it', () => {
    expect(read(bank, 'возраст от 25 до 45 лет, работают в ZX').unparsed.join(' ')).toContain('zx');
  });
});

describe('words of a coded list’s phrased labels', () => {
  it('read a word several labels share as all of them, where the column is named', () => {
    const r = read(berka, 'clients with running loans');
    expect(r.json).toContain('"column":"loan.status","cmp":{"op":"in","values":["D","C"]}');
    expect(r.unparsed).toEqual([]);
  });

  it('read words that agree with the value read as read with it', () => {
    const r = read(berka, 'Account owners whose loan is still running but who are in debt');
    expect(r.json).toContain('"column":"loan.status","cmp":{"op":"eq","value":"D"}');
    expect(r.unparsed).toEqual([]);
  });

  it('leave a shared word alone where nothing names its column', () => {
    expect(read(berka, 'women from Prague running a business').json).not.toContain('loan.status');
  });
});

describe('a negation that closes its clause', () => {
  it.each([
    ['ипотеки у нас нет', 'has_mortgage'],
    ['кредитной карты у нас сейчас нет', 'has_credit_card'],
    ['действующих вкладов нет', 'has_active_deposit'],
    ['вкладов у нас никогда не было', 'has_active_deposit'],
  ])('negates the phrase before it: %s', (text, attr) => {
    const r = read(bank, text);
    expect(r.kinds).toEqual(['exclude']);
    expect(r.json).toContain(`"attr":"${attr}"`);
    expect(r.unparsed).toEqual([]);
  });

  it('negates coordinated values together', () => {
    const r = read(bank, 'ОСАГО или КАСКО нет');
    expect(r.kinds).toEqual(['exclude']);
    expect(r.json).toContain('"values":["OSAGO","KASKO"]');
  });

  it('stays in its clause', () => {
    expect(read(bank, 'Семьи с двумя детьми, ипотеки у нас нет').kinds).toEqual(['include', 'exclude']);
  });
});

describe('an amount said of a held product', () => {
  it.each([
    ['на накопительном счёте лежит от ста тысяч рублей', '"op":"gte","value":100000'],
    ['накопительный счёт с остатком больше 300 тысяч', '"op":"gt","value":300000'],
  ])('is the product’s amount column: %s', (text, cmp) => {
    const r = read(bank, text);
    expect(r.json).toContain(`"column":"savings_account.balance_rub","cmp":{${cmp}}`);
    expect(r.json).not.toContain('total_balance');
    expect(r.unparsed).toEqual([]);
  });

  it('is not taken across a comma', () => {
    expect(read(bank, 'есть накопительный счёт, остатки на счетах больше 1 млн').json).toContain(
      'total_balance',
    );
  });
});

describe('what a heading’s list is for', () => {
  it('is the offer, not a criterion', () => {
    const r = read(bank, 'Пенсионеры для вклада «Пенсионный плюс»:\n- действующих вкладов нет');
    expect(r.json).not.toContain('product_name');
    expect(r.kinds).toEqual(['include', 'exclude']);
  });
});

describe('bounds of a person’s years', () => {
  it('never go to an amount of money as bare numbers', () => {
    const r = read(bank, 'IT specialists under 50 with a confirmed monthly income of 150k or more');
    expect(r.json).not.toContain('"attr":"monthly_income","cmp":{"op":"lt","value":50}');
    expect(r.json).toContain('"attr":"monthly_income","cmp":{"op":"gte","value":150000}');
  });

  it.each(['моложе 30 или старше 60', 'clients under 30 or over 60'])(
    'apart and joined by "or" are either one: %s',
    (text) => {
      const r = read(marketing, text);
      expect(r.kinds).toEqual(['include']);
      expect(r.json).toContain('{"or":[{"type":"attr","attr":"age","cmp":{"op":"lt","value":30}}');
    },
  );

  it('joined by "and" are both', () => {
    expect(read(marketing, 'clients over 25 and under 60').kinds).toEqual(['include', 'include']);
  });
});

describe('comparison words', () => {
  it.each([
    ['покупки за границей за последние 3 месяца больше чем на сто тысяч рублей', '"op":"gt","value":100000'],
    ['monthly income exceeds 200,000 RUB', '"op":"gt","value":200000'],
  ])('%s', (text, cmp) => {
    const r = read(bank, text);
    expect(r.json).toContain(cmp);
    expect(r.unparsed).toEqual([]);
  });
});

describe('an attribute named again by another one’s words', () => {
  it('gives the other its window', () => {
    const r = read(
      bank,
      'Клиенты, которые за последние три месяца совершили покупки за границей больше чем на сто тысяч рублей',
    );
    expect(r.json).toBe(
      '[{"id":"c1","kind":"include","expr":{"type":"attr","attr":"foreign_card_spend","window":{"n":3,"unit":"month"},"cmp":{"op":"gt","value":100000}}}]',
    );
  });
});

describe('a heading with the text on its line', () => {
  it('reads what the text is for as the offer, and a negation closing a linked word', () => {
    const r = read(
      marketing,
      'Молодёжь для первой ипотеки: не женаты / не замужем, младше 30 лет, с высшим образованием, и ипотеки у них пока нет.',
    );
    expect(r.json).toContain('"kind":"exclude","expr":{"type":"attr","attr":"housing"}');
    expect(r.json).not.toContain('"column":"client.housing"');
    expect(r.unparsed).toEqual([]);
  });
});

describe('a person’s years said twice', () => {
  it('reads "уже исполнилось 60 лет (60 и старше)" as one bound', () => {
    const r = read(berka, 'Владельцы счетов, которым на 31.12.1998 уже исполнилось 60 лет (60 и старше)');
    expect(r.json).toContain('"cmp":{"op":"gte","value":60}');
    expect(r.json).not.toContain('"op":"eq","value":60');
  });
});

describe('an attribute said and denied in two clauses', () => {
  it('is two criteria', () => {
    const r = read(berka, 'гасят кредит постоянным поручением, но кредита в нашем банке у них нет');
    expect(r.kinds.filter((k) => k === 'exclude')).toHaveLength(1);
    expect(r.json).toContain('"kind":"exclude","expr":{"type":"attr","attr":"has_loan"}');
  });
});

describe('words that say nothing more', () => {
  it('a bracket spelling out an abbreviation read', () => {
    expect(
      read(
        bank,
        'Clients who sent more than 30k RUB to other banks via SBP (Faster Payments System) in the past month',
      ).unparsed,
    ).toEqual([]);
  });

  it('but not one with an exception', () => {
    expect(read(bank, 'клиенты с ОСАГО (кроме бабушек)').unparsed.join(' ')).toContain('бабушек');
  });

  it('the place of residence beside a place', () => {
    expect(read(bank, 'регион проживания — Москва, возраст от 30 лет').unparsed).toEqual([]);
  });
});

describe('a number before the word of what it counts', () => {
  it.each([
    ['Клиенты, с которыми в прошлых кампаниях было три контакта и больше', '"op":"gte","value":3'],
    ['more than 2 contacts before this campaign', '"op":"gt","value":2'],
  ])('is the number of the column that counts it: %s', (text, cmp) => {
    const r = read(marketing, text);
    expect(r.json).toContain(`"column":"client.previous","cmp":{${cmp}}`);
    expect(r.unparsed).toEqual([]);
  });

  it('never a column not for targeting (the current campaign’s contacts)', () => {
    expect(read(marketing, 'more than 2 contacts').json).not.toContain('campaign');
  });
});

describe('a feminine noun for a person', () => {
  it.each([
    [berka, 'Клиентки, проживающие в Праге', []],
    [berka, 'владелицы счетов из Брно', []],
    [berka, 'жительницы Праги', []],
    [bank, 'студентки младше 25', []],
  ] as const)('says women: %#', (of, text, unparsed) => {
    const r = read(of, text);
    expect(r.json).toContain('"column":"client.gender","cmp":{"op":"eq","value":"F"}');
    expect(r.unparsed).toEqual(unparsed);
  });

  it('keeps what the word names besides', () => {
    expect(read(bank, 'студентки младше 25').json).toContain('"value":"STUDENT"');
    expect(read(berka, 'пенсионерки из Праги').unparsed).toEqual(['пенсионерки']);
  });

  it.each(['покупки за границей больше 100 тысяч', 'выписки по карточке'])('not in "%s"', (text) => {
    expect(read(bank, text).json).not.toContain('client.gender');
  });
});

describe('"с N и более"', () => {
  it.each([
    ['Семьи с двумя и более детьми', '"attr":"children_count","cmp":{"op":"gte","value":2}'],
    ['с двумя детьми', '"attr":"children_count","cmp":{"op":"eq","value":2}'],
    ['с 3 и более картами', '"cmp":{"op":"gte","value":3}'],
  ])('%s', (text, cmp) => {
    const r = read(bank, text);
    expect(r.json).toContain(cmp);
    expect(r.unparsed).toEqual([]);
  });
});

describe('a verb in the past tense', () => {
  it('is no form of a noun a letter apart, nor its misspelling', () => {
    const r = read(bank, 'хотя бы два раза приходили в отделение за последние полгода');
    expect(r.json).not.toContain('credit_turnover');
    expect(r.unparsed).not.toEqual([]);
  });

  it('leaves nouns that end so alone', () => {
    expect(read(bank, 'автомобили китайских марок').json).toContain('vehicle_brand');
  });
});

describe('a heading that names the list under it', () => {
  it.each(['Segment for the cashback card:', 'Целевая аудитория:'])('says nothing: %s', (heading) => {
    expect(read(marketing, `${heading}\n- возраст от 30 до 40`).unparsed).toEqual([]);
  });

  it('unless it says more', () => {
    expect(read(marketing, 'Сегмент: премиум').unparsed).toEqual(['Сегмент: премиум']);
  });
});

describe('a letter right after the digits', () => {
  it.each([
    ['balance over 1.5m rubles', '"op":"gt","value":1500000'],
    ['ипотека с остатком от 1,5м', '"op":"gte","value":1500000'],
  ])('is millions: %s', (text, cmp) => {
    expect(read(bank, text).json).toContain(cmp);
  });

  it('is no gender ("a city of 1M+ people")', () => {
    expect(read(bank, 'lives in a city of 1M+ people').json).not.toContain('client.gender');
  });
});

describe('"leave … out"', () => {
  it.each(['married clients - but leave the students out', 'married clients, leave out students'])(
    'excludes what it names: %s',
    (text) => {
      const r = read(marketing, text);
      expect(r.kinds).toEqual(['include', 'exclude']);
      expect(r.json).toContain('"value":"student"');
    },
  );

  it('leaves a pronoun to what follows it, reported', () => {
    expect(
      read(marketing, 'married clients, leave them out if they have a housing loan').unparsed,
    ).not.toEqual([]);
  });
});

describe('"никаких"', () => {
  it.each(['никаких кредитов', 'никаких просрочек'])('negates what follows: %s', (text) => {
    expect(read(bank, text).kinds).toEqual(['exclude']);
  });
});

describe('a name the rest of its line defines', () => {
  it.each([
    [marketing, 'Young professionals: management or technician jobs, under 35'],
    [marketing, 'Семейные (в браке) клиенты с ипотекой'],
    [berka, 'pensioners: 65 and over as of 31 Dec 1998'],
    [berka, 'Young account owners – born in 1970 or later'],
  ])('says nothing more: %#', (of, text) => {
    const r = read(of, text);
    expect(r.kinds.length).toBeGreaterThan(0);
    expect(r.unparsed).toEqual([]);
  });

  it.each([
    // A preposition, a place's name: a condition of its own, not a name.
    [berka, 'Clients from Springfield: over 30', 'springfield'],
    [marketing, 'Клиенты-домоседы без ипотеки: старше 30', 'домоседы'],
    // Nothing after it was read.
    [marketing, 'Homebodies: neighbours of ours', 'homebodies'],
  ])('unless it says more: %#', (of, text, word) => {
    expect(read(of, text).unparsed.join(' ').toLowerCase()).toContain(word);
  });

  it('unless its words name what the reading left out ("причина отказа — …")', () => {
    expect(read(bank, 'Отказ по заявке на кредит; причина отказа — низкий доход').unparsed).not.toEqual([]);
  });
});

describe('a line that ends in a colon above a list', () => {
  it('is a heading when it reads nothing by itself', () => {
    const r = read(
      marketing,
      'Клиенты без кредитной нагрузки:\n- нет ипотеки\n- средний годовой остаток от 500 евро',
    );
    expect(r.kinds).toEqual(['exclude', 'include']);
    expect(r.unparsed).toEqual([]);
  });

  it('is read when it says something', () => {
    expect(read(marketing, 'Пенсионеры:\n- с ипотекой').json).toContain('retired');
  });
});

describe('an attribute’s label', () => {
  it('is read with it ("monthly" of the declared monthly income)', () => {
    expect(read(bank, 'Clients with a monthly income of 50,000 rubles or more').unparsed).toEqual([]);
  });
});

describe('a window said before what it bounds', () => {
  it('bounds the attribute after it in its clause', () => {
    const specs = bank.parser
      .parse(
        'Клиенты, которые за последние полгода расплачивались картой в Турции, но за последний год не оформляли у нас страховку путешественника',
      )
      .criteria.map((c) => JSON.stringify(c.spec));
    expect(specs.find((s) => s.includes('include'))).toContain('"window":{"n":6,"unit":"month"}');
    expect(specs.find((s) => s.includes('exclude'))).toContain('"window":{"n":12,"unit":"month"}');
  });
});

describe('a fragment pointing back with a window', () => {
  it('takes no window’s number for an amount, and "ни одного" for none', () => {
    const r = read(
      bank,
      'Ипотечные заёмщики с действующей ипотекой; за последние 12 месяцев ни одного дня просрочки по ней',
    );
    expect(r.json).toContain('"column":"loan.max_overdue_days_12m","cmp":{"op":"eq","value":0}');
  });
});

describe('a held product an amount was spent with', () => {
  it.each([
    'Customers who spent more than 50k roubles in restaurants with our cards over the last 3 months',
    'Траты в ресторанах по нашим картам больше 50 тысяч за 3 месяца',
  ])('is no condition of its own: %s', (text) => {
    const r = read(bank, text);
    expect(r.kinds).toEqual(['include']);
    expect(r.json).toContain('"value":"RESTAURANTS"');
    expect(r.json).not.toContain('cashback_category');
    expect(r.unparsed).toEqual([]);
  });

  it('stays a condition when nothing was spent with it', () => {
    expect(
      read(bank, 'клиенты с кредитной картой, у которых траты больше 50 тысяч за 3 месяца').kinds,
    ).toEqual(['include', 'include']);
  });
});

describe('years of birth', () => {
  it.each(['women born between 1960 and 1979', 'Женщины 1960–1979 годов рождения'])(
    'bound the birth date: %s',
    (text) => {
      const r = read(berka, text);
      expect(r.json).toContain(
        '"column":"client.birth_date","cmp":{"op":"between","min":"1960-01-01","max":"1979-12-31"}',
      );
      expect(r.unparsed).toEqual([]);
    },
  );
});

describe('where the client did it, inside a term', () => {
  it.each([
    'Клиенты, которые открыли у нас счёт в 1993 году',
    'clients who opened an account with us in 1993',
  ])('is no word of its own: %s', (text) => {
    const r = read(berka, text);
    expect(r.json).toContain('"attr":"account_opened"');
    expect(r.json).toContain('"column":"account.date"');
    expect(r.unparsed).toEqual([]);
  });

  it('is only "у нас", "with us": other words in between still part a term', () => {
    expect(
      read(bank, 'Clients who withdrew their own cash loan application in the last 6 months').json,
    ).not.toContain('cash_withdrawal');
  });
});

describe('a verb of what was done', () => {
  it('is no state of another product ("opened an account … never took a loan")', () => {
    const r = read(berka, 'clients who opened an account in 1993 and never took a loan');
    expect(r.kinds).toEqual(['include', 'exclude']);
    expect(r.json).not.toContain('loan.status');
  });
});

describe('a word that is the value’s own word in another form', () => {
  it('links it ("retirees": retired), beside an attribute’s words', () => {
    const r = read(marketing, 'Retirees with an average yearly balance over €5,000');
    expect(r.json).toContain('"value":"retired"');
    expect(r.unparsed).toEqual([]);
  });
});

describe('one word of a coded value’s label', () => {
  it.each(['clients with a running loan without problems', 'loans that are running with no problems so far'])(
    'gives way to the value more of the fragment’s words label: %s',
    (text) => {
      const r = read(berka, text);
      expect(r.kinds).toEqual(['include']);
      expect(r.json).toContain('"column":"loan.status","cmp":{"op":"eq","value":"C"}');
    },
  );

  it('stays where nothing else is said ("finished loans without problems")', () => {
    expect(read(berka, 'finished loans without problems').json).toContain('"value":"A"');
  });
});

describe('a measure named only by words that say nothing by themselves', () => {
  it.each(['affluent clients who don’t invest with us yet', 'High earners who are still with the bank'])(
    'is no criterion: %s',
    (text) => {
      expect(read(bank, text).json).not.toContain('client_tenure_years');
    },
  );

  it('is one with its number ("с нами больше 5 лет")', () => {
    expect(read(bank, 'клиенты с нами больше 5 лет').json).toContain(
      '"attr":"client_tenure_years","cmp":{"op":"gt","value":5}',
    );
  });
});

describe('a word of the next value’s own name', () => {
  it.each(['deposits in US dollars or Chinese yuan', 'вклад в китайских юанях'])(
    'is no value of its own: %s',
    (text) => {
      const r = read(bank, text);
      expect(r.json).toContain('"CNY"');
      expect(r.json).not.toContain('vehicle_brand');
    },
  );

  it('is one where nothing follows it ("chinese cars")', () => {
    expect(read(bank, 'chinese cars').json).toContain('vehicle_brand');
  });

  it('is one across a comma ("кафе, рестораны")', () => {
    expect(read(bank, 'траты на кафе, рестораны больше 15 тысяч').json).toContain('"RESTAURANTS"');
  });
});

describe('the rouble named without a number', () => {
  it.each(['вклад в рублях', 'рублёвый вклад'])('is the deposit’s currency: %s', (text) => {
    expect(read(bank, text).json).toContain('"value":"RUB"');
  });

  it('stays a unit after a number', () => {
    expect(read(bank, 'вклад больше 100 000 рублей').json).not.toContain('"RUB"');
  });
});

describe('a word the domain glossary says with what was read', () => {
  it('is read with it ("остатком на счёте": the balance)', () => {
    expect(read(marketing, 'пенсионеры со средним остатком на счёте от 5 тыс. евро').unparsed).toEqual([]);
  });

  it('is not read beside something else', () => {
    expect(read(marketing, 'пенсионеры на счёте').unparsed.join(' ')).toContain('счете');
  });
});

describe('"в том числе", "including" after a negated product', () => {
  it.each(['не брали кредит (в том числе кредитную карту)', 'нет кредитов, включая кредитные карты'])(
    'negates what it names too: %s',
    (text) => {
      const r = read(bank, text);
      expect(r.kinds).toEqual(['exclude', 'exclude']);
      expect(r.unparsed).toEqual([]);
    },
  );

  it('is left reported after what one has', () => {
    expect(read(bank, 'клиенты с кредитами, включая кредитные карты').unparsed).not.toEqual([]);
  });
});

describe('a date of birth', () => {
  it.each([
    [berka, 'date of birth before 1 January 1950'],
    [bank, 'дата рождения до 1 января 1950 года'],
  ])('bounds the birth date: %s', (of, text) => {
    const r = read(of, text);
    expect(r.json).toContain('"column":"client.birth_date","cmp":{"op":"lt","value":"1950-01-01"}');
  });
});

describe('a held product denied for all time', () => {
  it.each(['никогда не открывали вклад', 'ни разу не брали у нас кредит'])('is any row of it: %s', (text) => {
    const r = read(bank, text);
    expect(r.kinds).toEqual(['exclude']);
    expect(r.json).toContain('"type":"related"');
    expect(r.json).not.toContain('status');
  });

  it('is the product in force otherwise ("нет вклада")', () => {
    expect(read(bank, 'нет вклада').json).toContain('"attr":"has_active_deposit"');
  });
});

describe('a kind of a product named as its alternative', () => {
  it.each([
    "clients who don't have an open brokerage account or individual investment account (IIS)",
    'нет брокерского счёта или ИИС',
  ])('is the product as a whole: %s', (text) => {
    const r = read(bank, text);
    expect(r.json).toContain('"attr":"has_brokerage_account"');
    expect(r.json).not.toContain('account_kind');
  });
});

describe('"подтверждённый доход"', () => {
  it('is reported: the declared income says nothing of its confirmation', () => {
    expect(read(bank, 'подтверждённый доход от 80к в месяц').unparsed).toEqual(['подтвержденный']);
  });
});

describe('a value negated by "never"', () => {
  it.each(['never married clients over 40', 'clients who have never been married'])(
    'is the value the glossary names the negated phrase by: %s',
    (text) => {
      const r = read(marketing, text);
      expect(r.json).toContain('"value":"single"');
      expect(r.json).not.toContain('"value":"married"');
    },
  );

  it('stays negated after "not" (divorced are not married either)', () => {
    expect(read(marketing, 'clients who are not married').kinds).toEqual(['exclude']);
  });
});

describe('a value said not done by a participle', () => {
  it.each(['КАСКО не оформлено', 'ипотека не оформлена'])('is excluded: %s', (text) => {
    const r = read(bank, text);
    expect(r.kinds).toEqual(['exclude']);
    expect(r.unparsed).toEqual([]);
  });
});

describe('a state word right before a kind of a held product', () => {
  it('is that product’s own state, not another table’s ("есть действующее ОСАГО")', () => {
    const r = read(bank, 'есть действующее ОСАГО');
    expect(r.json).toContain('"value":"OSAGO"');
    expect(r.json).not.toContain('card_status');
    expect(r.unparsed).toEqual([]);
  });
});
