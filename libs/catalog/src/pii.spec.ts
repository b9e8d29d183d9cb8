import { looksLikePii, markPii, type PiiColumnRef } from './pii';

const col = (
  column: string,
  comment: string | null = null,
  table = 'clients',
  type = 'text',
): PiiColumnRef => ({
  schema: 'bank',
  table,
  column,
  type,
  comment,
});

describe('looksLikePii', () => {
  it.each([
    'full_name',
    'first_name',
    'last_name',
    'middle_name',
    'lastname',
    'surname',
    'fio',
    'client_fio',
    'client_name',
    'phone',
    'phone_number',
    'mobile_phone',
    'home_phone2',
    'mobile',
    'msisdn',
    'email',
    'e_mail',
    'contact_email',
    'passport_number',
    'passport_series',
    'inn',
    'client_inn',
    'snils',
    'address',
    'reg_address',
    'home_addr',
    'address_line1',
    'birth_place',
    'place_of_birth',
    'document_number',
    'doc_series',
    'card_number',
    'pan',
    'masked_pan',
    'ip_address',
    'login_ip',
    'codeword',
  ])('flags %s by its name', (name) => {
    expect(looksLikePii(col(name))).toBe(true);
  });

  it.each([
    'name',
    'name_ru',
    'region_name',
    'product_name',
    'merchant_name',
    'branch_name',
    'employer_name',
    'employer_inn',
    'merchant_address',
    'branch_phone',
    'segment_name',
    'phone_type',
    'address_id',
    'address_region',
    'email_status',
    'passport_issue_date',
    'has_email',
    'is_mobile',
    'mobile_app_user',
    'ip_country',
    'birth_date',
    'innovation_score',
    'pantry',
    'client_id',
  ])('does not flag %s', (name) => {
    expect(looksLikePii(col(name))).toBe(false);
  });

  it('does not flag booleans, whatever the name', () => {
    expect(looksLikePii(col('email', null, 'clients', 'boolean'))).toBe(false);
  });

  it('does not flag contact details of organisations and reference tables', () => {
    expect(looksLikePii(col('phone', 'Телефон отделения', 'branches'))).toBe(false);
    expect(looksLikePii(col('address', 'Адрес', 'dim_merchant'))).toBe(false);
    expect(looksLikePii(col('name', 'Имя', 'ref_channels'))).toBe(false);
    expect(looksLikePii(col('phone', null, 'client_offers'))).toBe(true);
  });

  it.each([
    'ФИО клиента',
    'Фамилия',
    'Имя клиента',
    'Отчество',
    'Номер мобильного телефона',
    'Адрес электронной почты',
    'Эл. почта',
    'E-mail для рассылок',
    'Серия и номер паспорта',
    'ИНН физлица',
    'СНИЛС',
    'Адрес регистрации',
    'Номер банковской карты',
    'Место рождения',
    'Содержит персональные данные',
    'ПДн',
    'PII: customer contact',
    'Customer full name',
    'Home address',
    '[Клиенты] Телефон',
  ])('flags a column commented "%s"', (comment) => {
    expect(looksLikePii(col('attr_1', comment))).toBe(true);
  });

  it.each([
    'Наименование региона',
    'Код региона по адресу регистрации',
    'Признак наличия телефона',
    'Дата выдачи паспорта',
    'Тип адреса',
    'Количество телефонов',
    'Number of phones',
    'Телефон поддержки, не является персональными данными',
    'not PII',
    'Внутреннее имяобразование',
    'Сумма операции',
  ])('does not flag a column commented "%s"', (comment) => {
    expect(looksLikePii(col('attr_1', comment))).toBe(false);
  });
});

describe('markPii', () => {
  const annotations = {
    warehouse: 'bank',
    pii: ['clients.segment_code', 'bank.accounts.account_no', 'other.clients.loyalty_id'],
    notPii: ['transactions.doc_number', 'clients.segment_code'],
  };

  it('takes annotations first, short or schema-qualified, pii over notPii', () => {
    expect(markPii(col('segment_code'), annotations)).toEqual({ pii: true, piiSource: 'annotation' });
    expect(markPii(col('account_no', null, 'accounts'), annotations)).toEqual({
      pii: true,
      piiSource: 'annotation',
    });
    expect(markPii(col('loyalty_id'), annotations)).toEqual({ pii: false, piiSource: 'none' });
  });

  it('lets notPii override the fallback', () => {
    expect(markPii(col('doc_number', null, 'transactions'))).toEqual({ pii: true, piiSource: 'name' });
    expect(markPii(col('doc_number', null, 'transactions'), annotations)).toEqual({
      pii: false,
      piiSource: 'annotation',
    });
  });

  it('falls back to names and comments without annotations', () => {
    expect(markPii(col('phone'))).toEqual({ pii: true, piiSource: 'name' });
    expect(markPii(col('x', 'ФИО'))).toEqual({ pii: true, piiSource: 'name' });
    expect(markPii(col('region_name'))).toEqual({ pii: false, piiSource: 'none' });
  });
});
