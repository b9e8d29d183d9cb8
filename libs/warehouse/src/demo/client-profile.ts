import { addMonths, dayOf } from './dates';
import { CITIES, INDUSTRIES, REGIONS, type City, type Region } from './reference-data';
import { Rng } from './rng';

export type Activity = 'active' | 'dormant' | 'churning';

/**
 * The latent picture of one client from which every table's rows follow, so that the tables agree
 * with each other and carry realistic correlations (income with region, age and card tier; age with
 * products and digital habits; activity with spend).
 */
export interface ClientProfile {
  id: number;
  rng: Rng;
  /**
   * A second stream of the client's, for draws added after the main stream's order was set: taking
   * them from `rng` would shift every value drawn after them.
   */
  aux: Rng;
  age: number;
  birthDay: number;
  gender: 'M' | 'F';
  region: Region;
  city: City;
  since: number;
  closedDay: number | null;
  activity: Activity;
  employment: string;
  industry: string | null;
  position: string | null;
  salaryProject: boolean;
  education: string | null;
  /** Monthly net income, RUB. */
  income: number;
  /** Money kept with the bank (balances, deposits, investments), RUB. */
  assets: number;
  segment: 'MASS' | 'AFFLUENT' | 'PREMIUM' | 'PRIVATE';
  digital: boolean;
  children: number;
  ownsCar: boolean;
  ownsHome: boolean;
  /** Latent credit risk in [0, 1]: drives overdue days, bureau score, PD. */
  risk: number;
  traveller: boolean;
  hasPets: boolean;
}

const REGION_WEIGHTS = REGIONS.map((region) => [region, region.weight] as const);
const CITIES_BY_REGION = new Map<string, Array<readonly [City, number]>>();
for (const city of CITIES) {
  const list = CITIES_BY_REGION.get(city.regionCode) ?? [];
  list.push([city, Math.sqrt(city.populationK)]);
  CITIES_BY_REGION.set(city.regionCode, list);
}
const INDUSTRY_WEIGHTS: Array<readonly [string, number]> = INDUSTRIES.map(([code]) => [
  code,
  { TRADE: 18, MANUFACTURING: 12, GOVERNMENT: 8, EDUCATION: 8, HEALTHCARE: 8, IT: 6, OIL_GAS: 3 }[code] ?? 5,
]);

function ageOf(rng: Rng): number {
  // Roughly the adult population of Russia, with the bank's tilt towards working ages.
  const band = rng.weighted([
    [[18, 24], 10],
    [[25, 34], 21],
    [[35, 44], 21],
    [[45, 54], 17],
    [[55, 64], 16],
    [[65, 85], 15],
  ] as const);
  return rng.int(band[0], band[1]);
}

