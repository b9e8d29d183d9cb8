import { ACCOUNT_STATUS, ACCOUNT_TYPE, codes } from '../codes';
import { c, t, type TableDef } from '../table-def';

const AREA = 'Счета';

export const accountTables: TableDef[] = [
  t(
    'account',
    AREA,
    'Банковские счета клиентов: текущие, карточные, накопительные, счета вкладов и ссудные счета.',
    [
      c('account_id', 'bigint', 'Идентификатор счёта'),
      c('client_id', 'bigint', 'Владелец счёта (ссылка на client)'),
      c(
        'account_number',
        'char(20)',
        'Номер счёта (20 цифр, балансовый счёт второго порядка в первых 5 цифрах)',
      ),
      c('account_type', 'text', codes('Тип счёта', ACCOUNT_TYPE)),
      c('product_code', 'text', 'Продукт, по которому открыт счёт (ссылка на ref_product)'),
      c('currency_code', 'char(3)', 'Валюта счёта (ссылка на ref_currency)'),
      c('branch_id', 'integer', 'Офис, открывший счёт (ссылка на ref_branch)'),
      c('open_date', 'date', 'Дата открытия счёта'),
      c('close_date', 'date', 'Дата закрытия счёта; пусто у открытых', 'null'),
      c('account_status', 'text', codes('Статус счёта', ACCOUNT_STATUS)),
    ],
    {
      pk: ['account_id'],
      fk: {
        client_id: 'client',
        product_code: 'ref_product',
        currency_code: 'ref_currency',
        branch_id: 'ref_branch',
      },
    },
  ),
  t(
    'account_balance_monthly',
    AREA,
    'Остатки и обороты по счетам на конец каждого месяца за последние 12 месяцев (в рублях по курсу ЦБ на конец месяца).',
    [
      c('account_id', 'bigint', 'Счёт (ссылка на account)'),
      c('month_end', 'date', 'Последний день месяца'),
      c(
        'balance_end_rub',
        'numeric(16,2)',
        'Остаток на конец месяца, руб. (для ссудных счетов — задолженность со знаком минус)',
      ),
      c('balance_avg_rub', 'numeric(16,2)', 'Среднедневной остаток за месяц, руб.'),
      c('debit_turnover_rub', 'numeric(16,2)', 'Расходные операции (списания) за месяц, руб.'),
      c('credit_turnover_rub', 'numeric(16,2)', 'Приходные операции (зачисления) за месяц, руб.'),
    ],
    { pk: ['account_id', 'month_end'], fk: { account_id: 'account' } },
  ),
  t(
    'salary_payment',
    AREA,
    'Зачисления заработной платы и пенсий на счета клиентов (по зарплатным проектам и от Социального фонда).',
    [
      c('payment_id', 'bigint', 'Идентификатор зачисления'),
      c('client_id', 'bigint', 'Получатель (ссылка на client)'),
      c('account_id', 'bigint', 'Счёт зачисления (ссылка на account)'),
      c('payment_date', 'date', 'Дата зачисления'),
      c('amount_rub', 'numeric(14,2)', 'Сумма зачисления, руб.'),
      c(
        'payment_kind',
        'text',
        codes('Вид выплаты', {
          SALARY: 'заработная плата',
          ADVANCE: 'аванс',
          PENSION: 'пенсия',
          BONUS: 'премия',
        }),
      ),
      c('payer_inn', 'char(10)', 'ИНН плательщика (работодателя или Социального фонда)'),
    ],
    { pk: ['payment_id'], fk: { client_id: 'client', account_id: 'account' } },
  ),
  t(
    'account_transfer',
    AREA,
    'Переводы клиентов со счетов: по номеру телефона через СБП, по реквизитам, между своими счетами; за последние 6 месяцев.',
    [
      c('transfer_id', 'bigint', 'Идентификатор перевода'),
      c('client_id', 'bigint', 'Отправитель (ссылка на client)'),
      c('account_id', 'bigint', 'Счёт списания (ссылка на account)'),
      c('transfer_date', 'date', 'Дата перевода'),
      c('amount_rub', 'numeric(14,2)', 'Сумма перевода, руб.'),
      c(
        'transfer_type',
        'text',
        codes('Вид перевода', {
          SBP: 'через Систему быстрых платежей',
          INTERNAL: 'между своими счетами',
          REQUISITES: 'по реквизитам в другой банк',
          ABROAD: 'за рубеж',
        }),
      ),
      c('is_to_other_bank', 'boolean', 'Получатель в другом банке'),
    ],
    { pk: ['transfer_id'], fk: { client_id: 'client', account_id: 'account' } },
  ),
];
