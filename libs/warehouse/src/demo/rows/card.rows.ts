import type { ClientProfile } from '../client-profile';
import { addMonths, isoDate, timeOfDay } from '../dates';
import { COUNTRIES, MCC_GROUPS, type MccGroup } from '../reference-data';
import type { Rng } from '../rng';
import type { AccountBook } from './account.rows';
import { MONTHS, money, productDay, purchaseDay, type RowContext } from './row-context';

const FOREIGN = COUNTRIES.slice(1).map(([code]) => code);
const CURRENCY_BY_COUNTRY: Record<string, string> = {
  TUR: 'USD',
  ARE: 'USD',
  CHN: 'CNY',
  THA: 'USD',
  EGY: 'USD',
  VNM: 'USD',
};
const CASHBACK_PRODUCTS = new Set([
  'DC_CASHBACK',
  'CC_CASHBACK',
  'DC_TRAVEL',
  'CC_TRAVEL',
  'DC_PREMIUM',
  'CC_PREMIUM',
]);
const TRAVEL_GROUPS = new Set(['AIRLINES', 'RAILWAY', 'HOTELS', 'TRAVEL_AGENCY']);

export interface Card {
  id: number;
  accountId: number;
  credit: boolean;
  product: string;
  issue: number;
  /** When the card stopped being usable (closed or expired); null while ACTIVE or BLOCKED. */
  closed: number | null;
  status: 'ACTIVE' | 'BLOCKED' | 'CLOSED' | 'EXPIRED';
  /** Credit limit, RUB (credit cards only). */
  limit: number | null;
  /** Relative share of the client's purchases paid with this card. */
  share: number;
}

/** One month of a client's card spending, for the monthly profile and cashback marts. */
export interface MonthTotals {
  spend: number;
  count: number;
  online: number;
  grocery: number;
  restaurants: number;
  fuel: number;
  travel: number;
  foreign: number;
  cash: number;
  cashback: number;
  byGroup: Map<string, { spend: number; cashback: number }>;
}

export interface IssuedCards {
  cards: Card[];
  /** The credit card, if any: it is also a loan. */
  creditCard: Card | undefined;
}

/** A main debit card for almost everyone, sometimes a second debit card, and a credit card by age and risk. */
export function issueCards(ctx: RowContext, p: ClientProfile, rng: Rng, accounts: AccountBook): IssuedCards {
  const cards: Card[] = [];
  const mainProduct = p.salaryProject
    ? 'DC_SALARY'
    : p.employment === 'PENSIONER'
      ? 'DC_PENSION'
      : p.age < 25
        ? 'DC_YOUTH'
        : p.segment === 'PREMIUM' || p.segment === 'PRIVATE'
          ? 'DC_PREMIUM'
          : rng.chance(0.45)
            ? 'DC_CASHBACK'
            : 'DC_CLASSIC';
  if (rng.chance(0.94))
    cards.push(
      issueCard(
        ctx,
        p,
        rng,
        accounts,
        false,
        mainProduct,
        Math.max(p.since, ctx.reportDay - rng.int(30, 1400)),
        1,
      ),
    );
  if (rng.chance(0.18))
    cards.push(
      issueCard(
        ctx,
        p,
        rng,
        accounts,
        false,
        rng.pick(['DC_CASHBACK', 'DC_TRAVEL', 'DC_CLASSIC']),
        productDay(ctx, p),
        0.5,
      ),
    );
  const creditChance = p.age < 21 || p.age > 70 ? 0.02 : (p.age < 50 ? 0.38 : 0.2) * (1.2 - p.risk);
  let creditCard: Card | undefined;
  if (rng.chance(creditChance)) {
    creditCard = issueCard(
      ctx,
      p,
      rng,
      accounts,
      true,
      p.segment === 'PREMIUM' || p.segment === 'PRIVATE'
        ? 'CC_PREMIUM'
        : p.traveller && rng.chance(0.3)
          ? 'CC_TRAVEL'
          : rng.chance(0.5)
            ? 'CC_CASHBACK'
            : 'CC_CLASSIC',
      productDay(ctx, p),
      0.7,
    );
    cards.push(creditCard);
  }
  return { cards, creditCard };
}

