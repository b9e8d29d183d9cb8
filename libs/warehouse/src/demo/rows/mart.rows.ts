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
  /** Total non-loan balance at the end of each of the last 3 months. */
  balanceByMonth: readonly number[];
  salaryAccount: number | null;
  depositsActive: number;
  savingsActive: number;
  loans: LoanSummary;
  insuranceActive: number;
  brokerageActive: number;
  sessionsByMonth: readonly number[];
}

/**
 * Segment history and analytics marts: client_segment_history, client_monthly_profile,
 * card_cashback_monthly and client_product_summary.
 */
export function writeMarts(ctx: RowContext, p: ClientProfile, rng: Rng, facts: ClientFacts): void {
  for (let back = 0; back < MONTHS; back++) {
    const m = ctx.months[back]!;
    if (m.end < p.since) continue;
    const drift = p.assets * (1 - back * 0.015) * rng.lognormal(1, 0.05);
    ctx.out.push('client_segment_history', [
      p.id,
      isoDate(m.end),
      back > 8 && p.segment === 'AFFLUENT' && rng.chance(0.3) ? 'MASS' : p.segment,
      money(Math.max(0, drift)),
    ]);
  }
  const { cards, loans } = facts;
  const activeProducts =
    cards.filter((c) => c.closed === null).length +
    facts.depositsActive +
    facts.savingsActive +
    loans.active +
    facts.brokerageActive;
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
      p.segment,
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
    cards.filter((c) => !c.credit && c.closed === null).length,
    cards.filter((c) => c.credit && c.closed === null).length,
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
