/**
 * Code values of the demo warehouse with their Russian meanings. Column comments list them (so the
 * catalog and an LLM see what every code means) and the generator draws from the same lists.
 */
export type CodeList = Readonly<Record<string, string>>;

/** "Пол клиента. Значения: M — мужской; F — женский." */
export function codes(label: string, list: CodeList): string {
  const values = Object.entries(list)
    .map(([code, meaning]) => `${code} — ${meaning}`)
    .join('; ');
  return `${label}. Значения: ${values}.`;
}

export const GENDER = { M: 'мужской', F: 'женский' } as const;

export const CLIENT_SEGMENT = {
  MASS: 'массовый',
  AFFLUENT: 'массовый плюс (доход от 150 тыс. руб. в месяц или активы от 1 млн руб.)',
  PREMIUM: 'премиальный (активы от 3 млн руб.)',
  PRIVATE: 'private banking (активы от 30 млн руб.)',
} as const;

export const CLIENT_STATUS = {
  ACTIVE: 'действующий клиент',
  CLOSED: 'отношения прекращены (все продукты закрыты)',
} as const;

export const EDUCATION = {
  SECONDARY: 'среднее',
  VOCATIONAL: 'среднее специальное',
  INCOMPLETE_HIGHER: 'неоконченное высшее',
  HIGHER: 'высшее',
  POSTGRADUATE: 'два высших или учёная степень',
} as const;

export const EMPLOYMENT_TYPE = {
  EMPLOYEE: 'работает по найму',
  SELF_EMPLOYED: 'самозанятый',
  ENTREPRENEUR: 'индивидуальный предприниматель',
  PENSIONER: 'пенсионер',
  STUDENT: 'студент',
  UNEMPLOYED: 'не работает',
} as const;

export const POSITION_LEVEL = {
  WORKER: 'рабочий или специалист',
  SPECIALIST: 'ведущий специалист',
  MANAGER: 'руководитель подразделения',
  EXECUTIVE: 'руководитель организации',
} as const;

export const INCOME_SOURCE = {
  SALARY: 'заработная плата',
  BUSINESS: 'доход от бизнеса',
  PENSION: 'пенсия',
  STIPEND: 'стипендия',
  RENT: 'доход от аренды',
  OTHER: 'прочее',
} as const;

export const ACQUISITION_CHANNEL = {
  BRANCH: 'офис банка',
  ONLINE: 'сайт или мобильное приложение',
  SALARY_PROJECT: 'зарплатный проект работодателя',
  PARTNER: 'партнёр (точка продаж, маркетплейс)',
  REFERRAL: 'рекомендация другого клиента',
} as const;

export const CURRENCY = {
  RUB: 'российский рубль',
  USD: 'доллар США',
  EUR: 'евро',
  CNY: 'китайский юань',
} as const;

export const ACCOUNT_TYPE = {
  CURRENT: 'текущий счёт',
  CARD: 'карточный счёт',
  SAVINGS: 'накопительный счёт',
  DEPOSIT: 'счёт вклада',
  LOAN: 'ссудный счёт',
} as const;

export const ACCOUNT_STATUS = {
  OPEN: 'открыт',
  CLOSED: 'закрыт',
  FROZEN: 'операции приостановлены',
} as const;

export const CARD_TYPE = { DEBIT: 'дебетовая', CREDIT: 'кредитная' } as const;

export const CARD_TIER = {
  CLASSIC: 'классическая',
  GOLD: 'золотая',
  PLATINUM: 'платиновая',
  PREMIUM: 'премиальная (Infinite / World Elite)',
} as const;

export const PAYMENT_SYSTEM = { MIR: 'Мир', VISA: 'Visa', MC: 'Mastercard', UNIONPAY: 'UnionPay' } as const;

export const CARD_STATUS = {
  ACTIVE: 'действует',
  BLOCKED: 'заблокирована',
  EXPIRED: 'истёк срок действия',
  CLOSED: 'закрыта',
} as const;

export const TXN_TYPE = {
  PURCHASE: 'покупка',
  CASH: 'снятие наличных',
  REFUND: 'возврат покупки',
  P2P: 'перевод с карты на карту',
} as const;

export const WALLET_TYPE = {
  MIR_PAY: 'Mir Pay',
  SBERPAY: 'SberPay',
  SAMSUNG_PAY: 'Samsung Pay',
  OTHER: 'другой кошелёк',
} as const;

export const DEPOSIT_STATUS = { ACTIVE: 'действует', CLOSED: 'закрыт (досрочно или в срок)' } as const;