/** Opens the card's account and writes the card with its limit change and wallet token, if any. */
function issueCard(
  ctx: RowContext,
  p: ClientProfile,
  rng: Rng,
  accounts: AccountBook,
  credit: boolean,
  product: string,
  issue: number,
  share: number,
): Card {
  const lifetime = addMonths(issue, 12 * (credit ? 5 : 4));
  const closed =
    p.closedDay ?? (rng.chance(0.08) ? Math.min(ctx.reportDay - 1, issue + rng.int(60, 1500)) : null);
  const accountId = accounts.open('CARD', product, 'RUB', issue, closed, 0);
  const id = ctx.ids.take('card');
  const tier =
    p.segment === 'PRIVATE' || p.segment === 'PREMIUM'
      ? rng.chance(0.6)
        ? 'PREMIUM'
        : 'PLATINUM'
      : p.segment === 'AFFLUENT'
        ? rng.weighted([
            ['GOLD', 55],
            ['PLATINUM', 30],
            ['CLASSIC', 15],
          ] as const)
        : rng.weighted([
            ['CLASSIC', 75],
            ['GOLD', 25],
          ] as const);
  const system =
    product === 'DC_PENSION' || product === 'DC_SALARY'
      ? 'MIR'
      : rng.weighted([
          ['MIR', 68],
          ['VISA', 18],
          ['MC', 12],
          ['UNIONPAY', 2],
        ] as const);
  const status: Card['status'] =
    closed !== null
      ? 'CLOSED'
      : lifetime < ctx.reportDay
        ? 'EXPIRED'
        : rng.chance(0.02)
          ? 'BLOCKED'
          : 'ACTIVE';
  const limit = credit
    ? Math.round(Math.min(1_500_000, p.income * rng.int(1, 4) * (1 - p.risk)) / 5000) * 5000 + 10000
    : null;
  const cashbackCategory =
    CASHBACK_PRODUCTS.has(product) && status === 'ACTIVE' && rng.chance(0.6)
      ? rng.pick(['RESTAURANTS', 'FUEL', 'TAXI', 'CLOTHING', 'HEALTH', 'BEAUTY', 'ENTERTAINMENT'])
      : null;
  ctx.out.push('card', [
    id,
    p.id,
    accountId,
    product,
    credit ? 'CREDIT' : 'DEBIT',
    tier,
    system,
    `${system === 'MIR' ? '220070' : system === 'VISA' ? '427601' : system === 'MC' ? '546901' : '624401'}******${String(id % 10000).padStart(4, '0')}`,
    isoDate(issue),
    isoDate(lifetime),
    status,
    rng.chance(0.12),
    product === 'DC_SALARY',
    limit,
    credit ? rng.pick([55, 100, 120]) : null,
    cashbackCategory,
    tier === 'PREMIUM' ? 1_000_000 : 300_000,
  ]);
  if (credit && limit !== null && rng.chance(0.3)) {
    const change = Math.min(ctx.reportDay - 1, issue + rng.int(90, 700));
    const up = rng.chance(0.7);
    ctx.out.push('card_limit_history', [
      ctx.ids.take('card_limit_history'),
      id,
      isoDate(change),
      up ? Math.round(limit * 0.7) : Math.round(limit * 1.4),
      limit,
      up ? 'RISK_INCREASE' : rng.chance(0.5) ? 'RISK_DECREASE' : 'CLIENT_REQUEST',
    ]);
  }
  if (status === 'ACTIVE' && p.digital && rng.chance(p.age < 45 ? 0.55 : 0.25)) {
    ctx.out.push('card_wallet_token', [
      ctx.ids.take('card_wallet_token'),
      id,
      rng.weighted([
        ['MIR_PAY', 55],
        ['SBERPAY', 25],
        ['SAMSUNG_PAY', 12],
        ['OTHER', 8],
      ] as const),
      isoDate(Math.max(issue, ctx.reportDay - rng.int(1, 900))),
      true,
    ]);
  }
  return {
    id,
    accountId,
    credit,
    product,
    issue,
    closed: status === 'ACTIVE' || status === 'BLOCKED' ? closed : (closed ?? lifetime),
    status,
    limit,
    share,
  };
}

