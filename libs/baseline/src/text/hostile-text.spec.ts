// The pre-parse screen on its own: what it marks as hostile (and how it shows it), and that ordinary
// criteria and offers, the eval set's texts and BIRD's questions come through untouched. The parser reads
// only the screen's masked text, so a text with no spans is read exactly as it was before the screen.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { screenText, showInvisible, showWithin, type HostileKind } from './hostile-text';

const ESC = '\u001b';

/** The text's spans as shown, and the checks every screening must pass whatever it marks. */
function shownSpans(text: string): string[] {
  const { masked, spans } = screenText(text);
  expect(masked).toHaveLength(text.length);
  let at = 0;
  for (const span of spans) {
    // Outside the spans the text is as written; inside, blank.
    expect(masked.slice(at, span.start)).toBe(text.slice(at, span.start));
    expect(masked.slice(span.start, span.end).trim()).toBe('');
    expect(span.start).toBeGreaterThanOrEqual(at);
    at = span.end;
  }
  expect(masked.slice(at)).toBe(text.slice(at));
  return spans.map((s) => s.shown);
}

describe('hostile text is marked', () => {
  it.each<[string, string, string[]]>([
    // Function calls.
    ['a call', 'возраст больше pg_sleep(10)', ['pg_sleep(10)']],
    ['a call without arguments', 'доход больше version()', ['version()']],
    ['a call with a string', "клиенты из lo_import('/etc/passwd')", ["lo_import('/etc/passwd')"]],
    ['a qualified call', 'возраст pg_catalog.pg_sleep(5)', ['pg_catalog.pg_sleep(5)']],
    ['a spaced call of a code name', 'age over pg_sleep (7)', ['pg_sleep (7)']],
    ['a spaced call of a known function', 'income over sleep (7)', ['sleep (7)']],
    ['a nested call', 'возраст extract(epoch from now())', ['extract(epoch from now())']],
    ['an unclosed call', 'возраст больше pg_sleep(10 лет', ['pg_sleep(10']],
    ['a call glued to a word', 'возраст>pg_sleep(3)', ['возраст>pg_sleep(3)']],
    ['a call of a numbers-only argument', 'клиенты age(18-25)', ['age(18-25)']],
    // Statements, operators, comments.
    ['a statement after a semicolon', 'возраст 30; DROP TABLE clients', ['DROP TABLE clients']],
    [
      'a statement with its break-out',
      "Москва'); DROP TABLE clients; --",
      ["Москва'); DROP TABLE clients; --"],
    ],
    ['a union', 'age over 30 UNION SELECT password FROM users', ['UNION SELECT password FROM users']],
    [
      'a select after a semicolon',
      'доход больше 100 тыс; select name from users',
      ['select name from users'],
    ],
    ['a select of a literal', 'женщины; SELECT 1--', ['SELECT 1--']],
    ['a tautology', "' OR 1=1 --", ["' OR 1=1 --"]],
    ['a string tautology', "клиенты ' OR 'a'='a", ["' OR 'a'='a"]],
    ['a tautology without quotes', 'доход больше 100 тыс. or 2=2', ['or 2=2']],
    ['a boolean literal after debris', "age over 30' OR 1 --", ["30' OR 1 --"]],
    ['a comment dash after debris', "x' OR 1=1 -- comment", ["x' OR 1=1 --"]],
    ['a block comment', 'доход больше 100 тыс /* 500 */ и возраст', ['/* 500 */']],
    ['an unclosed block comment', 'возраст 30 /* 45', ['/* 45']],
    ['a comment glued to a quote', "admin'-- доход", ["admin'--"]],
    ['a comment at the end of the line', 'возраст больше 30 --', ['--']],
    ['a waitfor', "доход; WAITFOR DELAY '0:0:10'", ["WAITFOR DELAY '0:0:10'"]],
    ['a stacked grant', 'клиенты; GRANT ALL ON clients TO public', ['GRANT ALL ON clients TO public']],
    // Terminal escapes and other controls.
    ['a colour code', `возраст ${ESC}[31m`, ['⟨U+001B⟩[31m']],
    ['a coloured word', `из ${ESC}[1mМосквы${ESC}[0m`, ['⟨U+001B⟩[1mМосквы⟨U+001B⟩[0m']],
    ['a colour code that lost its escape', 'возраст [31m', ['[31m']],
    ['a caret-written escape', 'возраст ^[[42m', ['^[[42m']],
    ['an OSC title', `доход ${ESC}]0;pwned\u0007 100`, ['⟨U+001B⟩]0;pwned⟨U+0007⟩']],
    ['a C1 control', 'возраст 3\u00850', ['3⟨U+0085⟩0']],
    ['a NUL', 'возраст\u0000 45', ['возраст⟨U+0000⟩']],
    ['a zero-width space inside a word', 'из Моск\u200bвы', ['Моск⟨U+200B⟩вы']],
    ['a zero-width joiner in a number', 'доход 1\u200d00 тыс', ['1⟨U+200D⟩00']],
    ['a bidi override to its end', 'из Москвы \u202eтыс 001\u202c старше 30', ['⟨U+202E⟩тыс 001⟨U+202C⟩']],
    ['a bidi isolate to the end of the line', 'возраст \u2067 03 \nдоход', ['⟨U+2067⟩ 03']],
    ['a soft hyphen', 'из Санкт-Петер\u00adбурга', ['Санкт-Петер⟨U+00AD⟩бурга']],
    ['tag characters', 'возраст 30 \u{E0041}\u{E0042}', ['⟨U+E0041⟩⟨U+E0042⟩']],
    // Quote debris and backslashes.
    ['a quote inside a Cyrillic word', "клиенты из Моск'ва", ["Моск'ва"]],
    ['an escaped closing quote', 'женщины из "Kazan\\"', ['"Kazan\\"']],
    ['a stray opening quote', 'доход больше 100 тыс "', ['"']],
    ['an unclosed quote at the end of the line', "клиенты 'Gold\nвозраст 30", ["'Gold"]],
    ['a quote glued to digits', "возраст 30'", ["30'"]],
    ['a written-out escape', 'возраст \\u001b[31m', ['\\u001b[31m']],
    ['a closing guillemet with no opening', 'карта Молодёжная» старше 21', ['Молодёжная»']],
    ['an empty string', "клиенты '' старше 30", ["''"]],
    ['a run of quotes', "доход '''''' 100", ["''''''"]],
    // Encodings, templates, markup.
    ['a percent-encoded payload', 'возраст %27%20OR%201%3D1', ['%27%20OR%201%3D1']],
    ['an HTML entity', 'доход 100 &#39; or 1=1', ['&#39; or 1=1']],
    ['a template', 'возраст ${7*7}', ['${7*7}']],
    ['a shell substitution', 'клиенты $(reboot)', ['$(reboot)']],
    ['a script tag', 'клиенты <script>alert(1)</script>', ['<script>alert(1)</script>']],
  ])('%s', (_name, text, shown) => {
    expect(shownSpans(text)).toEqual(shown);
  });

  it('says what each span is', () => {
    const kinds = (text: string): HostileKind[][] => screenText(text).spans.map((s) => s.kinds.sort());
    expect(kinds('возраст больше pg_sleep(10)')).toEqual([['call']]);
    expect(kinds(`возраст ${ESC}[31m`)).toEqual([['control']]);
    expect(kinds("Моск'ва")).toEqual([['quote']]);
    expect(kinds("x'); DROP TABLE t; --")).toEqual([['comment', 'quote', 'sql']]);
  });
});

