// What the bootstrap reads from one comment besides codes: the unit of a number, the role of a date,
// the order of a code list, and the words that name a column.
import type { CatalogColumn } from '@t2s/catalog';
import { catalogColumn, catalogTable } from '@t2s/catalog/testing';
import { commentCodes } from './comment-codes';
import { commentHead, headTerms } from './comment-words';
import { dateRole, tableDates } from './date-roles';
import { codeOrder } from './orders';
import { unitFromComment } from './units';

describe('unitFromComment', () => {
  it.each([
    ['Заявленный среднемесячный доход после налогов, руб.', 'rub'],
    ['Сумма операции в рублях (положительная)', 'rub'],
    ['Average yearly balance, in euros (numeric). Bank client data.', 'eur'],
    ['Процентная ставка, % годовых', 'percent'],
    ["A12: unemployment rate '95.", 'percent'],
    ['Стаж на текущем месте работы, месяцев', 'month'],
    ['Минимальный возраст клиента для оформления, лет', 'year'],
    ['Текущая просрочка, дней (0 — нет просрочки)', 'day'],
    ['Дней просрочки по этому платежу', 'day'],
    ['Last contact duration, in seconds (numeric).', 'second'],
    ['Время ожидания в очереди, минут', 'minute'],
    ['Number of days that passed by after the client was last contacted (numeric)', 'day'],
    ['Количество детей до 18 лет', 'count'],
    ['A4: no. of inhabitants.', 'count'],
    ['Вероятность дефолта на горизонте 12 месяцев', 'share'],
    ['Age (numeric). Bank client data.', 'year'],
  ])('%s -> %s', (comment, unit) => {
    expect(unitFromComment(comment)).toBe(unit);
  });

  it('finds none where the comment names none, and no currency inside another word', () => {
    expect(unitFromComment('Год выпуска')).toBeUndefined();
    expect(unitFromComment('A11: average salary.')).toBeUndefined();
    expect(unitFromComment('Город точки; пусто для интернет-магазинов и зарубежных точек')).toBeUndefined();
  });
});

describe('dateRole and tableDates', () => {
  const date = (comment: string, name = 'd'): CatalogColumn => catalogColumn(name, { type: 'date', comment });

  it.each([
    ['Дата рождения; возраст считается от отчётной даты', 'birth'],
    ['Date of birth of the client, decoded from the birth number', 'birth'],
    ['Отчётная дата: данные актуальны на конец этого дня', 'report'],
    ['Дата открытия счёта', 'start'],
    ['Date when the loan was granted.', 'start'],
    ['Последний день месяца', 'period'],
    ['Дата закрытия; пусто у действующих', 'end'],
    ['Плановая дата погашения', 'planned'],
    ['Дата окончания срока действия', 'planned'],
    ['Дата последней актуализации анкеты', 'updated'],
    ['Время последнего входа в любой цифровой канал', 'last'],
  ])('%s -> %s', (comment, role) => {
    expect(dateRole(date(comment))).toBe(role);
  });

  it('is no role for a column that is not a date', () => {
    expect(dateRole(catalogColumn('amount', { type: 'numeric(14,2)', comment: 'Дата' }))).toBeNull();
  });

  it("dates a table's rows by its first start, and ends them by the end empty while active", () => {
    const loan = catalogTable('loan', {
      columns: [
        catalogColumn('loan_id', { type: 'bigint' }),
        date('Дата выдачи', 'issue_date'),
        date('Плановая дата погашения', 'maturity_date'),
        date('Дата окончания акции', 'promo_end'),
        date('Дата фактического погашения; пусто у действующих', 'close_date'),
      ],
    });
    expect(tableDates(loan)).toEqual({ date: 'issue_date', endDate: 'close_date' });
    expect(tableDates(loan, (c) => c.name !== 'issue_date')).toEqual({ endDate: 'close_date' });
  });
});

describe('codeOrder', () => {
  const order = (comment: string) => codeOrder(comment, commentCodes(comment));

  it('orders codes by the degree words of their meanings, outside codes left out', () => {
    expect(order('Education (categorical: "unknown","secondary","primary","tertiary").')).toEqual([
      'primary',
      'secondary',
      'tertiary',
    ]);
    // A rating graded by risk: the least risk is the highest rating ("B и выше" is B and A).
    expect(
      order(
        'Внутренний кредитный рейтинг. Значения: A — минимальный риск; B — низкий риск; C — средний риск; D — повышенный риск; E — высокий риск.',
      ),
    ).toEqual(['E', 'D', 'C', 'B', 'A']);
    expect(order('Уровень риска. Значения: HIGH — высокий; LOW — низкий; MEDIUM — средний.')).toEqual([
      'LOW',
      'MEDIUM',
      'HIGH',
    ]);
  });

  it('keeps the listed order when the comment names a scale', () => {
    expect(
      order(
        'Категория (класс) карты. Значения: CLASSIC — классическая; GOLD — золотая; PLATINUM — платиновая.',
      ),
    ).toEqual(['CLASSIC', 'GOLD', 'PLATINUM']);
  });

  it('orders card tiers whatever the comment calls them', () => {
    expect(order('Type of card; possible values are "gold", "junior", "classic".')).toEqual([
      'junior',
      'classic',
      'gold',
    ]);
  });

  it('orders nothing else: a type, a pair, examples', () => {
    expect(
      order('Тип карты. Значения: DEBIT — дебетовая; CREDIT — кредитная; VIRTUAL — виртуальная.'),
    ).toBeNull();
    expect(order('Type of card; possible values are "credit", "debit", "virtual".')).toBeNull();
    expect(order('Уровень, например A — первый, B — второй, C — третий')).toBeNull();
  });
});

describe('commentHead and headTerms', () => {
  it('is the phrase a comment names its column by', () => {
    expect(commentHead('[Клиенты] Клиенты банка — физические лица. Одна строка — один клиент')).toBe(
      'Клиенты банка — физические лица',
    );
    expect(commentHead('A4: no. of inhabitants.')).toBe('no. of inhabitants');
    expect(commentHead('Relation loan: each record describes a loan granted for a given account.')).toBe(
      'loan',
    );
    expect(commentHead('Уровень риска фонда от 1 (минимальный) до 5 (максимальный)')).toBe(
      'Уровень риска фонда',
    );
    expect(commentHead('Has credit in default? (binary: "yes","no").')).toBe('Has credit in default');
  });

  it('gives its words in their language, and a long head also up to its qualification', () => {
    expect(headTerms('Количество детей до 18 лет')).toEqual({
      ru: ['количество детей до 18 лет', 'количество детей'],
      en: [],
    });
    expect(headTerms('Marital status')).toEqual({ ru: [], en: ['marital status'] });
  });
});