/**
 * Cash withdrawals and purchases of the last 12 months, spread over the client's usable cards by
 * their shares; the spend follows income, season and activity. Returns the totals per month.
 */
export function writeCardTransactions(
  ctx: RowContext,
  p: ClientProfile,
  rng: Rng,
  cards: readonly Card[],
): MonthTotals[] {
  const weights = groupWeights(p);
  let meanMedian = 0;
  let totalWeight = 0;
  for (const [g, w] of weights) {
    meanMedian += g.medianAmount * w;
    totalWeight += w;
  }
  meanMedian /= totalWeight;
  const spendRatio = Math.min(1.1, rng.lognormal(p.segment === 'MASS' ? 0.42 : 0.5, 0.35));
  const totals: MonthTotals[] = [];
  for (let back = 0; back < MONTHS; back++) {
    const m = ctx.months[back]!;
    const t: MonthTotals = {
      spend: 0,
      count: 0,
      online: 0,
      grocery: 0,
      restaurants: 0,
      fuel: 0,
      travel: 0,
      foreign: 0,
      cash: 0,
      cashback: 0,
      byGroup: new Map(),
    };
    totals.push(t);
    const usable = cards.filter((c) => c.issue <= m.end && (c.closed === null || c.closed > m.start));
    if (usable.length === 0) continue;
    const trend =
      p.activity === 'dormant'
        ? back < 6
          ? 0
          : 0.3
        : p.activity === 'churning'
          ? Math.min(1, 0.1 + back * 0.12)
          : 1;
    if (trend === 0) continue;
    const target = p.income * spendRatio * m.season * trend;
    const n = rng.poisson(Math.min(18, Math.max(1.5, target / 4000)));
    if (n === 0) continue;
    const scale = target / n / meanMedian;
    const travelMonth = p.traveller && rng.chance(0.22 + (m.season > 1.1 ? 0.2 : 0));
    const country = travelMonth ? rng.pick(FOREIGN) : 'RUS';
    let shareSum = 0;
    for (const c of usable) shareSum += c.share;
    for (let i = 0; i < n; i++) {
      let r = rng.next() * shareSum;
      let card = usable[0]!;
      for (const c of usable) {
        r -= c.share;
        if (r < 0) {
          card = c;
          break;
        }
      }
      // Any day the card was usable in the month, by weekday and payday.
      const from = Math.max(m.start, card.issue);
      const to = Math.min(
        m.end,
        ctx.reportDay,
        card.closed === null ? m.end : card.closed - 1,
        p.closedDay === null ? m.end : p.closedDay - 1,
      );
      const txnDay = purchaseDay(m, from, Math.max(from, to), rng.next());
      const cashRoll = rng.next();
      const seconds = 7 * 3600 + rng.int(0, 16 * 3600);
      if (cashRoll < (p.age > 60 ? 0.12 : 0.04)) {
        const amount = Math.round(rng.lognormal(5000, 0.6) / 100) * 100;
        ctx.out.push('card_transaction', [
          ctx.ids.take('card_transaction'),
          card.id,
          p.id,
          isoDate(txnDay),
          timeOfDay(seconds),
          'CASH',
          amount,
          'RUB',
          6011,
          null,
          'RUS',
          false,
          false,
          0,
        ]);
        t.cash += amount;
        continue;
      }
      const group = pickGroup(rng, weights);
      const abroad = country !== 'RUS' && (TRAVEL_GROUPS.has(group.code) || rng.chance(0.5));
      const online = group.onlineShare >= 1 || rng.chance(group.onlineShare);
      const amount = money(Math.max(30, group.medianAmount * scale * rng.lognormal(1, 0.6)));
      const merchants = ctx.ref.merchants.get(group.code)!;
      const local = merchants.byCity.get(p.city.id);
      const merchant = abroad
        ? rng.pick(merchants.foreign)
        : online || !local
          ? merchants.online.length > 0
            ? rng.pick(merchants.online)
            : rng.pick(merchants.foreign)
          : rng.pick(local);
      const mcc = rng.pick(merchants.mcc);
      const cashbackPct = CASHBACK_PRODUCTS.has(card.product) ? group.cashbackPct : group.cashbackPct * 0.25;
      const cashback = money((amount * cashbackPct) / 100);
      const refund = rng.chance(0.015);
      ctx.out.push('card_transaction', [
        ctx.ids.take('card_transaction'),
        card.id,
        p.id,
        isoDate(txnDay),
        timeOfDay(seconds),
        refund ? 'REFUND' : 'PURCHASE',
        amount,
        abroad ? (CURRENCY_BY_COUNTRY[country] ?? 'EUR') : 'RUB',
        mcc,
        merchant,
        abroad ? country : 'RUS',
        online,
        !online && rng.chance(0.85),
        refund ? 0 : cashback,
      ]);
      if (refund) continue;
      t.spend += amount;
      t.count++;
      t.cashback += cashback;
      if (online) t.online += amount;
      if (abroad) t.foreign += amount;
      if (group.code === 'GROCERY') t.grocery += amount;
      else if (group.code === 'RESTAURANTS' || group.code === 'FAST_FOOD') t.restaurants += amount;
      else if (group.code === 'FUEL') t.fuel += amount;
      else if (TRAVEL_GROUPS.has(group.code)) t.travel += amount;
      const g = t.byGroup.get(group.code) ?? { spend: 0, cashback: 0 };
      g.spend += amount;
      g.cashback += cashback;
      t.byGroup.set(group.code, g);
    }
  }
  return totals;
}

