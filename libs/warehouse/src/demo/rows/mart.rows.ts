import type { ClientProfile } from '../client-profile';
import { isoDate } from '../dates';
import type { Rng } from '../rng';
import type { OpenedAccount } from './account.rows';
import type { Card, MonthTotals } from './card.rows';
import type { LoanSummary } from './loan.rows';
import { MONTHS, money, type RowContext } from './row-context';

/** What the subject areas wrote for one client, summed up by the analytics marts. */
export interface ClientFacts {
  cards: readonly Card[];
  accounts: readonly OpenedAccount[];
  /** Card spending per month, newest first. */
  monthly: readonly MonthTotals[];
  /** Money on accounts (loan and credit-card accounts excluded) at each of the last MONTHS month ends. */
  balanceByMonth: readonly number[];
  /** Portfolio value of the brokerage accounts at each of the last MONTHS month ends. */
  portfolioByMonth: readonly number[];
  salaryAccount: number | null;
  depositsActive: number;
  savingsActive: number;
  loans: LoanSummary;
  insuranceActive: number;
  /** Active investment products (open brokerage accounts and fund holdings). */
  investmentsActive: number;
  /** Open brokerage accounts and IIS only. */
  brokerageActive: number;
  sessionsByMonth: readonly number[];
}

/**
 * Segment history and analytics marts: client_segment_history, client_monthly_profile,
 * card_cashback_monthly and client_product_summary.
 */
export function writeMarts(ctx: RowContext, p: ClientProfile, rng: Rng, facts: ClientFacts): void {
  const segments = segmentByMonth(p, rng);
  for (let back = 0; back < MONTHS; back++) {
    const m = ctx.months[back]!;
    if (m.end < p.since) continue;
    ctx.out.push('client_segment_history', [
      p.id,
      isoDate(m.end),
      segments[back],
      money(facts.balanceByMonth[back]! + facts.portfolioByMonth[back]!),
    ]);
  }
  const { cards, loans } = facts;
  const activeCards = cards.filter((c) => c.status === 'ACTIVE');
  const activeProducts =
    activeCards.length + facts.depositsActive + facts.savingsActive + loans.active + facts.investmentsActive;
  for (let back = 0; back < 3; back++) {
    const m = ctx.months[back]!;
    if (m.end < p.since || (p.closedDay !== null && p.closedDay < m.start)) continue;
    const t = facts.monthly[back]!;
    const salary = facts.salaryAccount === null ? 0 : p.income * (p.closedDay !== null ? 0 : 1);
    ctx.out.push('client_monthly_profile', [
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
      money(facts.balanceByMonth[back]!),
      money(loans.debt),
      facts.sessionsByMonth[back] ?? 0,
      activeProducts,
      segments[back],
    ]);
    for (const [group, v] of t.byGroup) {
      if (v.cashback > 0)
        ctx.out.push('card_cashback_monthly', [
          p.id,
          isoDate(m.end),
          group,
          money(v.cashback),
          money(v.spend),
        ]);
    }
  }
  const productDays = [p.since, ...facts.accounts.map((a) => a.open)].sort((a, b) => a - b);
  ctx.out.push('client_product_summary', [
    p.id,
    activeCards.filter((c) => !c.credit).length,
    activeCards.filter((c) => c.credit).length,
    facts.depositsActive,
    facts.savingsActive,
    loans.activeNonCard,
    loans.mortgages,
    facts.insuranceActive,
    facts.brokerageActive > 0,
    isoDate(productDays[0]!),
    isoDate(productDays[productDays.length - 1]!),
    activeProducts,
  ]);
}

/** Where a client who changed segment in the year came from: mostly one step up the ladder. */
const PREVIOUS_SEGMENT: Record<
  ClientProfile['segment'],
  Array<readonly [ClientProfile['segment'], number]>
> = {
  MASS: [['AFFLUENT', 1]],
  AFFLUENT: [
    ['MASS', 75],
    ['PREMIUM', 25],
  ],
  PREMIUM: [
    ['AFFLUENT', 85],
    ['PRIVATE', 15],
  ],
  PRIVATE: [['PREMIUM', 1]],
};
const MOVE_CHANCE: Record<ClientProfile['segment'], number> = {
  MASS: 0.04,
  AFFLUENT: 0.25,
  PREMIUM: 0.18,
  PRIVATE: 0.12,
};

/**
 * The client's segment at each of the last MONTHS month ends, newest first: the current one, and
 * for a client who moved, the previous one before a month spread evenly over the year.
 */
function segmentByMonth(p: ClientProfile, rng: Rng): Array<ClientProfile['segment']> {
  const segments = new Array<ClientProfile['segment']>(MONTHS).fill(p.segment);
  if (rng.chance(MOVE_CHANCE[p.segment])) {
    const movedBack = rng.int(1, MONTHS - 1);
    const previous = rng.weighted(PREVIOUS_SEGMENT[p.segment]);
    for (let back = movedBack; back < MONTHS; back++) segments[back] = previous;
  }
  return segments;
}
