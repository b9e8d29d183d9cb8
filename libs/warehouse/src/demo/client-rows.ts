import type { ClientProfile } from './client-profile';
import type { CopyWriter } from './copy-writer';
import { addMonths, isoDate, isoTimestamp, monthEnd, monthOfYear, monthStart, timeOfDay } from './dates';
import { COUNTRIES, FUNDS, MCC_GROUPS, type MccGroup } from './reference-data';
import type { ReferenceIndex } from './reference-rows';
import type { Rng } from './rng';

const money = (x: number): number => Math.round(x * 100) / 100;
const MONTHS = 12;
const FOREIGN = COUNTRIES.slice(1).map(([code]) => code);
const CURRENCY_BY_COUNTRY: Record<string, string> = {
  TUR: 'USD',
  ARE: 'USD',
  CHN: 'CNY',
  THA: 'USD',
  EGY: 'USD',
  VNM: 'USD',
};
const SEASON = [0, 0.88, 0.9, 1, 1, 1.05, 1.05, 1.12, 1.12, 1, 1, 1.05, 1.3];
const CASHBACK_PRODUCTS = new Set([
  'DC_CASHBACK',
  'CC_CASHBACK',
  'DC_TRAVEL',
  'CC_TRAVEL',
  'DC_PREMIUM',
  'CC_PREMIUM',
]);
const TRAVEL_GROUPS = new Set(['AIRLINES', 'RAILWAY', 'HOTELS', 'TRAVEL_AGENCY']);

/** Monotonic ids per table: generation runs in client order, so ids are deterministic. */
class Ids {
  private readonly next = new Map<string, number>();
  take(table: string): number {
    const id = (this.next.get(table) ?? 0) + 1;
    this.next.set(table, id);
    return id;
  }
}

interface Card {
  id: number;
  accountId: number;
  credit: boolean;
  product: string;
  issue: number;
  closed: number | null;
  share: number;
}

interface MonthTotals {
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

/**
 * Writes every row that belongs to one client, across all subject areas. One instance per seeding
 * run (it holds the id counters); `write` is called for client ids 1..N in order.
 */
export class ClientRowWriter {
  private readonly ids = new Ids();
  private readonly months: Array<{ start: number; end: number; season: number }> = [];

  constructor(
    private readonly out: CopyWriter,
    private readonly ref: ReferenceIndex,
    private readonly reportDay: number,
  ) {
    for (let back = 0; back < MONTHS; back++) {
      const start = monthStart(reportDay, back);
      this.months.push({ start, end: monthEnd(reportDay, back), season: SEASON[monthOfYear(start)]! });
    }
  }

