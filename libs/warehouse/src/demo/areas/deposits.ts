import { codes, DEPOSIT_OPERATION, DEPOSIT_STATUS } from '../codes';
import { c, t, type TableDef } from '../table-def';

const AREA = 'Вклады и накопления';

export const depositTables: TableDef[] = [
  t(
    'deposit',
    AREA,
    'Срочные вклады клиентов.',
    [
      c('deposit_id', 'bigint', 'Идентификатор вклада'),
      c('client_id', 'bigint', 'Вкладчик (ссылка на client)'),
      c('account_id', 'bigint', 'Счёт вклада (ссылка на account)'),
      c('product_code', 'text', 'Продукт-вклад (ссылка на ref_product)'),
      c('currency_code', 'char(3)', 'Валюта вклада (ссылка на ref_currency)'),
      c('open_date', 'date', 'Дата открытия'),
      c('term_months', 'smallint', 'Срок вклада, месяцев'),
      c('maturity_date', 'date', 'Дата окончания срока'),
      c('amount_initial', 'numeric(16,2)', 'Первоначальная сумма во валюте вклада'),
      c(
        'amount_current_rub',
        'numeric(16,2)',
        'Текущая сумма вклада в рублях по курсу ЦБ на отчётную дату (0 у закрытых)',
      ),
      c('interest_rate_pct', 'numeric(5,2)', 'Процентная ставка, % годовых'),
      c('is_replenishable', 'boolean', 'Вклад можно пополнять'),
      c('is_capitalized', 'boolean', 'Проценты капитализируются'),
      c('auto_prolongation', 'boolean', 'Вклад автоматически продлевается по окончании срока'),
      c('deposit_status', 'text', codes('Статус вклада', DEPOSIT_STATUS)),
      c('close_date', 'date', 'Дата закрытия; пусто у действующих', 'null'),
    ],
    {
      pk: ['deposit_id'],
      fk: {
        client_id: 'client',
        account_id: 'account',
        product_code: 'ref_product',
        currency_code: 'ref_currency',
      },
    },
  ),
  t(
    'deposit_operation',
    AREA,
    'Операции по вкладам: взносы, пополнения, снятия, проценты, закрытие.',
    [
      c('operation_id', 'bigint', 'Идентификатор операции'),
      c('deposit_id', 'bigint', 'Вклад (ссылка на deposit)'),
      c('operation_date', 'date', 'Дата операции'),
      c('operation_type', 'text', codes('Вид операции', DEPOSIT_OPERATION)),
      c('amount', 'numeric(16,2)', 'Сумма операции в валюте вклада'),
    ],
    { pk: ['operation_id'], fk: { deposit_id: 'deposit' } },
  ),
  t(
    'savings_account',
    AREA,
    'Накопительные счета клиентов (процент на остаток, без срока).',
    [
      c('savings_id', 'bigint', 'Идентификатор накопительного счёта'),
      c('client_id', 'bigint', 'Владелец (ссылка на client)'),
      c('account_id', 'bigint', 'Счёт (ссылка на account)'),
      c('open_date', 'date', 'Дата открытия'),
      c('interest_rate_pct', 'numeric(5,2)', 'Текущая ставка на остаток, % годовых'),
      c('balance_rub', 'numeric(16,2)', 'Остаток на отчётную дату, руб.'),
      c('is_active', 'boolean', 'Счёт открыт'),
    ],
    { pk: ['savings_id'], fk: { client_id: 'client', account_id: 'account' } },
  ),
];