export const DEPOSIT_OPERATION = {
  OPEN: 'первоначальный взнос',
  TOPUP: 'пополнение',
  WITHDRAWAL: 'частичное снятие',
  INTEREST: 'выплата или капитализация процентов',
  CLOSE: 'закрытие и выплата',
} as const;

export const LOAN_TYPE = {
  CONSUMER: 'потребительский кредит',
  MORTGAGE: 'ипотека',
  CAR: 'автокредит',
  CREDIT_CARD: 'кредитная карта (возобновляемая линия)',
  REFINANCE: 'рефинансирование',
} as const;

export const LOAN_STATUS = {
  ACTIVE: 'действует',
  CLOSED: 'погашен',
  OVERDUE: 'есть просрочка',
  RESTRUCTURED: 'реструктурирован',
  WRITTEN_OFF: 'списан',
} as const;

export const LOAN_PURPOSE = {
  GENERAL: 'на любые цели',
  HOME_RENOVATION: 'ремонт',
  EDUCATION: 'образование',
  TRAVEL: 'путешествие',
  MEDICAL: 'лечение',
  PROPERTY: 'покупка недвижимости',
  VEHICLE: 'покупка автомобиля',
  REFINANCING: 'погашение других кредитов',
} as const;

export const PROPERTY_TYPE = {
  FLAT_NEW: 'квартира в новостройке',
  FLAT_SECONDARY: 'квартира на вторичном рынке',
  HOUSE: 'частный дом',
  TOWNHOUSE: 'таунхаус',
} as const;

export const APPLICATION_DECISION = {
  APPROVED: 'одобрена',
  REJECTED: 'отказ банка',
  CANCELLED: 'отозвана клиентом',
  PENDING: 'на рассмотрении',
} as const;

export const REJECT_REASON = {
  LOW_INCOME: 'недостаточный доход',
  BAD_HISTORY: 'негативная кредитная история',
  HIGH_DEBT_LOAD: 'высокая долговая нагрузка (ПДН)',
  FRAUD_SUSPECT: 'подозрение на мошенничество',
  POLICY: 'не соответствует требованиям продукта',
} as const;

export const SALES_CHANNEL = {
  BRANCH: 'офис',
  MOBILE: 'мобильное приложение',
  WEB: 'интернет-банк',
  CALL_CENTER: 'контакт-центр',
  PARTNER: 'партнёр (автосалон, застройщик, магазин)',
} as const;

export const INSURANCE_TYPE = {
  LIFE: 'страхование жизни',
  HEALTH: 'добровольное медицинское страхование',
  PROPERTY: 'страхование имущества',
  TRAVEL: 'страхование путешественников',
  CREDIT_LIFE: 'страхование заёмщика',
  KASKO: 'КАСКО',
  OSAGO: 'ОСАГО',
  CYBER: 'защита карт от мошенничества',
} as const;

export const POLICY_STATUS = {
  ACTIVE: 'действует',
  EXPIRED: 'срок истёк',
  CANCELLED: 'расторгнут',
} as const;

export const CLAIM_STATUS = {
  OPEN: 'рассматривается',
  PAID: 'выплачено',
  REJECTED: 'в выплате отказано',
} as const;

export const BROKERAGE_TYPE = {
  BROKER: 'брокерский счёт',
  IIS: 'индивидуальный инвестиционный счёт',
} as const;

export const RISK_PROFILE = {
  CONSERVATIVE: 'консервативный',
  MODERATE: 'умеренный',
  AGGRESSIVE: 'агрессивный',
} as const;

export const INSTRUMENT_TYPE = {
  SHARE: 'акции',
  BOND: 'облигации',
  FUND: 'паи фондов (БПИФ/ПИФ)',
  CURRENCY: 'валюта',
  GOLD: 'драгоценные металлы',
} as const;

export const TRADE_SIDE = { BUY: 'покупка', SELL: 'продажа' } as const;

export const OS_TYPE = { IOS: 'iOS', ANDROID: 'Android', HARMONY: 'HarmonyOS', WEB: 'браузер' } as const;

export const DIGITAL_CHANNEL = { MOBILE: 'мобильное приложение', WEB: 'интернет-банк' } as const;

export const APP_EVENT = {
  VIEW_CREDIT_CARD: 'просмотр страницы кредитной карты',
  VIEW_DEPOSIT: 'просмотр страницы вкладов',
  VIEW_MORTGAGE: 'просмотр ипотечного калькулятора',
  VIEW_INVEST: 'просмотр раздела инвестиций',
  VIEW_INSURANCE: 'просмотр страхования',
  VIEW_TRAVEL: 'просмотр предложений для путешествий',
  START_APPLICATION: 'начал заполнять заявку',
  USE_CASHBACK_SELECT: 'выбор категорий кешбэка',
} as const;

