import { APP_EVENT, codes, DIGITAL_CHANNEL, OS_TYPE, SUBSCRIPTION_STATUS } from '../codes';
import { c, t, type TableDef } from '../table-def';

const AREA = 'Цифровые каналы';

export const digitalTables: TableDef[] = [
  t(
    'digital_profile',
    AREA,
    'Цифровой профиль клиента: подключение мобильного приложения и интернет-банка, последний вход, push-уведомления.',
    [
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('has_mobile_app', 'boolean', 'Клиент зарегистрирован в мобильном приложении'),
      c('mobile_registered_date', 'date', 'Дата регистрации в мобильном приложении', 'null'),
      c('has_web_banking', 'boolean', 'Клиент зарегистрирован в интернет-банке'),
      c('last_login_at', 'timestamp', 'Время последнего входа в любой цифровой канал', 'null'),
      c('last_login_channel', 'text', codes('Канал последнего входа', DIGITAL_CHANNEL), 'null'),
      c('os_type', 'text', codes('Операционная система телефона', OS_TYPE), 'null'),
      c('app_version', 'text', 'Версия мобильного приложения при последнем входе', 'null'),
      c('push_enabled', 'boolean', 'Push-уведомления разрешены на устройстве'),
      c('biometrics_enabled', 'boolean', 'Вход по биометрии (отпечаток, лицо) включён'),
      c('sessions_30d', 'integer', 'Количество сессий в цифровых каналах за последние 30 дней'),
      c('uses_sbp', 'boolean', 'Клиент делал переводы через СБП за последние 90 дней'),
    ],
    { pk: ['client_id'], fk: { client_id: 'client' } },
  ),
  t(
    'digital_session',
    AREA,
    'Сессии клиентов в мобильном приложении и интернет-банке за последние 90 дней.',
    [
      c('session_id', 'bigint', 'Идентификатор сессии'),
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('started_at', 'timestamp', 'Начало сессии'),
      c('channel', 'text', codes('Канал', DIGITAL_CHANNEL)),
      c('duration_sec', 'integer', 'Длительность сессии, секунд'),
      c('screens_viewed', 'smallint', 'Количество просмотренных экранов'),
      c('payments_made', 'smallint', 'Количество платежей и переводов в сессии'),
    ],
    { pk: ['session_id'], fk: { client_id: 'client' }, indexes: [['client_id', 'started_at']] },
  ),
  t(
    'app_event',
    AREA,
    'Интерес клиента к продуктам в приложении: просмотры продуктовых страниц и начатые заявки за последние 90 дней.',
    [
      c('event_id', 'bigint', 'Идентификатор события'),
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('event_at', 'timestamp', 'Время события'),
      c('event_type', 'text', codes('Событие', APP_EVENT)),
      c('product_code', 'text', 'Продукт, к которому относится событие (ссылка на ref_product)', 'null'),
    ],
    { pk: ['event_id'], fk: { client_id: 'client', product_code: 'ref_product' } },
  ),
  t(
    'client_subscription',
    AREA,
    'Платные подписки и пакеты услуг клиентов (повышенный кешбэк, премиальное обслуживание).',
    [
      c('subscription_id', 'bigint', 'Идентификатор подписки'),
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('product_code', 'text', 'Подписка (ссылка на ref_product)'),
      c('start_date', 'date', 'Дата подключения'),
      c('end_date', 'date', 'Дата отключения; пусто у действующих', 'null'),
      c('monthly_fee_rub', 'numeric(10,2)', 'Ежемесячная плата, руб. (0 — бесплатно по условиям)'),
      c('subscription_status', 'text', codes('Статус подписки', SUBSCRIPTION_STATUS)),
    ],
    { pk: ['subscription_id'], fk: { client_id: 'client', product_code: 'ref_product' } },
  ),
];
