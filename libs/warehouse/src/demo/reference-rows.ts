import { CONTACT_CHANNEL, CURRENCY, SCORE_TYPE } from './codes';
import type { CopyWriter } from './copy-writer';
import { addMonths, dayOf, isoDate, isoTimestamp } from './dates';
import {
  CITIES,
  COUNTRIES,
  FUNDS,
  INDUSTRIES,
  MCC_CODES,
  MCC_GROUPS,
  PRODUCTS,
  REGIONS,
  type City,
} from './reference-data';
import { Rng } from './rng';

/** What client generation needs to know about the reference data it just wrote. */
export interface ReferenceIndex {
  branchesByCity: Map<number, number[]>;
  /** Merchant ids per MCC group: domestic (by city, plus online) and foreign. */
  merchants: Map<
    string,
    { mcc: number[]; online: number[]; byCity: Map<number, number[]>; foreign: number[] }
  >;
  campaigns: Array<{ id: number; productCode: string | null; channel: string; start: number; end: number }>;
}

const RATES: Record<keyof typeof CURRENCY, number> = { RUB: 1, USD: 92.5, EUR: 99.8, CNY: 12.7 };
const BRANDS: Record<string, string[]> = {
  GROCERY: ['Пятёрочка', 'Магнит', 'Перекрёсток', 'ВкусВилл', 'Лента', 'Ашан', 'Дикси', 'Азбука вкуса'],
  RESTAURANTS: ['Шоколадница', 'Теремок', 'Якитория', 'Тануки', 'Кофемания', 'Му-Му'],
  FAST_FOOD: ['Вкусно — и точка', 'Ростикс', 'Бургер Кинг', 'Додо Пицца', 'Яндекс Еда'],
  FUEL: ['Лукойл', 'Роснефть', 'Газпромнефть', 'Татнефть', 'Shell'],
  TAXI: ['Яндекс Go', 'Ситимобил', 'Делимобиль', 'BelkaCar'],
  PUBLIC_TRANSPORT: ['Метрополитен', 'Мосгортранс', 'Транспортная карта'],
  AIRLINES: ['Аэрофлот', 'S7 Airlines', 'Победа', 'Уральские авиалинии', 'Turkish Airlines'],
  RAILWAY: ['РЖД', 'Ласточка', 'Аэроэкспресс'],
  HOTELS: ['Островок', 'Азимут', 'Cosmos Hotels', 'Суточно.ру'],
  TRAVEL_AGENCY: ['Coral Travel', 'Anex Tour', 'Пегас Туристик', 'Туту.ру'],
  CLOTHING: ['Спортмастер', 'Gloria Jeans', 'Zarina', 'Lamoda', 'Befree', 'Ralf Ringer'],
  ELECTRONICS: ['М.Видео', 'Эльдорадо', 'DNS', 'Ситилинк', 're:Store'],
  MARKETPLACE: ['Ozon', 'Wildberries', 'Яндекс Маркет', 'AliExpress', 'Мегамаркет'],
  PHARMACY: ['Ригла', 'Аптека 36,6', 'Горздрав', 'Еаптека'],
  HEALTH: ['Инвитро', 'СМ-Клиника', 'Медси', 'Стоматология Дентал'],
  BEAUTY: ['Золотое яблоко', 'Летуаль', 'Рив Гош', 'Салон красоты'],
  SPORT: ['World Class', 'DDX Fitness', 'Спортмастер', 'X-Fit'],
  ENTERTAINMENT: ['Каро', 'Синема Парк', 'Яндекс Афиша', 'Большой театр'],
  KIDS: ['Детский мир', 'Кораблик', 'Hamleys'],
  EDUCATION: ['Skyeng', 'Нетология', 'Яндекс Практикум', 'Университет'],
  HOME: ['Леруа Мерлен', 'OBI', 'Hoff', 'Икеа', 'Петрович'],
  AUTO: ['Автодок', 'Exist', 'FIT SERVICE', 'Мойка'],
  PETS: ['Четыре лапы', 'Бетховен', 'Ветклиника'],
  TELECOM: ['МТС', 'Билайн', 'МегаФон', 'Ростелеком', 'Tele2'],
  UTILITIES: ['Мосэнергосбыт', 'ЕИРЦ', 'Водоканал', 'Газпром межрегионгаз'],
  DIGITAL: ['Яндекс Плюс', 'Кинопоиск', 'Okko', 'VK Музыка', 'Литрес', 'App Store'],
  GAMBLING: ['Фонбет', 'Лига Ставок', 'Столото'],
  CHARITY: ['Фонд «Подари жизнь»', 'Фонд «Вера»', 'Нужна помощь'],
  CASH: ['Банкомат', 'Касса банка'],
};