export function makeProfile(seed: number, id: number, reportDay: number): ClientProfile {
  const rng = new Rng(seed, id);
  const age = ageOf(rng);
  const birthDay = addMonths(reportDay, -12 * age) - rng.int(0, 364);
  const gender = rng.chance(0.46) ? 'M' : 'F';
  const region = rng.weighted(REGION_WEIGHTS);
  const city = rng.weighted(CITIES_BY_REGION.get(region.code)!);

  const adultDay = addMonths(birthDay, 12 * 18);
  const earliest = Math.max(adultDay, dayOf('2006-01-01'));
  // More clients joined recently: square the uniform to skew towards the report date.
  const since = reportDay - 30 - Math.floor((1 - rng.next() ** 0.6) * Math.max(0, reportDay - 30 - earliest));
  const closed = rng.chance(0.05) && reportDay - since > 400;
  const closedDay = closed ? reportDay - rng.int(20, Math.min(1100, reportDay - since - 200)) : null;

  const retirementAge = gender === 'M' ? 63 : 58;
  let employment: string;
  if (age < 23)
    employment = rng.weighted([
      ['STUDENT', 55],
      ['EMPLOYEE', 38],
      ['UNEMPLOYED', 7],
    ] as const);
  else if (age >= retirementAge)
    employment = rng.weighted([
      ['PENSIONER', 72],
      ['EMPLOYEE', 24],
      ['ENTREPRENEUR', 4],
    ] as const);
  else
    employment = rng.weighted([
      ['EMPLOYEE', 76],
      ['SELF_EMPLOYED', 7],
      ['ENTREPRENEUR', 6],
      ['UNEMPLOYED', 5],
      ['STUDENT', age < 27 ? 6 : 0],
    ] as const);
  const working =
    employment === 'EMPLOYEE' || employment === 'ENTREPRENEUR' || employment === 'SELF_EMPLOYED';
  const industry = working ? rng.weighted(INDUSTRY_WEIGHTS) : null;
  const education = rng.chance(0.12)
    ? null
    : age < 22
      ? rng.weighted([
          ['SECONDARY', 40],
          ['INCOMPLETE_HIGHER', 50],
          ['VOCATIONAL', 10],
        ] as const)
      : rng.weighted([
          ['SECONDARY', 14],
          ['VOCATIONAL', 30],
          ['INCOMPLETE_HIGHER', 6],
          ['HIGHER', 44],
          ['POSTGRADUATE', 6],
        ] as const);
  const position =
    employment === 'EMPLOYEE'
      ? rng.weighted([
          ['WORKER', 55],
          ['SPECIALIST', 28],
          ['MANAGER', 13],
          ['EXECUTIVE', 4],
        ] as const)
      : null;
  const salaryProject = employment === 'EMPLOYEE' && rng.chance(0.38);

  const ageFactor = age < 25 ? 0.6 : age < 35 ? 0.95 : age < 50 ? 1.1 : age < 60 ? 0.95 : 0.75;
  const roleFactor: Record<string, number> = {
    EMPLOYEE: 1,
    SELF_EMPLOYED: 0.9,
    ENTREPRENEUR: 1.6,
    PENSIONER: 0.42,
    STUDENT: 0.3,
    UNEMPLOYED: 0.2,
  };
  const eduFactor = education === 'HIGHER' || education === 'POSTGRADUATE' ? 1.3 : 1;
  const posFactor =
    position === 'EXECUTIVE' ? 2.8 : position === 'MANAGER' ? 1.7 : position === 'SPECIALIST' ? 1.2 : 1;
  const industryFactor = industry === 'IT' || industry === 'OIL_GAS' || industry === 'FINANCE' ? 1.45 : 1;
  const income = Math.round(
    Math.max(
      12000,
      rng.lognormal(52000, 0.55) *
        region.incomeIndex *
        ageFactor *
        roleFactor[employment]! *
        eduFactor *
        posFactor *
        industryFactor,
    ),
  );
  const assets = Math.round(income * rng.lognormal(age > 50 ? 10 : 3, 1.3));
  const segment =
    assets > 30_000_000
      ? 'PRIVATE'
      : assets > 3_000_000 || income > 450_000
        ? 'PREMIUM'
        : assets > 1_000_000 || income > 150_000
          ? 'AFFLUENT'
          : 'MASS';

  const digitalChance = age < 35 ? 0.93 : age < 50 ? 0.85 : age < 65 ? 0.62 : 0.3;
  const activity = closed
    ? 'dormant'
    : rng.weighted([
        ['active', 74],
        ['dormant', 14],
        ['churning', 12],
      ] as const);
  const children = age >= 22 && age <= 50 ? Math.min(5, rng.poisson(age < 30 ? 0.6 : 1.2)) : 0;

  return {
    id,
    rng,
    aux: new Rng(seed ^ 0x5bd1e995, id),
    age,
    birthDay,
    gender,
    region,
    city,
    since,
    closedDay,
    activity,
    employment,
    industry,
    position,
    salaryProject,
    education,
    income,
    assets,
    segment,
    digital: rng.chance(digitalChance),
    children,
    ownsCar: rng.chance(Math.min(0.85, 0.25 + income / 300000 + (gender === 'M' ? 0.1 : 0))),
    ownsHome: rng.chance(Math.min(0.9, 0.3 + age / 120 + income / 800000)),
    risk: Math.min(
      1,
      Math.max(0, rng.normal(0.25, 0.15) + (income < 30000 ? 0.1 : 0) - (age > 45 ? 0.05 : 0)),
    ),
    traveller: rng.chance(Math.min(0.8, 0.08 + income / 400000)),
    hasPets: rng.chance(0.3),
  };
}
