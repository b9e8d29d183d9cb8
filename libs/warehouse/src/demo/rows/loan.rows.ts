import type { ClientProfile } from '../client-profile';
import { addMonths, isoDate } from '../dates';
import type { Cell } from '../copy-writer';
import type { Rng } from '../rng';
import type { AccountBook } from './account.rows';
import type { Card } from './card.rows';
import { MONTHS, money, type RowContext } from './row-context';

type LoanType = 'CONSUMER' | 'MORTGAGE' | 'CAR' | 'REFINANCE' | 'CREDIT_CARD';

/** What the later areas (insurance, scores, marts) need to know about the client's loans. */
export interface LoanSummary {
  ids: number[];
  active: number;
  activeNonCard: number;
  mortgages: number;
  debt: number;
  maxOverdue: number;
}

/**
 * One loan to issue. Callers draw principal, term, rate and product from the client's stream in
 * this field order, as object literals: keep the order or the generated data changes.
 */
interface LoanTerms {
  type: LoanType;
  /** The account the loan is booked on: null opens a LOAN account for it. */
  accountId: number | null;
  issue: number;
  principal: number;
  term: number;
  rate: number;
  product: string;
  /** The credit card a CREDIT_CARD loan is: its limit is the principal, and the loan closes with it. */
  card?: Card;
}

/**
 * Cash, refinancing, mortgage and car loans the client wants by age, risk, children and car, the
 * credit card's loan, a declined or withdrawn application and the credit bureau report.
 */
