// New marketer phrasings (Russian and English) nobody tuned the criteria parser for: ages, people,
// places, money and card spend by category, products held or not, digital behaviour, consent and
// contacts, model scores, tenure, windows, "per month", negation, exclusions, ranges and units. Each
// row is what a careful analyst reads in the phrasing, compared through `meaningOf` as in
// criteria-parser.spec.ts. Rows the parser gets wrong today are in "known gaps" (test.failing): once
// the parser is fixed they fail there and move up to the rows above.
import { CriteriaParser } from './criteria-parser';
import { type ModelFixture } from './testing/meaning';
import { snapshotModel } from './testing/snapshot-model.fixture';
import {
  checkPhrasing,
  attr,
  between,
  days,
  eq,
  gender,
  gt,
  gte,
  lt,
  lte,
  mcc,
  months,
  no,
  region,
  value,
  type Expected,
  type Row,
} from './testing/phrasing-rows';

let bank: ModelFixture;
let parser: CriteriaParser;

beforeAll(() => {
  bank = snapshotModel('bank');
  parser = new CriteriaParser(bank.model);
});

const check = (text: string, expected: Expected) => checkPhrasing(parser, bank, text, expected);
const score = (type: string) => ({ 'client_score.score_type': type });
const consent = (channel: string) => ({ 'marketing_consent.channel_code': channel });
const insurance = (type: string) => ({ 'insurance_policy.insurance_type': type });
const contactBy = (channel: string) => ({ 'campaign_contact.channel_code': channel });

