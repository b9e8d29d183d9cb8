import { CLAIM_STATUS, codes, INSURANCE_TYPE, POLICY_STATUS, SALES_CHANNEL } from '../codes';
import { c, t, type TableDef } from '../table-def';

const AREA = 'Страхование';

export const insuranceTables: TableDef[] = [
  t(
    'insurance_policy',
    AREA,
    'Страховые полисы, оформленные клиентами через банк (банк — агент страховой компании).',
    [
      c('policy_id', 'bigint', 'Идентификатор полиса'),
      c('client_id', 'bigint', 'Страхователь (ссылка на client)'),
      c('product_code', 'text', 'Страховой продукт (ссылка на ref_product)'),
      c('insurance_type', 'text', codes('Вид страхования', INSURANCE_TYPE)),
      c(
        'loan_id',
        'bigint',
        'Кредит, к которому оформлен полис (ссылка на loan), для страхования заёмщика',
        'null',
      ),
      c('start_date', 'date', 'Начало действия полиса'),
      c('end_date', 'date', 'Окончание действия полиса'),
      c('premium_rub', 'numeric(12,2)', 'Страховая премия за весь срок, руб.'),
      c('sum_insured_rub', 'numeric(16,2)', 'Страховая сумма, руб.'),
      c('policy_status', 'text', codes('Статус полиса', POLICY_STATUS)),
      c('sales_channel', 'text', codes('Канал продажи', SALES_CHANNEL)),
      c('insurer_name', 'text', 'Страховая компания-партнёр'),
      c('is_auto_renewal', 'boolean', 'Полис продлевается автоматически'),
    ],
    { pk: ['policy_id'], fk: { client_id: 'client', product_code: 'ref_product', loan_id: 'loan' } },
  ),
  t(
    'insurance_claim',
    AREA,
    'Страховые случаи (заявления о выплате) по полисам.',
    [
      c('claim_id', 'bigint', 'Идентификатор заявления'),
      c('policy_id', 'bigint', 'Полис (ссылка на insurance_policy)'),
      c('claim_date', 'date', 'Дата заявления'),
      c('amount_claimed_rub', 'numeric(14,2)', 'Заявленная сумма, руб.'),
      c('amount_paid_rub', 'numeric(14,2)', 'Выплаченная сумма, руб.'),
      c('claim_status', 'text', codes('Статус заявления', CLAIM_STATUS)),
    ],
    { pk: ['claim_id'], fk: { policy_id: 'insurance_policy' } },
  ),
];