describe('ordinary text is left alone', () => {
  it.each([
    'Молодёжь (18–25 лет) из Москвы',
    'Клиенты старше 30 лет (кроме VIP)',
    'Customers aged 25-35 (not VIP) with a Gold card',
    "customers' monthly income over 100k",
    "clients' cards",
    "O'Brien and other clients over 40",
    "women's average card spend over 20k a month",
    "clients who don't have a credit card",
    "the driver who ranked second in 2008's Chinese Grand Prix",
    'Держатели карты «Молодёжная» старше 21 года',
    'Клиенты с вкладом «Максимальный доход» больше 500 тыс.',
    '«Кредит „Свободный“» для клиентов',
    'Клиенты с доходом от 100 тыс. ₽ и картой "Мир"',
    'Клиенты с картой "Мир"-Premium',
    "Клиенты с картой 'Premium' и доходом от 150 тыс. руб.",
    'Customers with a “Gold” or ‘Platinum’ card',
    'Траты на АЗС — больше 5 тыс. в месяц',
    'Возраст 25–35 лет, доход 50–100 тыс.',
    'Возраст 25--35 лет',
    'Клиенты из Москвы -- женщины старше 30',
    'Клиенты с кешбэком 5% и остатком больше 300 000 ₽',
    'доход 50\u00a0000 ₽ и 1\u202f500 000 на вкладе',
    'Клиенты 45+ с ипотекой, доход >100 тыс. и <200 тыс.',
    'возраст = 30, доход >= 50k',
    'Клиенты (18-25 лет), женщины',
    'Жители Москвы (не Подмосковья) с ипотекой',
    'VIP (premium) clients; user(s) with Mir Pay (NFC)',
    'Клиенты, у которых вклад заканчивается в ближайшие два месяца!',
    'доход от 100 тыс. руб./мес.',
    '1) женщины\n2) старше 30 лет\n- с ипотекой\n• без просрочек',
    '-----\nВозраст 30-40\n=====',
    'AT&T subscribers, 5% cashback',
    'Select clients from Moscow over 30',
    '\ufeffВозраст 30-40 лет',
    'Женщины 30-45 лет из Москвы; траты на АЗС больше 5 тыс в месяц',
  ])('%s', (text) => {
    expect(screenText(text)).toEqual({ masked: text, spans: [] });
  });

  it("leaves every text of the eval set alone (criteria, offers' titles, descriptions, conditions)", () => {
    const root = resolve(__dirname, '../../../..', 'eval/cases');
    const warehouses = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory());
    const texts = warehouses.flatMap(({ name: warehouse }) =>
      readdirSync(join(root, warehouse))
        .filter((f) => f.endsWith('.json'))
        .flatMap((f) => {
          const c = JSON.parse(readFileSync(join(root, warehouse, f), 'utf8')) as {
            criteria?: string;
            offer: { title: string; description?: string; conditions?: string[]; product: { name?: string } };
          };
          return [
            c.criteria,
            c.offer.title,
            c.offer.description,
            ...(c.offer.conditions ?? []),
            c.offer.product.name,
          ];
        }),
    );
    const texted = texts.filter((t): t is string => typeof t === 'string');
    expect(texted.length).toBeGreaterThan(250);
    expect(texted.filter((t) => screenText(t).spans.length > 0)).toEqual([]);
  });

  it("leaves BIRD mini-dev's 500 questions alone", () => {
    const dir = process.env.BIRD_DIR ?? resolve(__dirname, '../../../../..', 'shared/datasets/bird-minidev');
    const questions = (
      JSON.parse(readFileSync(join(dir, 'mini_dev_postgresql.json'), 'utf8')) as { question: string }[]
    ).map((q) => q.question);
    expect(questions).toHaveLength(500);
    expect(questions.filter((q) => screenText(q).spans.length > 0)).toEqual([]);
  });
});

