import type { ClientProfile } from '../client-profile';
import { isoDate } from '../dates';
import { FUNDS } from '../reference-data';
import type { Rng } from '../rng';
import { MONTHS, money, type RowContext } from './row-context';

/** What the marts need from the client's investments. */
export interface InvestmentSummary {
  /** Active investment products: open brokerage accounts and the fund holding. */
  active: number;
  /** Open brokerage accounts (IIS included), without fund holdings. */
  brokerageActive: number;
  /** Portfolio value of all brokerage accounts at each of the last MONTHS month ends, newest first. */
  portfolioByMonth: number[];
}

/**
 * Brokerage accounts (one or two, the second always an IIS) with monthly portfolio values and
 * trades, and a mutual fund holding.
 */
export function writeInvestments(ctx: RowContext, p: ClientProfile, rng: Rng): InvestmentSummary {
  let active = 0;
  let brokerageActive = 0;
  const portfolioByMonth = new Array<number>(MONTHS).fill(0);
  const chance = Math.min(
    0.7,
    (p.age < 60 ? 0.07 : 0.03) +
      p.assets / 8_000_000 +
      (p.industry === 'IT' || p.industry === 'FINANCE' ? 0.08 : 0),
  );
  if (p.age >= 18 && rng.chance(chance)) {
    const accounts = rng.chance(0.3) ? 2 : 1;
    for (let i = 0; i < accounts; i++) {
      const id = ctx.ids.take('brokerage_account');
      const iis = i === 1 || rng.chance(0.25);
      const open = Math.max(p.since, ctx.reportDay - rng.int(30, 2500));
      const closed =
        p.closedDay ?? (rng.chance(0.08) ? Math.min(ctx.reportDay - 1, open + rng.int(60, 900)) : null);
      if (closed === null) {
        active++;
        brokerageActive++;
      }
      const profile =
        p.age > 60
          ? 'CONSERVATIVE'
          : rng.weighted([
              ['CONSERVATIVE', 35],
              ['MODERATE', 45],
              ['AGGRESSIVE', 20],
            ] as const);
      ctx.out.push('brokerage_account', [
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
        const m = ctx.months[back]!;
        if (m.end < open || (closed !== null && closed < m.start)) continue;
        const v = money(
          closed !== null && closed <= m.end ? 0 : value * (1 - back * 0.01) * rng.lognormal(1, 0.05),
        );
        portfolioByMonth[back]! += v;
        const bonds = Math.min(100 - shares, 20 + rng.int(0, 30));
        const funds = Math.min(100 - shares - bonds, rng.int(0, 20));
        ctx.out.push('portfolio_monthly', [
          id,
          isoDate(m.end),
          v,
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
        ctx.out.push('investment_trade', [
          ctx.ids.take('investment_trade'),
          id,
          isoDate(ctx.reportDay - rng.int(0, 364)),
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
    ctx.out.push('fund_holding', [
      ctx.ids.take('fund_holding'),
      p.id,
      fund[0],
      isoDate(Math.max(p.since, ctx.reportDay - rng.int(30, 2000))),
      Math.round((value / rng.int(100, 3000)) * 10000) / 10000,
      value,
    ]);
    active++;
  }
  return { active, brokerageActive, portfolioByMonth };
}

const TICKERS: Record<string, string[]> = {
  SHARE: ['SBER', 'GAZP', 'LKOH', 'YDEX', 'ROSN', 'GMKN', 'NVTK', 'TATN', 'MGNT', 'PLZL', 'OZON', 'T'],
  BOND: ['SU26238', 'SU26243', 'RU000A105', 'RU000A106', 'SU29014'],
  FUND: ['TMOS', 'SBMX', 'AKMM', 'LQDT', 'TGLD'],
  CURRENCY: ['CNYRUB_TOM', 'USDRUB_TOM'],
  GOLD: ['GLDRUB_TOM'],
};
