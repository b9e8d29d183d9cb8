import { codes, CONTACT_CHANNEL, REQUEST_KIND, REQUEST_STATUS, REQUEST_TOPIC } from '../codes';
import { c, t, type TableDef } from '../table-def';

const AREA = 'Обслуживание';

export const serviceTables: TableDef[] = [
  t(
    'service_request',
    AREA,
    'Обращения клиентов в банк (вопросы, жалобы, заявления) за последние 12 месяцев.',
    [
      c('request_id', 'bigint', 'Идентификатор обращения'),
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('request_date', 'date', 'Дата обращения'),
      c('request_kind', 'text', codes('Вид обращения', REQUEST_KIND)),
      c('topic', 'text', codes('Тема обращения', REQUEST_TOPIC)),
      c(
        'channel',
        'text',
        codes('Канал обращения', { ...CONTACT_CHANNEL, BRANCH: 'офис', CHAT: 'чат в приложении' }),
      ),
      c('request_status', 'text', codes('Статус', REQUEST_STATUS)),
      c(
        'satisfaction_score',
        'smallint',
        'Оценка клиентом качества решения от 1 до 5; пусто, если не оценил',
        'null',
      ),
    ],
    { pk: ['request_id'], fk: { client_id: 'client' } },
  ),
  t(
    'branch_visit',
    AREA,
    'Визиты клиентов в офисы банка (по электронной очереди) за последние 12 месяцев.',
    [
      c('visit_id', 'bigint', 'Идентификатор визита'),
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('branch_id', 'integer', 'Офис (ссылка на ref_branch)'),
      c('visit_date', 'date', 'Дата визита'),
      c('wait_minutes', 'smallint', 'Время ожидания в очереди, минут'),
      c(
        'purpose',
        'text',
        codes('Цель визита', {
          CASH: 'кассовые операции',
          PRODUCT: 'оформление продукта',
          CONSULTATION: 'консультация',
          DOCUMENTS: 'документы и справки',
        }),
      ),
    ],
    { pk: ['visit_id'], fk: { client_id: 'client', branch_id: 'ref_branch' } },
  ),
  t(
    'etl_load_info',
    'Служебные',
    'Сведения о загрузке хранилища: отчётная дата, от которой считаются возраст, стаж и окна «за последние N месяцев».',
    [
      c('load_id', 'integer', 'Идентификатор загрузки'),
      c('report_date', 'date', 'Отчётная дата: данные актуальны на конец этого дня'),
      c('loaded_at', 'timestamp', 'Время окончания загрузки'),
      c('source_system', 'text', 'Система-источник'),
      c('clients_loaded', 'integer', 'Количество загруженных клиентов'),
    ],
    { pk: ['load_id'] },
  ),
];