const rows: Row[] = [
  // age
  ['целевая аудитория — люди 27–39 лет', attr('age', between(27, 39))],
  ['до 27 лет включительно', attr('age', lte(27))],
  // people
  ['мужчины младше 30 без детей', [gender('M'), attr('age', lt(30)), no('children_count', { cmp: gt(0) })]],
  ['male customers with three or more kids', [gender('M'), attr('children_count', gte(3))]],
  ['клиенты, работающие по найму', value('client_employment.employment_type', 'EMPLOYEE')],
  ['с учёной степенью', value('client.education_level', 'POSTGRADUATE')],
  ['company executives', value('client_employment.position_level', 'EXECUTIVE')],
  ['заняты в здравоохранении', value('ref_industry.industry_name', 'Здравоохранение')],
  ['do not own a car', no('owns_car')],
  ['нет собственного жилья', no('owns_real_estate')],
  ['non-residents', no('is_resident')],
  ['referred by a friend', value('client.acquisition_channel', 'REFERRAL')],
  // places
  ['живут в Нижнем Новгороде', value('ref_city.city_name', 'Нижний Новгород')],
  ['клиенты из Ростова-на-Дону', value('ref_city.city_name', 'Ростов-на-Дону')],
  ['живут в Казани или Уфе', value('ref_city.city_name', ['Казань', 'Уфа'])],
  ['жители Дальнего Востока', value('ref_region.federal_district', 'ДФО')],
  ['клиенты с юга России', value('ref_region.federal_district', 'ЮФО')],
  ['clients in Siberia', value('ref_region.federal_district', 'СФО')],
  ['живут в малых городах и посёлках', value('ref_city.city_type', 'SMALL')],
  ['living in large cities', value('ref_city.city_type', 'LARGE')],
  ['кроме Дагестана', { ...region('Республика Дагестан'), kind: 'exclude' }],
  [
    'excluding the North Caucasian Federal District',
    value('ref_region.federal_district', 'СКФО', { kind: 'exclude' }),
  ],
  // income
  ['доход 150–250 тыс. ₽', attr('monthly_income', between(150_000, 250_000))],
  ['income between 60k and 90k', attr('monthly_income', between(60_000, 90_000))],
  // card spend
  [
    'траты в супермаркетах — от 40 тыс. руб. ежемесячно',
    attr('avg_monthly_card_spend', gte(40_000), { where: mcc('GROCERY') }),
  ],
  [
    'average monthly spend at gas stations of 8,000 RUB or more',
    attr('avg_monthly_card_spend', gte(8_000), { where: mcc('FUEL') }),
  ],
  [
    'траты на такси и каршеринг свыше 5 тыс. в месяц',
    attr('avg_monthly_card_spend', gt(5_000), { where: mcc('TAXI') }),
  ],
  [
    'monthly spend on food delivery above 7k',
    attr('avg_monthly_card_spend', gt(7_000), { where: mcc('FAST_FOOD') }),
  ],
  ['ежемесячные траты 20–40 тыс.', attr('avg_monthly_card_spend', between(20_000, 40_000))],
  [
    'за последние полгода потратили на отели и авиабилеты больше 100 тыс.',
    attr('card_spend_total', gt(100_000), { window: months(6), where: mcc(['HOTELS', 'AIRLINES']) }),
  ],
  [
    'spent more than 30k on restaurants in the last 3 months',
    attr('card_spend_total', gt(30_000), { window: months(3), where: mcc('RESTAURANTS') }),
  ],
  [
    'за последние 90 дней тратили на электронику больше 50 тыс.',
    attr('card_spend_total', gt(50_000), { window: days(90), where: mcc('ELECTRONICS') }),
  ],
  [
    'made 20 or more card purchases over the past quarter',
    attr('card_purchase_count', gte(20), { window: months(3) }),
  ],
  [
    'spent more than 50k abroad in the last year',
    attr('foreign_card_spend', gt(50_000), { window: months(12) }),
  ],
  [
    'кешбэк за последний квартал не меньше 1 000 рублей',
    attr('cashback_earned', gte(1_000), { window: months(3) }),
  ],
  // balances and deposits
  ['остаток на счетах от 300 до 700 тыс.', attr('total_balance', between(300_000, 700_000))],
  ['balance below 10,000 rubles', attr('total_balance', lt(10_000))],
  ['вклады на сумму до 1,5 млн', attr('deposit_amount', lte(1_500_000))],
  [
    'clients without a dollar deposit',
    no('has_active_deposit', { where: { 'deposit.currency_code': 'USD' } }),
  ],
  // products
  ['нет ни кредитной карты, ни потребкредита', [no('has_credit_card'), no('has_consumer_loan')]],
  ['держатели дебетовых карт без кредитки', [attr('has_debit_card'), no('has_credit_card')]],
  // digital
  [
    'установлено мобильное приложение, пуш-уведомления включены',
    [attr('has_mobile_app'), attr('push_enabled')],
  ],
  ['iOS users with push notifications on', [value('digital_profile.os_type', 'IOS'), attr('push_enabled')]],
  ['не пользовались приложением больше 45 дней', attr('days_since_last_login', gt(45))],
  [
    'пользуются интернет-банком, но не мобильным приложением',
    [attr('has_web_banking'), no('has_mobile_app')],
  ],
  [
    'пользователи Android, у которых не включена биометрия',
    [value('digital_profile.os_type', 'ANDROID'), no('biometrics_enabled')],
  ],
  // consent, stop list, contacts, responses
  [
    'есть согласие на рассылку в мессенджерах',
    attr('has_marketing_consent', undefined, { where: consent('MESSENGER') }),
  ],
  ['consented to email marketing', attr('has_marketing_consent', undefined, { where: consent('EMAIL') })],
  ['no SMS consent', no('has_marketing_consent', { where: consent('SMS') })],
  ['excluding do-not-contact customers', no('on_stop_list')],
  [
    'received no more than 2 SMS in the last 30 days',
    attr('campaign_contacts', lte(2), { window: days(30), where: contactBy('SMS') }),
  ],
  [
    'clicked the link in a campaign message in the last 60 days',
    value('campaign_response.response_type', 'CLICKED', { window: days(60) }),
  ],
  // model scores and credit
  ['риск оттока выше 0,5', attr('propensity_score', gt(0.5), { where: score('CHURN') })],
  ['вероятность оттока от 30 до 50%', attr('propensity_score', between(0.3, 0.5), { where: score('CHURN') })],
  [
    'credit card propensity above 70%',
    attr('propensity_score', gt(0.7), { where: score('PROP_CREDIT_CARD') }),
  ],
  ['DTI above 60%', attr('debt_to_income', gt(60))],
  ['не было отказов по кредитам за полгода', no('loan_rejected', { window: months(6) })],
  // tenure and work
  ['клиенты банка меньше года', attr('client_tenure_years', lt(1))],
  ['tenure of 2 years or less', attr('client_tenure_years', lte(2))],
  ['стаж на текущем месте работы меньше года', attr('work_experience_months', lt(12))],
  // service, claims, transfers
  ['не ходили в отделение за последний год', no('branch_visits', { cmp: gt(0), window: months(12) })],
  [
    'had an insurance claim rejected in the last year',
    attr('insurance_claims', gt(0), {
      window: months(12),
      where: { 'insurance_claim.claim_status': 'REJECTED' },
    }),
  ],
  [
    'sent more than 100k to other banks in the last 3 months',
    attr('transfers_amount', gt(100_000), {
      window: months(3),
      where: { 'account_transfer.is_to_other_bank': true },
    }),
  ],
  // exclusions
  [
    'исключить клиентов, которые жаловались за последние 6 месяцев',
    no('complaints', { cmp: gt(0), window: months(6) }),
  ],
  // whole texts
  [
    'Мужчины 30–45 лет\nАвтовладельцы\nТраты на АЗС от 7 тыс. в месяц\nНет автокредита',
    [
      gender('M'),
      attr('age', between(30, 45)),
      attr('owns_car'),
      attr('avg_monthly_card_spend', gte(7_000), { where: mcc('FUEL') }),
      no('has_car_loan'),
    ],
  ],
  [
    'Women aged 25-40; mobile app users; no credit card',
    [gender('F'), attr('age', between(25, 40)), attr('has_mobile_app'), no('has_credit_card')],
  ],
  ['under the age of 26', attr('age', lt(26))],
  [
    'deposit propensity of 0.5 or higher',
    attr('propensity_score', gte(0.5), { where: score('PROP_DEPOSIT') }),
  ],
  ['rated the service 4 or higher on average', attr('service_satisfaction', gte(4))],
  ['between the ages of 22 and 28', attr('age', between(22, 28))],
  ['клиентки старше 50', [gender('F'), attr('age', gt(50))]],
  ['нерезиденты РФ', no('is_resident')],
  ['uninsured customers', no('has_insurance')],
  ['push notifications turned off', no('push_enabled')],
  ['с нами от 3 до 7 лет', attr('client_tenure_years', between(3, 7))],
  ['at least 3 years at their current job', attr('work_experience_months', gte(36))],
  ['more than 20 transfers in the last month', attr('transfers_count', gt(20), { window: months(1) })],
  [
    'онлайн-покупки более 10 тыс. в месяц',
    attr('avg_monthly_card_spend', gt(10_000), { where: { 'card_transaction.is_online': true } }),
  ],
  [
    'hold a car loan but no KASKO',
    [attr('has_car_loan'), no('has_insurance', { where: insurance('KASKO') })],
  ],
  [
    'customers with a mortgage and no life insurance',
    [attr('has_mortgage'), no('has_insurance', { where: insurance('LIFE') })],
  ],
  ['есть ДМС', attr('has_insurance', undefined, { where: insurance('HEALTH') })],
  ['кроме держателей премиальных карт', no('has_card', { where: { 'card.card_tier': 'PREMIUM' } })],
  ['годовой доход от 1,2 млн', attr('monthly_income', gte(100_000))],
  ['annual income above 2.4 million', attr('monthly_income', gt(200_000))],
  ['customers based in Yekaterinburg', value('ref_city.city_name', 'Екатеринбург')],
  [
    'женщины старше 45 лет, у которых двое и более детей',
    [gender('F'), attr('age', gt(45)), attr('children_count', gte(2))],
  ],
  [
    'not contacted by phone in the last 60 days',
    no('campaign_contacts', { cmp: gt(0), window: days(60), where: contactBy('CALL') }),
  ],
  ['at least one loan at another bank', attr('loans_other_banks', gte(1))],
  ['доля акций в портфеле больше половины', attr('portfolio_shares_share', gt(50))],
  [
    'investors with a moderate risk profile',
    attr('has_brokerage_account', undefined, {
      where: { 'brokerage_account.risk_profile': 'MODERATE' },
    }),
  ],
  [
    'клиенты, которые расплачиваются картой в юанях',
    attr('card_purchase_count', gt(0), { where: { 'card_transaction.original_currency': 'CNY' } }),
  ],
  [
    'clients who pay in yuan',
    attr('card_purchase_count', gt(0), { where: { 'card_transaction.original_currency': 'CNY' } }),
  ],
  ['never had a premium card', no('has_card', { where: { 'card.card_tier': 'PREMIUM' } })],
  [
    'клиенты, у которых никогда не было премиальной карты',
    no('has_card', { where: { 'card.card_tier': 'PREMIUM' } }),
  ],
  // "recently": the semantic model's convention (3 months in the demo bank) when no window is written.
  [
    'clients who have recently had to dispute a card operation or report a card problem',
    {
      table: 'service_request',
      quantifier: 'some',
      window: months(3),
      where: { 'service_request.topic': ['DISPUTE', 'CARD_ISSUE'] },
    },
  ],
  // Brands grouped by origin in the model's labels: one label of several values is all of them.
  [
    'car loans for German cars',
    attr('has_car_loan', undefined, {
      where: { 'car_loan_vehicle.vehicle_brand': ['Mercedes-Benz', 'Volkswagen', 'BMW'] },
    }),
  ],
  [
    'автокредит на японскую машину',
    attr('has_car_loan', undefined, { where: { 'car_loan_vehicle.vehicle_brand': 'Toyota' } }),
  ],
  [
    'women over 35 with a gold card',
    [gender('F'), attr('age', gt(35)), attr('has_card', undefined, { where: { 'card.card_tier': 'GOLD' } })],
  ],
  [
    'отказали в ипотеке за последний год',
    attr('loan_rejected', undefined, {
      window: months(12),
      where: { 'loan_application.loan_type': 'MORTGAGE' },
    }),
  ],
  [
    'applied for a mortgage in the last 3 months',
    attr('loan_applications', gt(0), {
      window: months(3),
      where: { 'loan_application.loan_type': 'MORTGAGE' },
    }),
  ],
  [
    'заявки на автокредит',
    attr('loan_applications', gt(0), { where: { 'loan_application.loan_type': 'CAR' } }),
  ],
  [
    'were declined for a car loan',
    attr('loan_rejected', undefined, { where: { 'loan_application.loan_type': 'CAR' } }),
  ],
  ['семьи с одним ребёнком', attr('children_count', eq(1))],
  ['на Урале', value('ref_region.federal_district', 'УФО')],
  ['клиенты с двумя детьми', attr('children_count', eq(2))],
  ['portfolio worth between 500k and 2M', attr('portfolio_value', between(500_000, 2_000_000))],
  [
    'excluding premium and private banking clients',
    value('client.client_segment', ['PREMIUM', 'PRIVATE'], { kind: 'exclude' }),
  ],
];