export function writeLoans(
  ctx: RowContext,
  p: ClientProfile,
  rng: Rng,
  accounts: AccountBook,
  creditCard: Card | undefined,
): LoanSummary {
  const result: LoanSummary = { ids: [], active: 0, activeNonCard: 0, mortgages: 0, debt: 0, maxOverdue: 0 };
  const wants: Array<'CONSUMER' | 'MORTGAGE' | 'CAR' | 'REFINANCE'> = [];
  if (p.age >= 21 && p.age <= 70) {
    if (rng.chance(0.22 * (0.6 + p.risk))) wants.push('CONSUMER');
    if (p.age <= 50 && rng.chance(p.age < 40 ? 0.14 + p.children * 0.04 : 0.08)) wants.push('MORTGAGE');
    if (p.ownsCar && rng.chance(0.12)) wants.push('CAR');
    if (rng.chance(0.03)) wants.push('REFINANCE');
  }
  const windowStart = (years: number): number => Math.max(p.since, ctx.reportDay - 365 * years);
  for (const type of wants) {
    const issue =
      windowStart(type === 'MORTGAGE' ? 10 : 5) +
      rng.int(0, Math.max(1, ctx.reportDay - windowStart(type === 'MORTGAGE' ? 10 : 5) - 20));
    if (p.closedDay !== null && issue >= p.closedDay) continue;
    if (type === 'MORTGAGE') {
      const product =
        p.children > 0 && rng.chance(0.5)
          ? 'MORT_FAMILY'
          : p.industry === 'IT' && rng.chance(0.6)
            ? 'MORT_IT'
            : rng.pick(['MORT_PRIMARY', 'MORT_SECONDARY']);
      addLoan(ctx, p, rng, accounts, result, {
        type: 'MORTGAGE',
        accountId: null,
        issue,
        principal: Math.round(Math.min(30_000_000, p.income * rng.int(40, 110)) / 10000) * 10000,
        term: rng.pick([120, 180, 240, 300, 360]),
        rate: product === 'MORT_FAMILY' ? 6 : product === 'MORT_IT' ? 5 : 8 + rng.int(0, 140) / 10,
        product,
      });
    } else if (type === 'CAR') {
      addLoan(ctx, p, rng, accounts, result, {
        type: 'CAR',
        accountId: null,
        issue,
        principal: Math.round(rng.lognormal(1_400_000, 0.4) / 10000) * 10000,
        term: rng.pick([36, 48, 60, 84]),
        rate: 12 + rng.int(0, 120) / 10,
        product: rng.chance(0.6) ? 'CAR_NEW' : 'CAR_USED',
      });
    } else {
      addLoan(ctx, p, rng, accounts, result, {
        type,
        accountId: null,
        issue,
        principal: Math.round(Math.max(30000, p.income * rng.lognormal(6, 0.6)) / 1000) * 1000,
        term: rng.pick([12, 24, 36, 48, 60]),
        rate: 16 + rng.int(0, 150) / 10,
        product: type === 'REFINANCE' ? 'CL_REFI' : 'CL_CASH',
      });
    }
  }
  if (creditCard)
    addLoan(ctx, p, rng, accounts, result, {
      type: 'CREDIT_CARD',
      accountId: creditCard.accountId,
      issue: creditCard.issue,
      principal: creditCard.limit ?? 0,
      term: 60,
      rate: 34.9,
      product: creditCard.product,
      card: creditCard,
    });
  // Rejected or withdrawn applications over the last 24 months.
  if (p.closedDay === null && rng.chance(0.06 + p.risk * 0.2)) {
    const rejected = rng.chance(0.7);
    ctx.out.push('loan_application', [
      ctx.ids.take('loan_application'),
      p.id,
      isoDate(ctx.reportDay - rng.int(1, 730)),
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
    ctx.out.push('credit_bureau_report', [
      ctx.ids.take('credit_bureau_report'),
      p.id,
      isoDate(ctx.reportDay - rng.int(0, 365)),
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

/**
 * Writes one loan with its collateral (property or vehicle), the payments of the last 12 months and
 * the approved application, and adds it to `result`.
 */
function addLoan(
  ctx: RowContext,
  p: ClientProfile,
  rng: Rng,
  accounts: AccountBook,
  result: LoanSummary,
  loan: LoanTerms,
): void {
  const { type, accountId, issue, principal, term, rate, product, card } = loan;
  const id = ctx.ids.take('loan');
  const maturity = addMonths(issue, term);
  const monthsRun = Math.max(0, Math.floor((ctx.reportDay - issue) / 30.4));
  // A credit card's line is open exactly while the card is (ACTIVE or BLOCKED).
  const paidOff = card
    ? card.closed !== null
    : maturity <= ctx.reportDay || (rng.chance(0.12) && monthsRun > 6);
  const troubled = !paidOff && rng.chance(p.risk * 0.25);
  const overdue = troubled
    ? rng.weighted([
        [rng.int(1, 30), 60],
        [rng.int(31, 90), 25],
        [rng.int(91, 400), 15],
      ] as const)
    : 0;
  // A late payment within the year, besides the current overdue; loans with a payment schedule
  // book it on one of their payments below, and their 12-month maximum is taken from that history.
  const lateSpike = rng.chance(p.risk * 0.4) ? rng.int(1, 45) : 0;
  let maxOverdue = Math.max(overdue, lateSpike);
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
  const outstanding = paidOff
    ? 0
    : type === 'CREDIT_CARD'
      ? principal * rng.next() * 0.8
      : principal * Math.max(0.02, 1 - monthsRun / term) ** 0.8;
  // A credit card's payment is the minimum payment, 5% of the debt.
  const payment =
    type === 'CREDIT_CARD'
      ? outstanding * 0.05
      : (principal * monthlyRate) / (1 - (1 + monthlyRate) ** -term);
  const closeDay = !paidOff
    ? null
    : card
      ? Math.min(ctx.reportDay - 1, card.closed!)
      : Math.min(ctx.reportDay - 1, maturity, issue + rng.int(180, Math.max(181, term * 30)));
  if (card && accountId !== null) accounts.setDebt(accountId, outstanding, principal);
  const account = accountId ?? accounts.open('LOAN', product, 'RUB', issue, closeDay, -outstanding);
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
            : rng.pick(['GENERAL', 'GENERAL', 'HOME_RENOVATION', 'EDUCATION', 'TRAVEL', 'MEDICAL'] as const);
  // Pushed after the payments, whose late days give the 12-month maximum overdue.
  const row: Cell[] = [
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
  ];
  result.ids.push(id);
  if (!paidOff) {
    result.active++;
    result.debt += outstanding;
    if (type !== 'CREDIT_CARD') result.activeNonCard++;
    if (type === 'MORTGAGE') result.mortgages++;
  }
  if (type === 'MORTGAGE') {
    const value = (principal / rng.int(55, 85)) * 100;
    ctx.out.push('mortgage_property', [
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
    ctx.out.push('car_loan_vehicle', [
      id,
      rng.pick(CAR_BRANDS),
      isNew ? 2025 + (rng.chance(0.5) ? 1 : 0) : rng.int(2012, 2023),
      isNew,
      money((principal * rng.int(110, 160)) / 100),
    ]);
  }
  // Monthly payments within the last 12 months.
  if (type !== 'CREDIT_CARD') {
    const payments: Array<{ id: number; due: number; late: number; unpaid: boolean }> = [];
    for (let back = 0; back < MONTHS; back++) {
      const m = ctx.months[back]!;
      const due = m.start + (issue % 28 || 5);
      if (due <= issue || due > (closeDay ?? ctx.reportDay) || due > ctx.reportDay) continue;
      const unpaid = back === 0 && overdue > 0;
      const late = unpaid ? overdue : rng.chance(p.risk * 0.08) ? rng.int(1, 20) : 0;
      payments.push({ id: ctx.ids.take('loan_payment'), due, late, unpaid });
    }
    if (lateSpike > 0 && payments.length > 0) {
      const spiked = payments[id % payments.length]!;
      if (!spiked.unpaid)
        spiked.late = Math.max(spiked.late, Math.min(lateSpike, ctx.reportDay - spiked.due));
    }
    maxOverdue = overdue;
    for (const pay of payments) {
      const paid = pay.unpaid ? null : Math.min(pay.due + pay.late, ctx.reportDay);
      // Late days as the paid date shows them (a payment is never late past the report date).
      const late = paid === null ? pay.late : paid - pay.due;
      maxOverdue = Math.max(maxOverdue, late);
      ctx.out.push('loan_payment', [
        pay.id,
        id,
        isoDate(pay.due),
        paid === null ? null : isoDate(paid),
        money(payment),
        paid === null ? 0 : money(payment),
        late,
      ]);
    }
  }
  row[14] = maxOverdue;
  ctx.out.push('loan', row);
  result.maxOverdue = Math.max(result.maxOverdue, maxOverdue);
  // The application that led to it.
  ctx.out.push('loan_application', [
    ctx.ids.take('loan_application'),
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
}

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