function cityWeightedBranchCount(city: City): number {
  return Math.max(1, Math.min(40, Math.round(city.populationK / 120)));
}

/** Writes every reference table and returns the lookups client generation uses. */
export function writeReferenceData(
  out: CopyWriter,
  seed: number,
  reportDay: number,
  clients: number,
): ReferenceIndex {
  const rng = new Rng(seed, 0x7ef);
  const capitals = new Set<string>();
  for (const region of REGIONS) {
    const cities = CITIES.filter((city) => city.regionCode === region.code);
    const million = cities.some((city) => city.type === 'MILLION');
    out.push('ref_region', [
      region.code,
      region.name,
      region.district,
      region.utcOffset,
      Math.round(62000 * region.incomeIndex),
      million,
      Math.round(region.weight * 1100),
      Math.round((3 + rng.next() * 5) * 10) / 10,
    ]);
  }
  for (const city of CITIES) {
    const capital = !capitals.has(city.regionCode);
    capitals.add(city.regionCode);
    out.push('ref_city', [city.id, city.regionCode, city.name, city.type, city.populationK, capital]);
  }

  const branchesByCity = new Map<number, number[]>();
  let branchId = 0;
  for (const city of CITIES) {
    const ids: number[] = [];
    for (let i = 0; i < cityWeightedBranchCount(city); i++) {
      branchId++;
      ids.push(branchId);
      const type =
        i === 0
          ? 'FLAGSHIP'
          : rng.weighted([
              ['OFFICE', 70],
              ['KIOSK', 20],
              ['PREMIUM', 10],
            ] as const);
      const opened = dayOf('2004-01-01') + rng.int(0, 7000);
      out.push('ref_branch', [
        branchId,
        city.id,
        `${city.name}, офис №${i + 1}`,
        type,
        isoDate(opened),
        rng.chance(0.04) ? isoDate(Math.min(reportDay, opened + rng.int(300, 6000))) : null,
        type !== 'KIOSK' && rng.chance(0.5),
        `ул. ${rng.pick(['Ленина', 'Мира', 'Советская', 'Гагарина', 'Пушкина', 'Центральная', 'Садовая'])}, д. ${rng.int(1, 120)}`,
        Math.round((43 + rng.next() * 25) * 1e6) / 1e6,
        Math.round((30 + rng.next() * 100) * 1e6) / 1e6,
      ]);
    }
    branchesByCity.set(city.id, ids);
  }

  for (const [code, name] of Object.entries(CURRENCY)) {
    out.push('ref_currency', [code, name, RATES[code as keyof typeof CURRENCY]]);
  }
  for (const [code, name] of COUNTRIES) out.push('ref_country', [code, name]);
  for (const [code, name] of INDUSTRIES) out.push('ref_industry', [code, name]);
  for (const group of MCC_GROUPS) out.push('ref_mcc_group', [group.code, group.name, group.cashbackPct]);
  for (const [mcc, description, group] of MCC_CODES) out.push('ref_mcc', [mcc, description, group]);

  const merchants: ReferenceIndex['merchants'] = new Map();
  let merchantId = 0;
  const bigCities = CITIES.filter((city) => city.populationK >= 100);
  for (const group of MCC_GROUPS) {
    const mccs = MCC_CODES.filter(([, , g]) => g === group.code).map(([mcc]) => mcc);
    const entry = {
      mcc: mccs,
      online: [] as number[],
      byCity: new Map<number, number[]>(),
      foreign: [] as number[],
    };
    merchants.set(group.code, entry);
    const brands = BRANDS[group.code] ?? [group.name];
    const add = (cityId: number | null, country: string, online: boolean): number => {
      merchantId++;
      const brand = rng.pick(brands);
      const city = cityId === null ? undefined : CITIES[cityId - 1];
      out.push('ref_merchant', [
        merchantId,
        online
          ? brand.toUpperCase().replace(/[^A-ZА-ЯЁ0-9]+/g, '*') + '*ONLINE'
          : `${brand} ${city?.name ?? ''}`.trim(),
        rng.pick(mccs),
        cityId,
        country,
        online,
        rng.chance(0.15),
        brand,
      ]);
      return merchantId;
    };
    if (group.onlineShare > 0) for (let i = 0; i < 6; i++) entry.online.push(add(null, 'RUS', true));
    if (group.onlineShare < 1) {
      for (const city of bigCities) {
        const n = city.type === 'MILLION' ? 3 : 1;
        const ids: number[] = [];
        for (let i = 0; i < n; i++) ids.push(add(city.id, 'RUS', false));
        entry.byCity.set(city.id, ids);
      }
    }
    for (const [country] of COUNTRIES.slice(1))
      entry.foreign.push(add(null, country, group.onlineShare >= 1));
  }

  for (const [code, type, name, currency, launch] of PRODUCTS) {
    const [minAge, maxAge] =
      code === 'DC_YOUTH'
        ? [14, 24]
        : code === 'DC_PENSION' || code === 'DEP_PENSION'
          ? [45, 100]
          : code.startsWith('MORT')
            ? [21, 65]
            : code.startsWith('CC') || code.startsWith('CL') || code.startsWith('CAR')
              ? [21, 70]
              : [18, 100];
    const fee = code.includes('PREMIUM')
      ? 30000
      : type === 'CREDIT_CARD'
        ? 990
        : type === 'SUBSCRIPTION'
          ? 3588
          : 0;
    const rate =
      type === 'DEPOSIT' || type === 'SAVINGS'
        ? 14 + rng.int(0, 60) / 10
        : type === 'MORTGAGE'
          ? code === 'MORT_FAMILY'
            ? 6
            : code === 'MORT_IT'
              ? 5
              : 21.5
          : type === 'CONSUMER_LOAN' || type === 'CAR_LOAN'
            ? 24 + rng.int(0, 60) / 10
            : type === 'CREDIT_CARD'
              ? 34.9
              : null;
    out.push('ref_product', [code, type, name, currency, launch, true, minAge, maxAge, fee, rate]);
  }

  const costs: Record<string, number> = { SMS: 2.5, PUSH: 0.05, EMAIL: 0.1, CALL: 45, MESSENGER: 1.2 };
  for (const [code, name] of Object.entries(CONTACT_CHANNEL))
    out.push('ref_channel', [code, name, costs[code] ?? 1]);
  for (const [code, name, assetClass, risk] of FUNDS) out.push('ref_fund', [code, name, assetClass, risk]);
  for (const [type, meaning] of Object.entries(SCORE_TYPE)) {
    out.push('ref_score_model', [
      type,
      `Модель: ${meaning}`,
      `v${rng.int(1, 4)}.${rng.int(0, 9)}`,
      'Выше значение — выше вероятность события',
      isoDate(reportDay - rng.int(1, 10)),
    ]);
  }

  const campaigns: ReferenceIndex['campaigns'] = [];
  const promoted = [
    'CC_CASHBACK',
    'CC_CLASSIC',
    'DEP_MAX',
    'SAV_DAILY',
    'MORT_FAMILY',
    'CL_CASH',
    'INS_TRAVEL',
    'INV_IIS',
    'SUB_PLUS',
    'DC_TRAVEL',
    null,
  ];
  for (let id = 1; id <= 40; id++) {
    const start = addMonths(reportDay, -rng.int(0, 12)) - rng.int(0, 25);
    const end = start + rng.int(7, 45);
    const productCode = rng.pick(promoted);
    const channel = rng.weighted([
      ['PUSH', 40],
      ['SMS', 25],
      ['EMAIL', 20],
      ['CALL', 10],
      ['MESSENGER', 5],
    ] as const);
    const type =
      productCode === null
        ? 'INFORMATION'
        : rng.pick(['ACQUISITION', 'CROSS_SELL', 'ACTIVATION', 'RETENTION'] as const);
    out.push('campaign', [
      id,
      `${productCode ?? 'Новости'} · ${isoDate(start).slice(0, 7)} · ${channel}`,
      type,
      productCode,
      channel,
      isoDate(start),
      isoDate(end),
    ]);
    campaigns.push({ id, productCode, channel, start, end });
  }
  out.push('etl_load_info', [
    1,
    isoDate(reportDay),
    isoTimestamp(reportDay + 1, 3 * 3600),
    'ДЕМО: генератор t2s',
    clients,
  ]);
  return { branchesByCity, merchants, campaigns };
}
