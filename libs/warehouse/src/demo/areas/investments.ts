import { BROKERAGE_TYPE, codes, INSTRUMENT_TYPE, RISK_PROFILE, TRADE_SIDE } from '../codes';
import { c, t, type TableDef } from '../table-def';

const AREA = 'Инвестиции';

export const investmentTables: TableDef[] = [
  t(
    'brokerage_account',
    AREA,
    'Брокерские счета и индивидуальные инвестиционные счета (ИИС) клиентов.',
    [
      c('brokerage_id', 'bigint', 'Идентификатор брокерского счёта'),
      c('client_id', 'bigint', 'Инвестор (ссылка на client)'),
      c('account_kind', 'text', codes('Вид счёта', BROKERAGE_TYPE)),
      c(
        'iis_type',
        'char(1)',
        codes('Тип ИИС (только для ИИС)', {
          A: 'вычет на взносы',
          B: 'вычет на доход',
          N: 'ИИС нового типа (с 2024 года)',
        }),
        'null',
      ),
      c('open_date', 'date', 'Дата открытия'),
      c('close_date', 'date', 'Дата закрытия; пусто у открытых', 'null'),
      c('is_qualified_investor', 'boolean', 'Клиент признан квалифицированным инвестором'),
      c('risk_profile', 'text', codes('Инвестиционный профиль по результатам тестирования', RISK_PROFILE)),
      c(
        'tariff_code',
        'text',
        codes('Тариф', { INVESTOR: 'Инвестор', TRADER: 'Трейдер', PREMIUM: 'Премиум' }),
      ),
    ],
    { pk: ['brokerage_id'], fk: { client_id: 'client' } },
  ),
  t(
    'portfolio_monthly',
    AREA,
    'Стоимость инвестиционного портфеля на брокерском счёте на конец месяца за последние 12 месяцев.',
    [
      c('brokerage_id', 'bigint', 'Брокерский счёт (ссылка на brokerage_account)'),
      c('month_end', 'date', 'Последний день месяца'),
      c('portfolio_value_rub', 'numeric(16,2)', 'Стоимость портфеля, руб.'),
      c('shares_pct', 'numeric(5,2)', 'Доля акций, %'),
      c('bonds_pct', 'numeric(5,2)', 'Доля облигаций, %'),
      c('funds_pct', 'numeric(5,2)', 'Доля фондов, %'),
      c('cash_pct', 'numeric(5,2)', 'Доля денежных средств, %'),
      c(
        'net_inflow_rub',
        'numeric(16,2)',
        'Чистое пополнение счёта за месяц (пополнения минус выводы), руб.',
      ),
    ],
    { pk: ['brokerage_id', 'month_end'], fk: { brokerage_id: 'brokerage_account' } },
  ),
  t(
    'investment_trade',
    AREA,
    'Сделки клиентов на брокерских счетах за последние 12 месяцев.',
    [
      c('trade_id', 'bigint', 'Идентификатор сделки'),
      c('brokerage_id', 'bigint', 'Брокерский счёт (ссылка на brokerage_account)'),
      c('trade_date', 'date', 'Дата сделки'),
      c('instrument_type', 'text', codes('Класс инструмента', INSTRUMENT_TYPE)),
      c('ticker', 'text', 'Биржевой тикер инструмента'),
      c('side', 'text', codes('Направление сделки', TRADE_SIDE)),
      c('amount_rub', 'numeric(16,2)', 'Объём сделки, руб.'),
      c('commission_rub', 'numeric(10,2)', 'Комиссия брокера, руб.'),
    ],
    { pk: ['trade_id'], fk: { brokerage_id: 'brokerage_account' } },
  ),
  t(
    'fund_holding',
    AREA,
    'Паи паевых инвестиционных фондов, купленные клиентами через банк.',
    [
      c('holding_id', 'bigint', 'Идентификатор позиции'),
      c('client_id', 'bigint', 'Пайщик (ссылка на client)'),
      c('fund_code', 'text', 'Фонд (ссылка на ref_fund)'),
      c('purchase_date', 'date', 'Дата первой покупки паёв'),
      c('units', 'numeric(14,4)', 'Количество паёв'),
      c('value_rub', 'numeric(16,2)', 'Стоимость паёв на отчётную дату, руб.'),
    ],
    { pk: ['holding_id'], fk: { client_id: 'client', fund_code: 'ref_fund' } },
  ),
];