const gaps: Row[] = [
  // today: employment_type = EMPLOYEE ("oil", "gas" left unparsed)
  ['employed in oil and gas', value('ref_industry.industry_name', 'Добыча нефти и газа')],
  // today: city Новосибирск and region Омская область, both required at once
  ['Новосибирская и Омская области', region(['Новосибирская область', 'Омская область'])],
  // today: nothing (Latin spelling of a region)
  ['clients from Krasnodar Krai', region('Краснодарский край')],
  // today: salary_inflow >= 120 000 plus has_card (from "на карту")
  ['зарплата на карту от 120 тыс.', attr('salary_inflow', gte(120_000))],
  // today: any active subscription ("оформлена", "плюс" left unparsed)
  [
    'оформлена подписка «Плюс»',
    attr('has_subscription', undefined, { where: { 'client_subscription.product_code': 'SUB_PLUS' } }),
  ],
  // today: no campaign_contact rows by SMS, control-group rows (nothing sent) counted as received
  [
    'не получали SMS последние 2 месяца',
    no('campaign_contacts', { cmp: gt(0), window: months(2), where: contactBy('SMS') }),
  ],
  // today: total_balance < 300 000, plus has_car_loan
  [
    'остаток по автокредиту меньше 300 тыс.',
    attr('loan_debt', lt(300_000), { where: { 'loan.loan_type': 'CAR' } }),
  ],
  // today: any service request in the last 12 months, plus has_mobile_app
  [
    'обращались с проблемой в приложении за последний квартал',
    attr('service_requests', gt(0), {
      window: months(3),
      where: { 'service_request.topic': 'APP_PROBLEM' },
    }),
  ],
  // today: card spend > 0 plus bonds share of the portfolio > 0 in the last 6 months
  [
    'покупали облигации за последние полгода',
    attr('investment_trades', gt(0), {
      window: months(6),
      where: { 'investment_trade.instrument_type': 'BOND', 'investment_trade.side': 'BUY' },
    }),
  ],
];

describe('new phrasings', () => {
  it.each(rows)('%j', check);
});

describe('new phrasings: known gaps', () => {
  it.failing.each<Row>(gaps)('%j', check);
});
