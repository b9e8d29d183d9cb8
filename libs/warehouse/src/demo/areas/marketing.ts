import {
  CAMPAIGN_TYPE,
  codes,
  CONTACT_CHANNEL,
  DELIVERY_STATUS,
  RESPONSE_TYPE,
  STOP_LIST_REASON,
} from '../codes';
import { c, t, type TableDef } from '../table-def';

const AREA = 'Маркетинг';

export const marketingTables: TableDef[] = [
  t(
    'marketing_consent',
    AREA,
    'Согласия клиентов на рекламные коммуникации по каналам (по 38-ФЗ «О рекламе»). Нет строки — нет согласия.',
    [
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('channel_code', 'text', codes('Канал коммуникации (ссылка на ref_channel)', CONTACT_CHANNEL)),
      c('is_granted', 'boolean', 'Согласие действует (false — отозвано)'),
      c('granted_date', 'date', 'Дата получения согласия'),
      c('revoked_date', 'date', 'Дата отзыва согласия', 'null'),
    ],
    { pk: ['client_id', 'channel_code'], fk: { client_id: 'client', channel_code: 'ref_channel' } },
  ),
  t(
    'stop_list',
    AREA,
    'Стоп-листы: клиенты, которым нельзя направлять рекламу (во всех или отдельных каналах).',
    [
      c('stop_id', 'bigint', 'Идентификатор записи'),
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('reason_code', 'text', codes('Причина', STOP_LIST_REASON)),
      c(
        'channel_code',
        'text',
        'Канал запрета (ссылка на ref_channel); пусто — запрет во всех каналах',
        'null',
      ),
      c('added_date', 'date', 'Дата включения в стоп-лист'),
      c('expires_date', 'date', 'Дата окончания запрета; пусто — бессрочно', 'null'),
    ],
    { pk: ['stop_id'], fk: { client_id: 'client', channel_code: 'ref_channel' } },
  ),
  t(
    'campaign',
    AREA,
    'Маркетинговые кампании банка.',
    [
      c('campaign_id', 'integer', 'Идентификатор кампании'),
      c('campaign_name', 'text', 'Название кампании'),
      c('campaign_type', 'text', codes('Тип кампании', CAMPAIGN_TYPE)),
      c('product_code', 'text', 'Продвигаемый продукт (ссылка на ref_product)', 'null'),
      c('channel_code', 'text', 'Основной канал (ссылка на ref_channel)'),
      c('start_date', 'date', 'Начало кампании'),
      c('end_date', 'date', 'Окончание кампании'),
    ],
    { pk: ['campaign_id'], fk: { product_code: 'ref_product', channel_code: 'ref_channel' } },
  ),
  t(
    'campaign_contact',
    AREA,
    'Коммуникации с клиентами в рамках кампаний (кому, когда, каким каналом, доставлено ли).',
    [
      c('contact_id', 'bigint', 'Идентификатор коммуникации'),
      c('campaign_id', 'integer', 'Кампания (ссылка на campaign)'),
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('channel_code', 'text', 'Канал (ссылка на ref_channel)'),
      c('contact_date', 'date', 'Дата коммуникации'),
      c('delivery_status', 'text', codes('Статус доставки', DELIVERY_STATUS)),
      c('is_control_group', 'boolean', 'Клиент в контрольной группе (сообщение не отправлялось)'),
    ],
    {
      pk: ['contact_id'],
      fk: { campaign_id: 'campaign', client_id: 'client', channel_code: 'ref_channel' },
      indexes: [['client_id', 'contact_date']],
    },
  ),
  t(
    'campaign_response',
    AREA,
    'Отклики клиентов на коммуникации: открытия, переходы, заявки, покупки, отписки.',
    [
      c('response_id', 'bigint', 'Идентификатор отклика'),
      c('contact_id', 'bigint', 'Коммуникация (ссылка на campaign_contact)'),
      c('client_id', 'bigint', 'Клиент (ссылка на client)'),
      c('response_date', 'date', 'Дата отклика'),
      c('response_type', 'text', codes('Тип отклика', RESPONSE_TYPE)),
    ],
    { pk: ['response_id'], fk: { contact_id: 'campaign_contact', client_id: 'client' } },
  ),
];
