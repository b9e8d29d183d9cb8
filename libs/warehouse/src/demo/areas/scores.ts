import { codes, KYC_RISK, RISK_GRADE, SCORE_TYPE } from '../codes';
import { c, t, type TableDef } from '../table-def';

const AREA = 'Скоринг';

export const scoreTables: TableDef[] = [
  t(
    'client_score',
    AREA,
    'Оценки моделей по клиентам на последнюю дату расчёта: отток, вероятность дефолта, склонность к продуктам.',
    [
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('score_type', 'text', codes('Тип оценки (ссылка на ref_score_model)', SCORE_TYPE)),
      c('score_date', 'date', 'Дата расчёта'),
      c('score_value', 'numeric(5,4)', 'Оценка от 0 до 1 (вероятность)'),
      c(
        'score_decile',
        'smallint',
        'Дециль оценки среди всех клиентов: 1 — 10% клиентов с наименьшей оценкой, 10 — с наибольшей',
      ),
    ],
    { pk: ['client_id', 'score_type'], fk: { client_id: 'client', score_type: 'ref_score_model' } },
  ),
  t(
    'client_risk_profile',
    AREA,
    'Риск-профиль клиента: внутренний рейтинг, уровень риска по ПОД/ФТ, признаки мошенничества и банкротства.',
    [
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('internal_rating', 'char(1)', codes('Внутренний кредитный рейтинг', RISK_GRADE)),
      c('pd_12m', 'numeric(5,4)', 'Вероятность дефолта на горизонте 12 месяцев'),
      c('kyc_risk_level', 'text', codes('Уровень риска по ПОД/ФТ (115-ФЗ)', KYC_RISK)),
      c('is_fraud_suspect', 'boolean', 'Есть подозрение на мошенничество (операции под контролем)'),
      c('is_bankrupt', 'boolean', 'В отношении клиента введена процедура банкротства'),
      c('updated_date', 'date', 'Дата актуализации'),
    ],
    { pk: ['client_id'], fk: { client_id: 'client' } },
  ),
];