export const CONTACT_CHANNEL = {
  SMS: 'SMS',
  PUSH: 'push-уведомление в приложении',
  EMAIL: 'электронная почта',
  CALL: 'звонок оператора',
  MESSENGER: 'мессенджер',
} as const;

export const STOP_LIST_REASON = {
  CLIENT_REQUEST: 'клиент просил не беспокоить',
  COMPLAINT: 'жалоба на рекламу',
  FRAUD: 'подозрение на мошенничество',
  DECEASED: 'клиент умер',
  BANKRUPTCY: 'процедура банкротства',
  LEGAL: 'требование регулятора или суда',
} as const;

export const DELIVERY_STATUS = {
  DELIVERED: 'доставлено',
  FAILED: 'не доставлено',
  NO_ANSWER: 'не ответил на звонок',
} as const;

export const RESPONSE_TYPE = {
  OPENED: 'открыл сообщение',
  CLICKED: 'перешёл по ссылке',
  APPLIED: 'подал заявку',
  PURCHASED: 'оформил продукт',
  UNSUBSCRIBED: 'отписался',
} as const;

export const CAMPAIGN_TYPE = {
  ACQUISITION: 'продажа нового продукта',
  CROSS_SELL: 'кросс-продажа',
  RETENTION: 'удержание',
  ACTIVATION: 'активация продукта',
  INFORMATION: 'информирование',
} as const;

export const SCORE_TYPE = {
  CHURN: 'вероятность оттока в ближайшие 3 месяца',
  PD: 'вероятность дефолта в течение 12 месяцев',
  PROP_CREDIT_CARD: 'склонность к оформлению кредитной карты',
  PROP_DEPOSIT: 'склонность к открытию вклада',
  PROP_MORTGAGE: 'склонность к ипотеке',
  PROP_INVEST: 'склонность к инвестициям',
  PROP_INSURANCE: 'склонность к страхованию',
} as const;

export const RISK_GRADE = {
  A: 'минимальный риск',
  B: 'низкий риск',
  C: 'средний риск',
  D: 'повышенный риск',
  E: 'высокий риск',
} as const;

export const KYC_RISK = { LOW: 'низкий', MEDIUM: 'средний', HIGH: 'высокий' } as const;

export const REQUEST_TOPIC = {
  CARD_ISSUE: 'проблема с картой',
  DISPUTE: 'оспаривание операции',
  LOAN_QUESTION: 'вопрос по кредиту',
  TARIFF: 'тарифы и комиссии',
  APP_PROBLEM: 'проблема с приложением',
  SERVICE_QUALITY: 'качество обслуживания',
  CLOSE_PRODUCT: 'закрытие продукта',
} as const;

export const REQUEST_KIND = { QUESTION: 'вопрос', COMPLAINT: 'жалоба', REQUEST: 'заявление' } as const;

export const REQUEST_STATUS = { OPEN: 'в работе', RESOLVED: 'решено', REJECTED: 'отклонено' } as const;

export const BRANCH_TYPE = {
  OFFICE: 'дополнительный офис',
  FLAGSHIP: 'флагманский офис',
  PREMIUM: 'офис премиального обслуживания',
  KIOSK: 'мини-офис в торговом центре',
} as const;

export const CITY_TYPE = {
  MILLION: 'город-миллионник',
  LARGE: 'крупный город (250 тыс. - 1 млн жителей)',
  MEDIUM: 'средний город (50-250 тыс.)',
  SMALL: 'малый город или посёлок',
} as const;

export const PRODUCT_TYPE = {
  DEBIT_CARD: 'дебетовая карта',
  CREDIT_CARD: 'кредитная карта',
  DEPOSIT: 'вклад',
  SAVINGS: 'накопительный счёт',
  CURRENT: 'текущий счёт',
  CONSUMER_LOAN: 'потребительский кредит',
  MORTGAGE: 'ипотека',
  CAR_LOAN: 'автокредит',
  INSURANCE: 'страховой продукт',
  INVEST: 'инвестиционный продукт',
  SUBSCRIPTION: 'подписка (пакет услуг)',
} as const;

export const SUBSCRIPTION_STATUS = {
  ACTIVE: 'действует',
  CANCELLED: 'отменена',
  PAUSED: 'приостановлена',
} as const;