/** Each MCC group's share of the client's purchases, tilted by age, income, family, car and habits. */
export function groupWeights(p: ClientProfile): Array<readonly [MccGroup, number]> {
  const young = p.age < 35;
  const old = p.age >= 60;
  const rich = p.income > 120000;
  const tilt: Record<string, number> = {
    FAST_FOOD: young ? 1.8 : old ? 0.4 : 1,
    TAXI: young ? 1.7 : old ? 0.4 : rich ? 1.5 : 1,
    DIGITAL: young ? 2 : old ? 0.2 : 1,
    ENTERTAINMENT: young ? 1.6 : 1,
    MARKETPLACE: old ? 0.5 : 1.2,
    PHARMACY: old ? 2.5 : 1,
    HEALTH: old ? 1.8 : rich ? 1.4 : 1,
    GROCERY: old ? 1.4 : 1,
    RESTAURANTS: rich ? 2 : young ? 1.2 : 0.8,
    AIRLINES: p.traveller ? 3 : 0.2,
    HOTELS: p.traveller ? 3 : 0.2,
    TRAVEL_AGENCY: p.traveller ? 3 : 0.1,
    RAILWAY: p.traveller ? 1.5 : 0.6,
    FUEL: p.ownsCar ? 2.2 : 0.1,
    AUTO: p.ownsCar ? 2 : 0.05,
    KIDS: p.children > 0 ? 3 : 0.1,
    EDUCATION: p.children > 0 || p.employment === 'STUDENT' ? 2 : 0.5,
    PETS: p.hasPets ? 3 : 0.05,
    BEAUTY: p.gender === 'F' ? 1.8 : 0.4,
    GAMBLING: p.gender === 'M' && young ? 1.5 : 0.3,
    PUBLIC_TRANSPORT: p.city.type === 'MILLION' ? 1.5 : 0.6,
  };
  return MCC_GROUPS.map((g) => [g, g.share * (tilt[g.code] ?? 1)] as const);
}

function pickGroup(rng: Rng, weights: Array<readonly [MccGroup, number]>): MccGroup {
  return rng.weighted(weights);
}
