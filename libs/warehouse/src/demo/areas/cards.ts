import { CARD_STATUS, CARD_TIER, CARD_TYPE, codes, PAYMENT_SYSTEM, TXN_TYPE, WALLET_TYPE } from '../codes';
import { c, t, type TableDef } from '../table-def';

const AREA = 'Карты';

export const cardTables: TableDef[] = [
  t(
    'card',
    AREA,
    'Банковские карты клиентов: дебетовые и кредитные.',
    [
      c('card_id', 'bigint', 'Идентификатор карты'),
      c('client_id', 'bigint', 'Держатель карты (ссылка на client)'),
      c('account_id', 'bigint', 'Карточный счёт (ссылка на account)'),
      c('product_code', 'text', 'Карточный продукт (ссылка на ref_product)'),
      c('card_type', 'text', codes('Тип карты', CARD_TYPE)),
      c('card_tier', 'text', codes('Категория (класс) карты', CARD_TIER)),
      c('payment_system', 'text', codes('Платёжная система', PAYMENT_SYSTEM)),
      c('pan_masked', 'char(16)', 'Номер карты в маскированном виде (первые 6 и последние 4 цифры)'),
      c('issue_date', 'date', 'Дата выпуска'),
      c('expiry_date', 'date', 'Дата окончания срока действия'),
      c('card_status', 'text', codes('Статус карты', CARD_STATUS)),
      c('is_virtual', 'boolean', 'Виртуальная карта (без пластика)'),
      c('is_salary_card', 'boolean', 'Карта зарплатного проекта'),
      c('credit_limit_rub', 'numeric(14,2)', 'Кредитный лимит, руб. (только для кредитных карт)', 'null'),
      c('grace_period_days', 'smallint', 'Беспроцентный период, дней (только для кредитных карт)', 'null'),
      c(
        'cashback_category',
        'text',
        'Выбранная клиентом категория повышенного кешбэка на текущий месяц (ссылка на ref_mcc_group)',
        'null',
      ),
      c('daily_limit_rub', 'numeric(12,2)', 'Суточный лимит расходных операций, руб.'),
    ],
    {
      pk: ['card_id'],
      fk: {
        client_id: 'client',
        account_id: 'account',
        product_code: 'ref_product',
        cashback_category: ['ref_mcc_group', 'mcc_group_code'],
      },
    },
  ),
  t(
    'card_transaction',
    AREA,
    'Операции по картам за последние 12 месяцев: покупки, снятие наличных, возвраты, переводы. Суммы в рублях.',
    [
      c('txn_id', 'bigint', 'Идентификатор операции'),
      c('card_id', 'bigint', 'Карта (ссылка на card)'),
      c('client_id', 'bigint', 'Держатель карты (ссылка на client)'),
      c('txn_date', 'date', 'Дата операции'),
      c('txn_time', 'time', 'Местное время операции'),
      c('txn_type', 'text', codes('Вид операции', TXN_TYPE)),
      c(
        'amount_rub',
        'numeric(14,2)',
        'Сумма операции в рублях (положительная; возвраты — тоже положительные с txn_type = REFUND)',
      ),
      c(
        'original_currency',
        'char(3)',
        'Валюта операции (ссылка на ref_currency); не RUB для покупок за рубежом',
      ),
      c(
        'mcc_code',
        'smallint',
        'MCC-код торговой точки (ссылка на ref_mcc); категория покупки — через ref_mcc.mcc_group_code',
      ),
      c(
        'merchant_id',
        'integer',
        'Торговая точка (ссылка на ref_merchant); пусто для снятия наличных и переводов',
        'null',
      ),
      c('country_code', 'char(3)', 'Страна операции (ссылка на ref_country)'),
      c('is_online', 'boolean', 'Операция в интернете (без физического присутствия карты)'),
      c('is_contactless', 'boolean', 'Бесконтактная оплата (картой или телефоном)'),
      c('cashback_rub', 'numeric(10,2)', 'Начисленный кешбэк, руб.'),
    ],
    {
      pk: ['txn_id'],
      fk: {
        card_id: 'card',
        client_id: 'client',
        original_currency: ['ref_currency', 'currency_code'],
        mcc_code: 'ref_mcc',
        merchant_id: 'ref_merchant',
        country_code: 'ref_country',
      },
      indexes: [['client_id', 'txn_date']],
    },
  ),
  t(
    'card_limit_history',
    AREA,
    'История изменения кредитных лимитов по кредитным картам.',
    [
      c('change_id', 'bigint', 'Идентификатор изменения'),
      c('card_id', 'bigint', 'Кредитная карта (ссылка на card)'),
      c('change_date', 'date', 'Дата изменения лимита'),
      c('old_limit_rub', 'numeric(14,2)', 'Лимит до изменения, руб.'),
      c('new_limit_rub', 'numeric(14,2)', 'Лимит после изменения, руб.'),
      c(
        'change_reason',
        'text',
        codes('Причина изменения', {
          RISK_INCREASE: 'повышение по решению риск-модели',
          RISK_DECREASE: 'снижение по решению риск-модели',
          CLIENT_REQUEST: 'по заявлению клиента',
        }),
      ),
    ],
    { pk: ['change_id'], fk: { card_id: 'card' } },
  ),
  t(
    'card_wallet_token',
    AREA,
    'Карты, добавленные в платёжные кошельки телефона (оплата телефоном).',
    [
      c('token_id', 'bigint', 'Идентификатор токена'),
      c('card_id', 'bigint', 'Карта (ссылка на card)'),
      c('wallet_type', 'text', codes('Платёжный кошелёк', WALLET_TYPE)),
      c('created_date', 'date', 'Дата добавления карты в кошелёк'),
      c('is_active', 'boolean', 'Токен действует'),
    ],
    { pk: ['token_id'], fk: { card_id: 'card' } },
  ),
  t(
    'card_cashback_monthly',
    AREA,
    'Кешбэк, начисленный клиенту за месяц, по категориям покупок.',
    [
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('month_end', 'date', 'Последний день месяца'),
      c('mcc_group_code', 'text', 'Категория покупок (ссылка на ref_mcc_group)'),
      c('cashback_rub', 'numeric(12,2)', 'Кешбэк за месяц по категории, руб.'),
      c('spend_rub', 'numeric(14,2)', 'Траты за месяц по категории, руб.'),
    ],
    {
      pk: ['client_id', 'month_end', 'mcc_group_code'],
      fk: { client_id: 'client', mcc_group_code: 'ref_mcc_group' },
    },
  ),
];
