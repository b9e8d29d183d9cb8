import { CLIENT_SEGMENT, codes } from '../codes';
import { c, t, type TableDef } from '../table-def';

const AREA = 'Аналитические витрины';

export const analyticsTables: TableDef[] = [
  t(
    'client_monthly_profile',
    AREA,
    'Витрина клиента по месяцам за последние 3 месяца: траты по картам по категориям, поступления, остатки, активность. Рассчитывается из детальных таблиц.',
    [
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('month_end', 'date', 'Последний день месяца'),
      c(
        'card_spend_rub',
        'numeric(14,2)',
        'Покупки по всем картам за месяц (без снятия наличных, переводов и возвратов), руб.',
      ),
      c('card_txn_count', 'integer', 'Количество покупок по картам за месяц'),
      c('online_spend_rub', 'numeric(14,2)', 'Покупки в интернете за месяц, руб.'),
      c('grocery_spend_rub', 'numeric(14,2)', 'Траты в супермаркетах (группа GROCERY), руб.'),
      c(
        'restaurant_spend_rub',
        'numeric(14,2)',
        'Траты в ресторанах, кафе и на доставку еды (группы RESTAURANTS, FAST_FOOD), руб.',
      ),
      c('fuel_spend_rub', 'numeric(14,2)', 'Траты на АЗС (группа FUEL), руб.'),
      c(
        'travel_spend_rub',
        'numeric(14,2)',
        'Траты на путешествия (группы AIRLINES, RAILWAY, HOTELS, TRAVEL_AGENCY), руб.',
      ),
      c('foreign_spend_rub', 'numeric(14,2)', 'Покупки за рубежом, руб.'),
      c('cash_withdrawal_rub', 'numeric(14,2)', 'Снятие наличных, руб.'),
      c('cashback_rub', 'numeric(12,2)', 'Начисленный кешбэк, руб.'),
      c('salary_inflow_rub', 'numeric(14,2)', 'Зачисления зарплаты и пенсии (salary_payment), руб.'),
      c(
        'total_balance_rub',
        'numeric(16,2)',
        'Остатки на текущих, карточных и накопительных счетах и вкладах на конец месяца, руб.',
      ),
      c('loan_debt_rub', 'numeric(16,2)', 'Задолженность по кредитам на конец месяца, руб.'),
      c('digital_sessions', 'integer', 'Сессии в приложении и интернет-банке за месяц'),
      c('active_products_count', 'smallint', 'Количество действующих продуктов на конец месяца'),
      c('client_segment', 'text', codes('Сегмент на конец месяца', CLIENT_SEGMENT)),
    ],
    { pk: ['client_id', 'month_end'], fk: { client_id: 'client' } },
  ),
  t(
    'client_product_summary',
    AREA,
    'Продуктовый профиль клиента на отчётную дату: сколько каких продуктов открыто сейчас и когда был первый и последний.',
    [
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('debit_cards_active', 'smallint', 'Действующих дебетовых карт'),
      c('credit_cards_active', 'smallint', 'Действующих кредитных карт'),
      c('deposits_active', 'smallint', 'Действующих вкладов'),
      c('savings_accounts_active', 'smallint', 'Открытых накопительных счетов'),
      c('loans_active', 'smallint', 'Действующих кредитов (кроме кредитных карт)'),
      c('mortgages_active', 'smallint', 'Действующих ипотечных кредитов'),
      c('insurance_policies_active', 'smallint', 'Действующих страховых полисов'),
      c('has_brokerage', 'boolean', 'Есть открытый брокерский счёт или ИИС'),
      c('first_product_date', 'date', 'Дата открытия первого продукта'),
      c('last_product_date', 'date', 'Дата открытия последнего продукта'),
      c('products_total', 'smallint', 'Всего действующих продуктов'),
    ],
    { pk: ['client_id'], fk: { client_id: 'client' } },
  ),
];