  write(p: ClientProfile): void {
    const { rng } = p;
    const alive = (day: number): boolean => p.closedDay === null || day < p.closedDay;
    const branchIds = this.ref.branchesByCity.get(p.city.id)!;
    const branch = rng.pick(branchIds);
    this.writeClient(p, branch);

    const accounts: Array<{ id: number; type: string; open: number; close: number | null; balance: number }> =
      [];
    const openAccount = (
      type: string,
      product: string,
      currency: string,
      open: number,
      close: number | null,
      balance: number,
    ): number => {
      const id = this.ids.take('account');
      const prefix =
        { CURRENT: '40817', CARD: '40817', SAVINGS: '42301', DEPOSIT: '42306', LOAN: '45507' }[type] ??
        '40817';
      const number = `${prefix}${currency === 'RUB' ? '810' : currency === 'USD' ? '840' : currency === 'EUR' ? '978' : '156'}${String(id).padStart(12, '0')}`;
      this.out.push('account', [
        id,
        p.id,
        number,
        type,
        product,
        currency,
        rng.pick(branchIds),
        isoDate(open),
        close === null ? null : isoDate(close),
        close === null ? (rng.chance(0.005) ? 'FROZEN' : 'OPEN') : 'CLOSED',
      ]);
      accounts.push({ id, type, open, close, balance });
      return id;
    };
    const productDay = (): number =>
      p.since + Math.floor(rng.next() * Math.max(1, (p.closedDay ?? this.reportDay) - p.since));

    // Cards.
    const cards: Card[] = [];
    const addCard = (credit: boolean, product: string, issue: number, share: number): Card => {
      const lifetime = addMonths(issue, 12 * (credit ? 5 : 4));
      const closed =
        p.closedDay ?? (rng.chance(0.08) ? Math.min(this.reportDay - 1, issue + rng.int(60, 1500)) : null);
      const accountId = openAccount('CARD', product, 'RUB', issue, closed, 0);
      const id = this.ids.take('card');
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
      const status =
        closed !== null
          ? 'CLOSED'
          : lifetime < this.reportDay
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
      this.out.push('card', [
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
        const change = Math.min(this.reportDay - 1, issue + rng.int(90, 700));
        const up = rng.chance(0.7);
        this.out.push('card_limit_history', [
          this.ids.take('card_limit_history'),
          id,
          isoDate(change),
          up ? Math.round(limit * 0.7) : Math.round(limit * 1.4),
          limit,
          up ? 'RISK_INCREASE' : rng.chance(0.5) ? 'RISK_DECREASE' : 'CLIENT_REQUEST',
        ]);
      }
      if (status === 'ACTIVE' && p.digital && rng.chance(p.age < 45 ? 0.55 : 0.25)) {
        this.out.push('card_wallet_token', [
          this.ids.take('card_wallet_token'),
          id,
          rng.weighted([
            ['MIR_PAY', 55],
            ['SBERPAY', 25],
            ['SAMSUNG_PAY', 12],
            ['OTHER', 8],
          ] as const),
          isoDate(Math.max(issue, this.reportDay - rng.int(1, 900))),
          true,
        ]);
      }
      const card = {
        id,
        accountId,
        credit,
        product,
        issue,
        closed: status === 'ACTIVE' || status === 'BLOCKED' ? closed : (closed ?? lifetime),
        share,
      };
      cards.push(card);
      return card;
    };
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
      addCard(false, mainProduct, Math.max(p.since, this.reportDay - rng.int(30, 1400)), 1);
    if (rng.chance(0.18))
      addCard(false, rng.pick(['DC_CASHBACK', 'DC_TRAVEL', 'DC_CLASSIC']), productDay(), 0.5);
    const creditChance = p.age < 21 || p.age > 70 ? 0.02 : (p.age < 50 ? 0.38 : 0.2) * (1.2 - p.risk);
    let creditCard: Card | undefined;
    if (rng.chance(creditChance))
      creditCard = addCard(
        true,
        p.segment === 'PREMIUM' || p.segment === 'PRIVATE'
          ? 'CC_PREMIUM'
          : p.traveller && rng.chance(0.3)
            ? 'CC_TRAVEL'
            : rng.chance(0.5)
              ? 'CC_CASHBACK'
              : 'CC_CLASSIC',
        productDay(),
        0.7,
      );

    const monthly = this.writeCardTransactions(p, cards);

    // Salary and pension inflows.
    let salaryAccount: number | null = null;
    if (p.salaryProject || p.employment === 'PENSIONER') {
      const card = cards.find((c) => !c.credit);
      salaryAccount =
        card?.accountId ?? openAccount('CURRENT', 'CUR_ACCOUNT', 'RUB', p.since, p.closedDay, 0);
      const payer = String(7700000000 + (p.id % 9000) * 1000 + rng.int(0, 999));
      for (let back = 0; back < MONTHS; back++) {
        const m = this.months[back]!;
        if (!alive(m.end) || m.start < p.since) continue;
        if (p.employment === 'PENSIONER') {
          this.out.push('salary_payment', [
            this.ids.take('salary_payment'),
            p.id,
            salaryAccount,
            isoDate(m.start + rng.int(2, 20)),
            money(p.income * rng.lognormal(1, 0.02)),
            'PENSION',
            '7706016118',
          ]);
        } else {
          this.out.push('salary_payment', [
            this.ids.take('salary_payment'),
            p.id,
            salaryAccount,
            isoDate(m.start + 19),
            money(p.income * 0.4),
            'ADVANCE',
            payer,
          ]);
          this.out.push('salary_payment', [
            this.ids.take('salary_payment'),
            p.id,
            salaryAccount,
            isoDate(m.start + 4),
            money(p.income * 0.6 * rng.lognormal(1, 0.05)),
            back % 3 === 0 && rng.chance(0.3) ? 'BONUS' : 'SALARY',
            payer,
          ]);
        }
      }
    }
    if (rng.chance(0.15))
      openAccount(
        'CURRENT',
        'CUR_ACCOUNT',
        rng.chance(0.8) ? 'RUB' : 'USD',
        productDay(),
        null,
        p.assets * 0.05,
      );

    // Deposits and savings.
    let depositsActive = 0;
    let savingsActive = 0;
    const depositChance = Math.min(0.75, (p.age > 55 ? 0.35 : 0.12) + p.assets / 4_000_000);
    const nDeposits = rng.chance(depositChance)
      ? 1 + (rng.chance(0.3) ? 1 : 0) + (p.segment !== 'MASS' && rng.chance(0.3) ? 1 : 0)
      : 0;
    for (let i = 0; i < nDeposits; i++) {
      const product =
        p.age >= 55 && rng.chance(0.5)
          ? 'DEP_PENSION'
          : rng.weighted([
              ['DEP_MAX', 40],
              ['DEP_CLASSIC', 40],
              ['DEP_USD', 12],
              ['DEP_CNY', 8],
            ] as const);
      const currency = product === 'DEP_USD' ? 'USD' : product === 'DEP_CNY' ? 'CNY' : 'RUB';
      const rate = currency === 'RUB' ? 12 + rng.int(0, 80) / 10 : rng.int(1, 35) / 10;
      const term = rng.pick([3, 6, 12, 12, 24, 36]);
      const open = Math.max(p.since, this.reportDay - rng.int(10, 1200));
      const maturity = addMonths(open, term);
      const closedEarly = rng.chance(0.1) ? Math.min(this.reportDay - 1, open + rng.int(15, 200)) : null;
      const closeDay =
        p.closedDay ?? closedEarly ?? (maturity < this.reportDay && rng.chance(0.6) ? maturity : null);
      const amount = Math.round(Math.max(10000, p.assets * rng.next() * 0.6) / 1000) * 1000;
      const rateToRub = currency === 'USD' ? 92.5 : currency === 'CNY' ? 12.7 : 1;
      const accountId = openAccount(
        'DEPOSIT',
        product,
        currency,
        open,
        closeDay,
        closeDay === null ? amount * rateToRub : 0,
      );
      const id = this.ids.take('deposit');
      const active = closeDay === null;
      if (active) depositsActive++;
      this.out.push('deposit', [
        id,
        p.id,
        accountId,
        product,
        currency,
        isoDate(open),
        term,
        isoDate(maturity),
        amount,
        active
          ? money(
              amount * rateToRub * (1 + ((rate / 100) * Math.min(term, (this.reportDay - open) / 30)) / 12),
            )
          : 0,
        rate,
        product !== 'DEP_MAX',
        rng.chance(0.6),
        rng.chance(0.7),
        active ? 'ACTIVE' : 'CLOSED',
        active ? null : isoDate(closeDay),
      ]);
      this.out.push('deposit_operation', [
        this.ids.take('deposit_operation'),
        id,
        isoDate(open),
        'OPEN',
        amount,
      ]);
      if (rng.chance(0.4))
        this.out.push('deposit_operation', [
          this.ids.take('deposit_operation'),
          id,
          isoDate(Math.min(this.reportDay, open + rng.int(20, 300))),
          product === 'DEP_MAX' ? 'INTEREST' : 'TOPUP',
          money(amount * rng.next() * 0.2),
        ]);
      if (!active)
        this.out.push('deposit_operation', [
          this.ids.take('deposit_operation'),
          id,
          isoDate(closeDay),
          'CLOSE',
          money(amount * 1.05),
        ]);
    }
    if (p.closedDay === null && rng.chance(p.digital ? 0.35 : 0.1)) {
      const open = Math.max(p.since, this.reportDay - rng.int(10, 1500));
      const balance = money(Math.max(0, p.assets * rng.next() * 0.3));
      const accountId = openAccount('SAVINGS', 'SAV_DAILY', 'RUB', open, null, balance);
      this.out.push('savings_account', [
        this.ids.take('savings_account'),
        p.id,
        accountId,
        isoDate(open),
        10 + rng.int(0, 60) / 10,
        balance,
        true,
      ]);
      savingsActive++;
    }

    // Loans.
    const loans = this.writeLoans(p, rng, openAccount, creditCard);

    // Balances: month-end rows for every account open in the month.
    const balanceByMonth = new Array<number>(3).fill(0);
    for (const account of accounts) {
      const base = account.type === 'CARD' ? p.income * rng.lognormal(0.5, 0.8) : account.balance;
      for (let back = 0; back < MONTHS; back++) {
        const m = this.months[back]!;
        if (account.open > m.end || (account.close !== null && account.close <= m.start)) continue;
        const closedNow = account.close !== null && account.close <= m.end;
        const end = closedNow ? 0 : money(base * (1 - back * 0.01) * rng.lognormal(1, 0.15));
        const spendShare = account.type === 'CARD' ? (monthly[back]?.spend ?? 0) : 0;
        this.out.push('account_balance_monthly', [
          account.id,
          isoDate(m.end),
          end,
          money(end * rng.lognormal(1, 0.1)),
          money(spendShare),
          money(account.type === 'CARD' ? spendShare * rng.lognormal(1, 0.2) : 0),
        ]);
        if (back < 3 && account.type !== 'LOAN') balanceByMonth[back]! += end;
      }
    }

    // Transfers over the last 6 months.
    const anyAccount = accounts.find((a) => a.close === null && a.type !== 'LOAN');
    if (anyAccount && p.activity !== 'dormant') {
      const n = rng.poisson(p.digital ? 8 : 2);
      for (let i = 0; i < n; i++) {
        const type = rng.weighted([
          ['SBP', p.digital ? 70 : 20],
          ['INTERNAL', 15],
          ['REQUISITES', 12],
          ['ABROAD', p.traveller ? 3 : 0.3],
        ] as const);
        this.out.push('account_transfer', [
          this.ids.take('account_transfer'),
          p.id,
          anyAccount.id,
          isoDate(this.reportDay - rng.int(0, 182)),
          money(rng.lognormal(5000, 1) + 100),
          type,
          type !== 'INTERNAL',
        ]);
      }
    }

    const insurance = this.writeInsurance(p, rng, loans.ids);
    const brokerage = this.writeInvestments(p, rng);
    const digital = this.writeDigital(p, rng);
    this.writeMarketing(p, rng);
    this.writeScores(p, rng, loans.maxOverdue);
    this.writeService(p, rng, branchIds);

    // Segment history and analytics marts.
    for (let back = 0; back < MONTHS; back++) {
      const m = this.months[back]!;
      if (m.end < p.since) continue;
      const drift = p.assets * (1 - back * 0.015) * rng.lognormal(1, 0.05);
      this.out.push('client_segment_history', [
        p.id,
        isoDate(m.end),
        back > 8 && p.segment === 'AFFLUENT' && rng.chance(0.3) ? 'MASS' : p.segment,
        money(Math.max(0, drift)),
      ]);
    }
    const activeProducts =
      cards.filter((c) => c.closed === null).length +
      depositsActive +
      savingsActive +
      loans.active +
      brokerage.active;
    for (let back = 0; back < 3; back++) {
      const m = this.months[back]!;
      if (m.end < p.since || (p.closedDay !== null && p.closedDay < m.start)) continue;
      const t = monthly[back]!;
      const salary = salaryAccount === null ? 0 : p.income * (p.closedDay !== null ? 0 : 1);
      this.out.push('client_monthly_profile', [
        p.id,
        isoDate(m.end),
        money(t.spend),
        t.count,
        money(t.online),
        money(t.grocery),
        money(t.restaurants),
        money(t.fuel),
        money(t.travel),
        money(t.foreign),
        money(t.cash),
        money(t.cashback),
        money(salary),
        money(balanceByMonth[back]!),
        money(loans.debt),
        digital.sessionsByMonth[back] ?? 0,
        activeProducts,
        p.segment,
      ]);
      for (const [group, v] of t.byGroup) {
        if (v.cashback > 0)
          this.out.push('card_cashback_monthly', [
            p.id,
            isoDate(m.end),
            group,
            money(v.cashback),
            money(v.spend),
          ]);
      }
    }
    const productDays = [p.since, ...accounts.map((a) => a.open)].sort((a, b) => a - b);
    this.out.push('client_product_summary', [
      p.id,
      cards.filter((c) => !c.credit && c.closed === null).length,
      cards.filter((c) => c.credit && c.closed === null).length,
      depositsActive,
      savingsActive,
      loans.activeNonCard,
      loans.mortgages,
      insurance.active,
      brokerage.active > 0,
      isoDate(productDays[0]!),
      isoDate(productDays[productDays.length - 1]!),
      activeProducts,
    ]);
  }

  private writeClient(p: ClientProfile, branch: number): void {
    const { rng } = p;
    this.out.push('client', [
      p.id,
      isoDate(p.birthDay),
      p.gender,
      p.region.code,
      p.city.id,
      branch,
      p.segment,
      isoDate(p.since),
      p.closedDay === null ? 'ACTIVE' : 'CLOSED',
      p.closedDay === null ? null : isoDate(p.closedDay),
      rng.chance(0.985),
      rng.chance(0.97) ? 'RUS' : rng.pick(['KAZ', 'ARM', 'UZB', 'BLR']),
      p.education,
      rng.weighted([
        ['BRANCH', 40],
        ['ONLINE', 25],
        ['SALARY_PROJECT', p.salaryProject ? 40 : 0],
        ['PARTNER', 10],
        ['REFERRAL', 5],
      ] as const),
      rng.chance(0.004),
      p.segment === 'PRIVATE' || (p.segment === 'PREMIUM' && rng.chance(0.3)),
    ]);
    const male = p.gender === 'M';
    const last = rng.pick(male ? LAST_M : LAST_F);
    const first = rng.pick(male ? FIRST_M : FIRST_F);
    const father = rng.pick(FIRST_M);
    const middle = rng.chance(0.97) ? patronymic(father, male) : null;
    this.out.push('client_pii', [
      p.id,
      last,
      first,
      middle,
      `+79${String(rng.int(0, 999999999)).padStart(9, '0')}`,
      rng.chance(0.75)
        ? `${translit(first)}.${translit(last)}${rng.int(1, 999)}@${rng.pick(['mail.ru', 'yandex.ru', 'gmail.com', 'bk.ru', 'inbox.ru'])}`
        : null,
      String(rng.int(1000, 9999)),
      String(rng.int(100000, 999999)),
      isoDate(addMonths(p.birthDay, 12 * (p.age >= 45 ? 45 : p.age >= 20 ? 20 : 14)) + rng.int(5, 60)),
      rng.chance(0.8) ? String(rng.int(1e11, 1e12 - 1)) : null,
      rng.chance(0.8)
        ? `${rng.int(100, 999)}-${rng.int(100, 999)}-${rng.int(100, 999)} ${rng.int(10, 99)}`
        : null,
      `${p.city.name}, ул. ${rng.pick(STREETS)}, д. ${rng.int(1, 150)}, кв. ${rng.int(1, 300)}`,
    ]);
    const working = p.industry !== null;
    this.out.push('client_employment', [
      p.id,
      p.employment,
      p.industry,
      working ? `ООО «${rng.pick(EMPLOYERS)}»` : null,
      p.position,
      working ? rng.int(3, Math.max(4, (p.age - 18) * 12)) : null,
      p.salaryProject,
      p.salaryProject ? isoDate(Math.max(p.since, this.reportDay - rng.int(30, 3000))) : null,
      isoDate(this.reportDay - rng.int(0, 900)),
    ]);
    const declarations = 1 + rng.poisson(0.8);
    for (let i = declarations - 1; i >= 0; i--) {
      const day = Math.max(p.since, this.reportDay - i * rng.int(200, 500) - rng.int(0, 60));
      const source =
        p.employment === 'PENSIONER'
          ? 'PENSION'
          : p.employment === 'STUDENT'
            ? 'STIPEND'
            : p.employment === 'ENTREPRENEUR' || p.employment === 'SELF_EMPLOYED'
              ? 'BUSINESS'
              : p.employment === 'UNEMPLOYED'
                ? rng.pick(['RENT', 'OTHER'] as const)
                : 'SALARY';
      this.out.push('client_income', [
        this.ids.take('client_income'),
        p.id,
        isoDate(day),
        money(p.income * (1 - i * 0.06) * rng.lognormal(1, 0.12)),
        source,
        p.salaryProject || source === 'PENSION' || rng.chance(0.3),
      ]);
    }
    this.out.push('client_household', [
      p.id,
      p.children,
      p.children + (p.age > 40 && rng.chance(0.1) ? 1 : 0),
      p.ownsHome,
      p.ownsCar,
      isoDate(this.reportDay - rng.int(0, 900)),
    ]);
  }

  private writeCardTransactions(p: ClientProfile, cards: Card[]): MonthTotals[] {
    const { rng } = p;
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
      const m = this.months[back]!;
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
        const day =
          Math.min(m.end, Math.max(m.start, card.issue), p.closedDay === null ? m.end : p.closedDay - 1) -
          rng.int(0, 27);
        const txnDay = Math.max(m.start, day);
        const cashRoll = rng.next();
        const seconds = 7 * 3600 + rng.int(0, 16 * 3600);
        if (cashRoll < (p.age > 60 ? 0.12 : 0.04)) {
          const amount = Math.round(rng.lognormal(5000, 0.6) / 100) * 100;
          this.out.push('card_transaction', [
            this.ids.take('card_transaction'),
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
        const merchants = this.ref.merchants.get(group.code)!;
        const local = merchants.byCity.get(p.city.id);
        const merchant = abroad
          ? rng.pick(merchants.foreign)
          : online || !local
            ? merchants.online.length > 0
              ? rng.pick(merchants.online)
              : rng.pick(merchants.foreign)
            : rng.pick(local);
        const mcc = rng.pick(merchants.mcc);
        const cashbackPct = CASHBACK_PRODUCTS.has(card.product)
          ? group.cashbackPct
          : group.cashbackPct * 0.25;
        const cashback = money((amount * cashbackPct) / 100);
        const refund = rng.chance(0.015);
        this.out.push('card_transaction', [
          this.ids.take('card_transaction'),
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

  private writeLoans(
    p: ClientProfile,
    rng: Rng,
    openAccount: (
      type: string,
      product: string,
      currency: string,
      open: number,
      close: number | null,
      balance: number,
    ) => number,
    creditCard: Card | undefined,
  ): {
    ids: number[];
    active: number;
    activeNonCard: number;
    mortgages: number;
    debt: number;
    maxOverdue: number;
  } {
    const result = { ids: [] as number[], active: 0, activeNonCard: 0, mortgages: 0, debt: 0, maxOverdue: 0 };
    const wants: Array<'CONSUMER' | 'MORTGAGE' | 'CAR' | 'REFINANCE'> = [];
    if (p.age >= 21 && p.age <= 70) {
      if (rng.chance(0.22 * (0.6 + p.risk))) wants.push('CONSUMER');
      if (p.age <= 50 && rng.chance(p.age < 40 ? 0.14 + p.children * 0.04 : 0.08)) wants.push('MORTGAGE');
      if (p.ownsCar && rng.chance(0.12)) wants.push('CAR');
      if (rng.chance(0.03)) wants.push('REFINANCE');
    }
    const addLoan = (
      type: 'CONSUMER' | 'MORTGAGE' | 'CAR' | 'REFINANCE' | 'CREDIT_CARD',
      accountId: number | null,
      issue: number,
      principal: number,
      term: number,
      rate: number,
      product: string,
    ): void => {
      const id = this.ids.take('loan');
      const maturity = addMonths(issue, term);
      const monthsRun = Math.max(0, Math.floor((this.reportDay - issue) / 30.4));
      const paidOff =
        maturity <= this.reportDay || (type !== 'CREDIT_CARD' && rng.chance(0.12) && monthsRun > 6);
      const troubled = !paidOff && rng.chance(p.risk * 0.25);
      const overdue = troubled
        ? rng.weighted([
            [rng.int(1, 30), 60],
            [rng.int(31, 90), 25],
            [rng.int(91, 400), 15],
          ] as const)
        : 0;
      const maxOverdue = Math.max(overdue, rng.chance(p.risk * 0.4) ? rng.int(1, 45) : 0);
      result.maxOverdue = Math.max(result.maxOverdue, maxOverdue);
      const status = paidOff
        ? 'CLOSED'
        : overdue > 180 && rng.chance(0.3)
          ? 'WRITTEN_OFF'
          : overdue > 90 && rng.chance(0.4)
            ? 'RESTRUCTURED'
            : overdue > 0
              ? 'OVERDUE'
              : 'ACTIVE';
      const monthlyRate = rate / 1200;
      const payment =
        type === 'CREDIT_CARD'
          ? principal * 0.05
          : (principal * monthlyRate) / (1 - (1 + monthlyRate) ** -term);
      const outstanding = paidOff
        ? 0
        : type === 'CREDIT_CARD'
          ? principal * rng.next() * 0.8
          : principal * Math.max(0.02, 1 - monthsRun / term) ** 0.8;
      const closeDay = paidOff
        ? Math.min(this.reportDay - 1, maturity, issue + rng.int(180, Math.max(181, term * 30)))
        : null;
      const account = accountId ?? openAccount('LOAN', product, 'RUB', issue, closeDay, -outstanding);
      const insured = type === 'MORTGAGE' || rng.chance(0.35);
      const purpose =
        type === 'MORTGAGE'
          ? 'PROPERTY'
          : type === 'CAR'
            ? 'VEHICLE'
            : type === 'REFINANCE'
              ? 'REFINANCING'
              : type === 'CREDIT_CARD'
                ? 'GENERAL'
                : rng.pick([
                    'GENERAL',
                    'GENERAL',
                    'HOME_RENOVATION',
                    'EDUCATION',
                    'TRAVEL',
                    'MEDICAL',
                  ] as const);
      this.out.push('loan', [
        id,
        p.id,
        account,
        product,
        type,
        purpose,
        isoDate(issue),
        isoDate(maturity),
        term,
        money(principal),
        rate,
        money(payment),
        money(outstanding),
        overdue,
        maxOverdue,
        status,
        closeDay === null ? null : isoDate(closeDay),
        insured,
        rng.chance(0.2) ? rng.int(1, 4) : 0,
        rng.chance(type === 'CAR' || type === 'MORTGAGE' ? 0.7 : 0.1)
          ? 'PARTNER'
          : p.digital && rng.chance(0.6)
            ? 'MOBILE'
            : 'BRANCH',
      ]);
      result.ids.push(id);
      if (!paidOff) {
        result.active++;
        result.debt += outstanding;
        if (type !== 'CREDIT_CARD') result.activeNonCard++;
        if (type === 'MORTGAGE') result.mortgages++;
      }
      if (type === 'MORTGAGE') {
        const value = (principal / rng.int(55, 85)) * 100;
        this.out.push('mortgage_property', [
          id,
          rng.weighted([
            ['FLAT_NEW', 45],
            ['FLAT_SECONDARY', 40],
            ['HOUSE', 10],
            ['TOWNHOUSE', 5],
          ] as const),
          p.region.code,
          money(value),
          Math.round(rng.lognormal(55, 0.3) * 10) / 10,
          money((principal / value) * 100),
          product === 'MORT_FAMILY' || product === 'MORT_IT',
        ]);
      } else if (type === 'CAR') {
        const isNew = product === 'CAR_NEW';
        this.out.push('car_loan_vehicle', [
          id,
          rng.pick(CAR_BRANDS),
          isNew ? 2025 + (rng.chance(0.5) ? 1 : 0) : rng.int(2012, 2023),
          isNew,
          money((principal * rng.int(110, 160)) / 100),
        ]);
      }
      // Monthly payments within the last 12 months.
      if (type !== 'CREDIT_CARD') {
        for (let back = 0; back < MONTHS; back++) {
          const m = this.months[back]!;
          const due = m.start + (issue % 28 || 5);
          if (due <= issue || due > (closeDay ?? this.reportDay) || due > this.reportDay) continue;
          const late = back === 0 && overdue > 0 ? overdue : rng.chance(p.risk * 0.08) ? rng.int(1, 20) : 0;
          const paid = back === 0 && overdue > 0 ? null : due + late;
          this.out.push('loan_payment', [
            this.ids.take('loan_payment'),
            id,
            isoDate(due),
            paid === null ? null : isoDate(Math.min(paid, this.reportDay)),
            money(payment),
            paid === null ? 0 : money(payment),
            late,
          ]);
        }
      }
      // The application that led to it.
      this.out.push('loan_application', [
        this.ids.take('loan_application'),
        p.id,
        isoDate(issue - rng.int(1, 14)),
        type,
        money(principal * (rng.chance(0.3) ? 1.2 : 1)),
        'APPROVED',
        null,
        money(principal),
        rng.pick(['BRANCH', 'MOBILE', 'WEB', 'PARTNER'] as const),
        id,
      ]);
    };
    const windowStart = (years: number): number => Math.max(p.since, this.reportDay - 365 * years);
    for (const type of wants) {
      const issue =
        windowStart(type === 'MORTGAGE' ? 10 : 5) +
        rng.int(0, Math.max(1, this.reportDay - windowStart(type === 'MORTGAGE' ? 10 : 5) - 20));
      if (p.closedDay !== null && issue >= p.closedDay) continue;
      if (type === 'MORTGAGE') {
        const product =
          p.children > 0 && rng.chance(0.5)
            ? 'MORT_FAMILY'
            : p.industry === 'IT' && rng.chance(0.6)
              ? 'MORT_IT'
              : rng.pick(['MORT_PRIMARY', 'MORT_SECONDARY']);
        addLoan(
          'MORTGAGE',
          null,
          issue,
          Math.round(Math.min(30_000_000, p.income * rng.int(40, 110)) / 10000) * 10000,
          rng.pick([120, 180, 240, 300, 360]),
          product === 'MORT_FAMILY' ? 6 : product === 'MORT_IT' ? 5 : 8 + rng.int(0, 140) / 10,
          product,
        );
      } else if (type === 'CAR') {
        addLoan(
          'CAR',
          null,
          issue,
          Math.round(rng.lognormal(1_400_000, 0.4) / 10000) * 10000,
          rng.pick([36, 48, 60, 84]),
          12 + rng.int(0, 120) / 10,
          rng.chance(0.6) ? 'CAR_NEW' : 'CAR_USED',
        );
      } else {
        addLoan(
          type,
          null,
          issue,
          Math.round(Math.max(30000, p.income * rng.lognormal(6, 0.6)) / 1000) * 1000,
          rng.pick([12, 24, 36, 48, 60]),
          16 + rng.int(0, 150) / 10,
          type === 'REFINANCE' ? 'CL_REFI' : 'CL_CASH',
        );
      }
    }
    if (creditCard)
      addLoan('CREDIT_CARD', creditCard.accountId, creditCard.issue, 50000, 60, 34.9, creditCard.product);
    // Rejected or withdrawn applications over the last 24 months.
    if (p.closedDay === null && rng.chance(0.06 + p.risk * 0.2)) {
      const rejected = rng.chance(0.7);
      this.out.push('loan_application', [
        this.ids.take('loan_application'),
        p.id,
        isoDate(this.reportDay - rng.int(1, 730)),
        rng.weighted([
          ['CONSUMER', 60],
          ['CREDIT_CARD', 25],
          ['MORTGAGE', 10],
          ['CAR', 5],
        ] as const),
        money(Math.round((p.income * rng.int(3, 30)) / 1000) * 1000),
        rejected ? 'REJECTED' : rng.chance(0.8) ? 'CANCELLED' : 'PENDING',
        rejected
          ? rng.weighted([
              ['LOW_INCOME', 30],
              ['BAD_HISTORY', 25],
              ['HIGH_DEBT_LOAD', 30],
              ['FRAUD_SUSPECT', 3],
              ['POLICY', 12],
            ] as const)
          : null,
        null,
        rng.pick(['MOBILE', 'WEB', 'BRANCH', 'CALL_CENTER'] as const),
        null,
      ]);
    }
    if (rng.chance(0.7)) {
      const otherLoans = rng.poisson(0.4 + p.risk);
      this.out.push('credit_bureau_report', [
        this.ids.take('credit_bureau_report'),
        p.id,
        isoDate(this.reportDay - rng.int(0, 365)),
        Math.round(Math.min(850, Math.max(300, 820 - p.risk * 600 + rng.normal(0, 40)))),
        otherLoans,
        money(otherLoans * rng.lognormal(150000, 0.8)),
        rng.chance(p.risk) ? rng.int(1, 5) : 0,
        rng.poisson(0.5 + p.risk * 2),
        money(Math.min(150, ((result.debt * 0.04 + otherLoans * 8000) / p.income) * 100)),
      ]);
    }
    return result;
  }

  private writeInsurance(p: ClientProfile, rng: Rng, loanIds: number[]): { active: number } {
    let active = 0;
    const add = (
      type: string,
      product: string,
      loanId: number | null,
      start: number,
      years: number,
      premium: number,
      sum: number,
    ): void => {
      const end = addMonths(start, 12 * years);
      const cancelled = rng.chance(0.05);
      const status = cancelled ? 'CANCELLED' : end < this.reportDay ? 'EXPIRED' : 'ACTIVE';
      if (status === 'ACTIVE') active++;
      const policyId = this.ids.take('insurance_policy');
      this.out.push('insurance_policy', [
        policyId,
        p.id,
        product,
        type,
        loanId,
        isoDate(start),
        isoDate(end),
        money(premium),
        money(sum),
        status,
        loanId !== null ? 'BRANCH' : p.digital && rng.chance(0.6) ? 'MOBILE' : 'BRANCH',
        rng.pick(INSURERS),
        type !== 'TRAVEL' && rng.chance(0.5),
      ]);
      if (rng.chance(type === 'TRAVEL' || type === 'HEALTH' ? 0.12 : 0.03)) {
        const claimed = Math.min(sum, rng.lognormal(premium * 3, 0.8));
        const claimStatus = rng.weighted([
          ['PAID', 70],
          ['REJECTED', 15],
          ['OPEN', 15],
        ] as const);
        this.out.push('insurance_claim', [
          this.ids.take('insurance_claim'),
          policyId,
          isoDate(Math.min(this.reportDay, start + rng.int(1, 300))),
          money(claimed),
          claimStatus === 'PAID' ? money((claimed * rng.int(60, 100)) / 100) : 0,
          claimStatus,
        ]);
      }
    };
    for (const loanId of loanIds)
      if (rng.chance(0.3))
        add(
          'CREDIT_LIFE',
          'INS_CREDIT',
          loanId,
          this.reportDay - rng.int(30, 1500),
          3,
          p.income * 0.4,
          p.income * 20,
        );
    const options: Array<[string, string, number]> = [
      ['LIFE', 'INS_LIFE', p.age > 35 ? 0.08 + p.assets / 20_000_000 : 0.02],
      ['HEALTH', 'INS_HEALTH', p.segment === 'MASS' ? 0.03 : 0.15],
      ['PROPERTY', 'INS_PROPERTY', p.ownsHome ? 0.1 : 0.01],
      ['TRAVEL', 'INS_TRAVEL', p.traveller ? 0.35 : 0.01],
      ['KASKO', 'INS_KASKO', p.ownsCar ? 0.08 : 0],
      ['OSAGO', 'INS_OSAGO', p.ownsCar ? 0.12 : 0],
      ['CYBER', 'INS_CYBER', 0.05],
    ];
    for (const [type, product, chance] of options) {
      if (!rng.chance(Math.min(0.9, chance)) || (p.closedDay !== null && rng.chance(0.8))) continue;
      const start = Math.max(p.since, this.reportDay - rng.int(5, type === 'TRAVEL' ? 400 : 1200));
      add(
        type,
        product,
        null,
        start,
        type === 'TRAVEL' ? 0.05 : type === 'LIFE' ? 5 : 1,
        p.income * (type === 'LIFE' ? 3 : 0.1 + rng.next() * 0.2),
        p.income * (type === 'LIFE' ? 60 : 10),
      );
    }
    return { active };
  }

  private writeInvestments(p: ClientProfile, rng: Rng): { active: number } {
    let active = 0;
    const chance = Math.min(
      0.7,
      (p.age < 60 ? 0.07 : 0.03) +
        p.assets / 8_000_000 +
        (p.industry === 'IT' || p.industry === 'FINANCE' ? 0.08 : 0),
    );
    if (p.age >= 18 && rng.chance(chance)) {
      const accounts = rng.chance(0.3) ? 2 : 1;
      for (let i = 0; i < accounts; i++) {
        const id = this.ids.take('brokerage_account');
        const iis = i === 1 || rng.chance(0.25);
        const open = Math.max(p.since, this.reportDay - rng.int(30, 2500));
        const closed =
          p.closedDay ?? (rng.chance(0.08) ? Math.min(this.reportDay - 1, open + rng.int(60, 900)) : null);
        if (closed === null) active++;
        const profile =
          p.age > 60
            ? 'CONSERVATIVE'
            : rng.weighted([
                ['CONSERVATIVE', 35],
                ['MODERATE', 45],
                ['AGGRESSIVE', 20],
              ] as const);
        this.out.push('brokerage_account', [
          id,
          p.id,
          iis ? 'IIS' : 'BROKER',
          iis ? (open >= 19723 ? 'N' : rng.chance(0.7) ? 'A' : 'B') : null,
          isoDate(open),
          closed === null ? null : isoDate(closed),
          p.assets > 6_000_000 && rng.chance(0.5),
          profile,
          p.segment === 'MASS' ? 'INVESTOR' : rng.pick(['INVESTOR', 'TRADER', 'PREMIUM']),
        ]);
        const value = Math.max(1000, p.assets * rng.next() * 0.4);
        const shares = profile === 'AGGRESSIVE' ? 60 : profile === 'MODERATE' ? 40 : 15;
        for (let back = 0; back < MONTHS; back++) {
          const m = this.months[back]!;
          if (m.end < open || (closed !== null && closed < m.start)) continue;
          const v =
            closed !== null && closed <= m.end ? 0 : value * (1 - back * 0.01) * rng.lognormal(1, 0.05);
          const bonds = Math.min(100 - shares, 20 + rng.int(0, 30));
          const funds = Math.min(100 - shares - bonds, rng.int(0, 20));
          this.out.push('portfolio_monthly', [
            id,
            isoDate(m.end),
            money(v),
            shares,
            bonds,
            funds,
            100 - shares - bonds - funds,
            money(rng.chance(0.3) ? rng.lognormal(20000, 1) : 0),
          ]);
        }
        const trades = closed === null ? rng.poisson(profile === 'AGGRESSIVE' ? 25 : 5) : 0;
        for (let k = 0; k < trades; k++) {
          const kind = rng.weighted([
            ['SHARE', shares],
            ['BOND', 30],
            ['FUND', 15],
            ['CURRENCY', 5],
            ['GOLD', 3],
          ] as const);
          this.out.push('investment_trade', [
            this.ids.take('investment_trade'),
            id,
            isoDate(this.reportDay - rng.int(0, 364)),
            kind,
            rng.pick(TICKERS[kind]!),
            rng.chance(0.6) ? 'BUY' : 'SELL',
            money(rng.lognormal(25000, 1.1)),
            money(rng.lognormal(40, 0.8)),
          ]);
        }
      }
    }
    if (rng.chance(Math.min(0.4, 0.02 + p.assets / 15_000_000))) {
      const fund = rng.pick(FUNDS);
      const value = money(rng.lognormal(150000, 1));
      this.out.push('fund_holding', [
        this.ids.take('fund_holding'),
        p.id,
        fund[0],
        isoDate(Math.max(p.since, this.reportDay - rng.int(30, 2000))),
        Math.round((value / rng.int(100, 3000)) * 10000) / 10000,
        value,
      ]);
      active++;
    }
    return { active };
  }

  private writeDigital(p: ClientProfile, rng: Rng): { sessionsByMonth: number[] } {
    const sessionsByMonth = [0, 0, 0];
    const mobile = p.digital && rng.chance(0.92);
    const web = p.digital ? rng.chance(0.45) : rng.chance(0.05);
    const os = mobile
      ? p.income > 120000
        ? rng.weighted([
            ['IOS', 60],
            ['ANDROID', 40],
          ] as const)
        : rng.weighted([
            ['ANDROID', 72],
            ['IOS', 24],
            ['HARMONY', 4],
          ] as const)
      : null;
    const active = p.closedDay === null && p.activity !== 'dormant' && (mobile || web);
    const perMonth = active
      ? (p.age < 40 ? 10 : 6) * (p.activity === 'churning' ? 0.4 : 1) * rng.lognormal(1, 0.5)
      : 0;
    let last: { day: number; seconds: number; channel: string } | null = null;
    let sbp = false;
    for (let back = 0; back < 3; back++) {
      const m = this.months[back]!;
      const n = Math.min(60, rng.poisson(perMonth));
      for (let i = 0; i < n; i++) {
        const day = Math.min(this.reportDay, m.start + rng.int(0, m.end - m.start));
        const seconds = rng.int(6 * 3600, 23 * 3600);
        const channel = mobile && (!web || rng.chance(0.85)) ? 'MOBILE' : 'WEB';
        const payments = rng.chance(0.4) ? rng.int(1, 3) : 0;
        if (payments > 0 && rng.chance(0.5)) sbp = true;
        this.out.push('digital_session', [
          this.ids.take('digital_session'),
          p.id,
          isoTimestamp(day, seconds),
          channel,
          rng.int(20, 900),
          rng.int(1, 40),
          payments,
        ]);
        if (day > this.reportDay - 30) sessionsByMonth[0]!++;
        sessionsByMonth[back]! += back === 0 ? 0 : 1;
        if (!last || day > last.day || (day === last.day && seconds > last.seconds))
          last = { day, seconds, channel };
      }
    }
    if (!last && (mobile || web) && rng.chance(0.8)) {
      last = {
        day: Math.max(p.since, this.reportDay - rng.int(91, 900)),
        seconds: rng.int(0, 86399),
        channel: mobile ? 'MOBILE' : 'WEB',
      };
    }
    const sessions30 = sessionsByMonth[0]!;
    const registered = mobile ? isoDate(Math.max(p.since, this.reportDay - rng.int(95, 2500))) : null;
    this.out.push('digital_profile', [
      p.id,
      mobile,
      registered,
      web,
      last ? isoTimestamp(last.day, last.seconds) : null,
      last?.channel ?? null,
      os ?? (web ? 'WEB' : null),
      mobile ? `${rng.int(14, 16)}.${rng.int(0, 9)}.${rng.int(0, 9)}` : null,
      mobile && rng.chance(0.7),
      mobile && rng.chance(0.6),
      sessions30,
      sbp,
    ]);
    if (active) {
      const interests = rng.poisson(p.age < 45 ? 2 : 0.8);
      for (let i = 0; i < interests; i++) {
        const [event, product] = rng.pick(INTERESTS(p));
        this.out.push('app_event', [
          this.ids.take('app_event'),
          p.id,
          isoTimestamp(this.reportDay - rng.int(0, 89), rng.int(6 * 3600, 23 * 3600)),
          event,
          product,
        ]);
      }
    }
    if (p.digital && p.closedDay === null && rng.chance(p.segment === 'MASS' ? 0.06 : 0.25)) {
      const premium = p.segment !== 'MASS' && rng.chance(0.6);
      const cancelled = rng.chance(0.2);
      const start = Math.max(p.since, this.reportDay - rng.int(10, 1200));
      this.out.push('client_subscription', [
        this.ids.take('client_subscription'),
        p.id,
        premium ? 'SUB_PREMIUM' : 'SUB_PLUS',
        isoDate(start),
        cancelled ? isoDate(Math.min(this.reportDay - 1, start + rng.int(30, 400))) : null,
        premium ? (p.assets > 3_000_000 ? 0 : 2990) : 299,
        cancelled ? 'CANCELLED' : rng.chance(0.05) ? 'PAUSED' : 'ACTIVE',
      ]);
    }
    return { sessionsByMonth };
  }

  private writeMarketing(p: ClientProfile, rng: Rng): void {
    const granted = new Set<string>();
    for (const [channel, chance] of [
      ['SMS', 0.75],
      ['PUSH', p.digital ? 0.85 : 0],
      ['EMAIL', 0.55],
      ['CALL', 0.5],
      ['MESSENGER', 0.25],
    ] as const) {
      if (!rng.chance(chance)) continue;
      const revoked = rng.chance(0.08);
      if (!revoked) granted.add(channel);
      const from = Math.max(p.since, this.reportDay - rng.int(30, 3000));
      this.out.push('marketing_consent', [
        p.id,
        channel,
        !revoked,
        isoDate(from),
        revoked ? isoDate(Math.min(this.reportDay - 1, from + rng.int(10, 900))) : null,
      ]);
    }
    if (rng.chance(0.025) || p.closedDay !== null) {
      const reason =
        p.closedDay !== null
          ? rng.weighted([
              ['CLIENT_REQUEST', 60],
              ['DECEASED', 20],
              ['BANKRUPTCY', 20],
            ] as const)
          : rng.weighted([
              ['CLIENT_REQUEST', 55],
              ['COMPLAINT', 25],
              ['FRAUD', 8],
              ['BANKRUPTCY', 6],
              ['LEGAL', 6],
            ] as const);
      const channel =
        reason === 'CLIENT_REQUEST' && rng.chance(0.5) ? rng.pick(['SMS', 'CALL', 'EMAIL']) : null;
      this.out.push('stop_list', [
        this.ids.take('stop_list'),
        p.id,
        reason,
        channel,
        isoDate(this.reportDay - rng.int(0, 1500)),
        rng.chance(0.2) ? isoDate(this.reportDay + rng.int(-200, 400)) : null,
      ]);
    }
    if (p.closedDay !== null) return;
    const contacts = rng.poisson(granted.size > 0 ? 3 : 0.5);
    for (let i = 0; i < contacts; i++) {
      const campaign = rng.pick(this.ref.campaigns);
      const contactId = this.ids.take('campaign_contact');
      const day = Math.min(this.reportDay, campaign.start + rng.int(0, campaign.end - campaign.start));
      const control = rng.chance(0.1);
      const delivered = control
        ? 'FAILED'
        : campaign.channel === 'CALL'
          ? rng.weighted([
              ['DELIVERED', 55],
              ['NO_ANSWER', 45],
            ] as const)
          : rng.chance(0.9)
            ? 'DELIVERED'
            : 'FAILED';
      this.out.push('campaign_contact', [
        contactId,
        campaign.id,
        p.id,
        campaign.channel,
        isoDate(day),
        delivered,
        control,
      ]);
      if (control || delivered !== 'DELIVERED') continue;
      const ladder = ['OPENED', 'CLICKED', 'APPLIED', 'PURCHASED'];
      let step = 0;
      while (step < ladder.length && rng.chance(step === 0 ? 0.45 : 0.3)) {
        this.out.push('campaign_response', [
          this.ids.take('campaign_response'),
          contactId,
          p.id,
          isoDate(Math.min(this.reportDay, day + step)),
          ladder[step]!,
        ]);
        step++;
      }
      if (rng.chance(0.01))
        this.out.push('campaign_response', [
          this.ids.take('campaign_response'),
          contactId,
          p.id,
          isoDate(Math.min(this.reportDay, day + 1)),
          'UNSUBSCRIBED',
        ]);
    }
  }

  private writeScores(p: ClientProfile, rng: Rng, maxOverdue: number): void {
    const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
    const pd = Math.min(0.99, sigmoid(-4 + p.risk * 6 + maxOverdue / 30 + rng.normal(0, 0.3)));
    const day = isoDate(this.reportDay - rng.int(0, 6));
    const scores: Record<string, number> = {
      CHURN: sigmoid(
        p.activity === 'churning' ? 1.2 : p.activity === 'dormant' ? 0.5 : -2.2 + rng.normal(0, 0.6),
      ),
      PD: pd,
      PROP_CREDIT_CARD: sigmoid(-1.5 + (p.age < 45 ? 0.8 : -0.4) - p.risk * 2 + rng.normal(0, 0.7)),
      PROP_DEPOSIT: sigmoid(-1.6 + p.assets / 2_000_000 + (p.age > 50 ? 0.8 : 0) + rng.normal(0, 0.6)),
      PROP_MORTGAGE: sigmoid(
        -2.5 + (p.age >= 25 && p.age <= 40 ? 1.2 : -0.5) + p.children * 0.3 + rng.normal(0, 0.6),
      ),
      PROP_INVEST: sigmoid(-2.4 + p.assets / 3_000_000 + (p.age < 45 ? 0.5 : 0) + rng.normal(0, 0.6)),
      PROP_INSURANCE: sigmoid(-2 + (p.ownsCar ? 0.5 : 0) + (p.ownsHome ? 0.4 : 0) + rng.normal(0, 0.6)),
    };
    for (const [type, value] of Object.entries(scores)) {
      const v = Math.round(Math.min(0.9999, Math.max(0.0001, value)) * 10000) / 10000;
      this.out.push('client_score', [p.id, type, day, v, Math.min(10, 1 + Math.floor(v * 10))]);
    }
    const grade = pd < 0.02 ? 'A' : pd < 0.05 ? 'B' : pd < 0.12 ? 'C' : pd < 0.3 ? 'D' : 'E';
    this.out.push('client_risk_profile', [
      p.id,
      grade,
      Math.round(pd * 10000) / 10000,
      rng.weighted([
        ['LOW', 85],
        ['MEDIUM', 12],
        ['HIGH', 3],
      ] as const),
      rng.chance(0.004),
      p.risk > 0.7 && rng.chance(0.1),
      day,
    ]);
  }

  private writeService(p: ClientProfile, rng: Rng, branchIds: number[]): void {
    const requests = rng.poisson(p.activity === 'churning' ? 1.2 : 0.5);
    for (let i = 0; i < requests; i++) {
      const kind = rng.weighted([
        ['QUESTION', 60],
        ['COMPLAINT', p.activity === 'churning' ? 30 : 12],
        ['REQUEST', 28],
      ] as const);
      const status = rng.weighted([
        ['RESOLVED', 80],
        ['OPEN', 8],
        ['REJECTED', 12],
      ] as const);
      this.out.push('service_request', [
        this.ids.take('service_request'),
        p.id,
        isoDate(this.reportDay - rng.int(0, 364)),
        kind,
        rng.pick(TOPICS),
        rng.pick(['CALL', 'CHAT', 'BRANCH', 'EMAIL']),
        status,
        status === 'OPEN' || rng.chance(0.5) ? null : rng.int(1, 5),
      ]);
    }
    const visits = rng.poisson(p.digital ? 0.4 : 2);
    for (let i = 0; i < visits; i++) {
      this.out.push('branch_visit', [
        this.ids.take('branch_visit'),
        p.id,
        rng.pick(branchIds),
        isoDate(this.reportDay - rng.int(0, 364)),
        rng.int(0, 45),
        rng.weighted([
          ['CASH', 35],
          ['PRODUCT', 25],
          ['CONSULTATION', 25],
          ['DOCUMENTS', 15],
        ] as const),
      ]);
    }
  }
}

function groupWeights(p: ClientProfile): Array<readonly [MccGroup, number]> {
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

function patronymic(father: string, male: boolean): string {
  const stem = father.replace(/[йь]$/, '');
  if (/[ий]$/.test(father)) return stem + (male ? 'евич' : 'евна');
  if (/а$/.test(father)) return stem.slice(0, -1) + (male ? 'ич' : 'ична');
  return stem + (male ? 'ович' : 'овна');
}

const TRANSLIT: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'h',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};
function translit(word: string): string {
  return [...word.toLowerCase()].map((ch) => TRANSLIT[ch] ?? ch).join('');
}

const INTERESTS = (p: ClientProfile): Array<[string, string | null]> => [
  ['VIEW_CREDIT_CARD', 'CC_CASHBACK'],
  ['VIEW_DEPOSIT', p.age > 50 ? 'DEP_PENSION' : 'DEP_MAX'],
  ['VIEW_MORTGAGE', p.children > 0 ? 'MORT_FAMILY' : 'MORT_PRIMARY'],
  ['VIEW_INVEST', 'INV_IIS'],
  ['VIEW_INSURANCE', p.ownsCar ? 'INS_KASKO' : 'INS_PROPERTY'],
  ['VIEW_TRAVEL', 'DC_TRAVEL'],
  ['START_APPLICATION', 'CL_CASH'],
  ['USE_CASHBACK_SELECT', null],
];

const LAST_M = [
  'Иванов',
  'Смирнов',
  'Кузнецов',
  'Попов',
  'Васильев',
  'Петров',
  'Соколов',
  'Михайлов',
  'Новиков',
  'Фёдоров',
  'Морозов',
  'Волков',
  'Алексеев',
  'Лебедев',
  'Семёнов',
  'Егоров',
  'Павлов',
  'Козлов',
  'Степанов',
  'Николаев',
];
const LAST_F = LAST_M.map((name) => name + 'а');
const FIRST_M = [
  'Александр',
  'Дмитрий',
  'Максим',
  'Сергей',
  'Андрей',
  'Алексей',
  'Артём',
  'Илья',
  'Кирилл',
  'Михаил',
  'Никита',
  'Иван',
  'Евгений',
  'Владимир',
  'Николай',
  'Юрий',
  'Павел',
  'Олег',
];
const FIRST_F = [
  'Анна',
  'Мария',
  'Елена',
  'Ольга',
  'Татьяна',
  'Наталья',
  'Ирина',
  'Екатерина',
  'Светлана',
  'Юлия',
  'Анастасия',
  'Дарья',
  'Людмила',
  'Галина',
  'Виктория',
  'Полина',
];
const STREETS = [
  'Ленина',
  'Мира',
  'Советская',
  'Гагарина',
  'Пушкина',
  'Лесная',
  'Школьная',
  'Садовая',
  'Молодёжная',
  'Новая',
];
const EMPLOYERS = [
  'Ромашка',
  'Вектор',
  'Альфа-Строй',
  'ТехноСервис',
  'Горизонт',
  'СеверСталь-Торг',
  'Медиа Плюс',
  'Агрокомплекс',
  'Логистик Групп',
  'ИнфоТех',
];
const CAR_BRANDS = [
  'Lada',
  'Kia',
  'Hyundai',
  'Haval',
  'Chery',
  'Geely',
  'Toyota',
  'Volkswagen',
  'Skoda',
  'Renault',
  'BMW',
  'Mercedes-Benz',
  'Exeed',
  'Tank',
];
const INSURERS = [
  'СОГАЗ',
  'Ингосстрах',
  'РЕСО-Гарантия',
  'АльфаСтрахование',
  'Ренессанс Страхование',
  'Согласие',
];
const TOPICS = [
  'CARD_ISSUE',
  'DISPUTE',
  'LOAN_QUESTION',
  'TARIFF',
  'APP_PROBLEM',
  'SERVICE_QUALITY',
  'CLOSE_PRODUCT',
];
const TICKERS: Record<string, string[]> = {
  SHARE: ['SBER', 'GAZP', 'LKOH', 'YDEX', 'ROSN', 'GMKN', 'NVTK', 'TATN', 'MGNT', 'PLZL', 'OZON', 'T'],
  BOND: ['SU26238', 'SU26243', 'RU000A105', 'RU000A106', 'SU29014'],
  FUND: ['TMOS', 'SBMX', 'AKMM', 'LQDT', 'TGLD'],
  CURRENCY: ['CNYRUB_TOM', 'USDRUB_TOM'],
  GOLD: ['GLDRUB_TOM'],
};