describe('screening adversarial text of the longest criteria a request may carry', () => {
  // 20,000 characters (the request's limit) of each kind of debris: every finder must stay linear.
  it.each([
    ['quotes', "'"],
    ['unclosed calls', 'a('],
    ['calls', 'pg_sleep(1) '],
    ['comment markers', 'x -- '],
    ['statements', "'); DROP TABLE t "],
    ['escapes', `${ESC}[31m`],
    ['zero-width characters in a word', 'a\u200b'],
    ['bidi overrides', '\u202e'],
    ['block comments', '/*'],
  ])('%s', (_name, unit) => {
    const text = unit.repeat(Math.ceil(20_000 / unit.length)).slice(0, 20_000);
    const started = performance.now();
    const { spans } = screenText(text);
    expect(spans.length).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('showing hostile text', () => {
  it('writes invisible and control characters out, and nothing else', () => {
    expect(showInvisible(`a${ESC}[31m\u200b\u202e\t\u00a0b`)).toBe(
      'a⟨U+001B⟩[31m⟨U+200B⟩⟨U+202E⟩⟨U+0009⟩\u00a0b',
    );
    expect(showInvisible('Москва, 5 тыс. ₽ «Мир»')).toBe('Москва, 5 тыс. ₽ «Мир»');
  });

  it('shows a stretch of text with its hostile spans visible', () => {
    const text = `возраст ${ESC}[31m, доход`;
    const { spans } = screenText(text);
    expect(showWithin(text, spans)).toBe('возраст ⟨U+001B⟩[31m, доход');
    expect(showWithin(text, spans, 0, 7)).toBe('возраст');
  });
});
