import type { ClientProfile } from '../client-profile';
import { isoDate } from '../dates';
import type { Rng } from '../rng';
import type { Card, MonthTotals } from './card.rows';
import { MONTHS, money, productDay, type RowContext } from './row-context';

/** An account as the later tables need it: month-end balances, transfers, product dates. */
export interface OpenedAccount {
  id: number;
  type: string;
  open: number;
  close: number | null;
  /**
   * Balance the month-end rows start from (debit card accounts draw theirs from income instead);
   * negative on loan and credit-card accounts, whose report-date balance is exactly minus the debt.
   */
  balance: number;
  /** Credit limit of a credit card's account: its debt never goes beyond it. */
  creditLimit: number | null;
}

const NUMBER_PREFIX: Record<string, string> = {
  CURRENT: '40817',
  CARD: '40817',
  SAVINGS: '42301',
  DEPOSIT: '42306',
  LOAN: '45507',
};

/**
 * One client's accounts: every product (card, deposit, savings, loan) opens its account here, and
 * the month-end balances and transfers are written from the list afterwards.
 */
export class AccountBook {
  readonly accounts: OpenedAccount[] = [];

  constructor(
    private readonly ctx: RowContext,
    private readonly p: ClientProfile,
    private readonly branchIds: readonly number[],
  ) {}

  open(
    type: string,
    product: string,
    currency: string,
    open: number,
    close: number | null,
    balance: number,
  ): number {
    const { rng } = this.p;
    const id = this.ctx.ids.take('account');
    const prefix = NUMBER_PREFIX[type] ?? '40817';
    const number = `${prefix}${currency === 'RUB' ? '810' : currency === 'USD' ? '840' : currency === 'EUR' ? '978' : '156'}${String(id).padStart(12, '0')}`;
    this.ctx.out.push('account', [
      id,
      this.p.id,
      number,
      type,
      product,
      currency,
      rng.pick(this.branchIds),
      isoDate(open),
      close === null ? null : isoDate(close),
      close === null ? (rng.chance(0.005) ? 'FROZEN' : 'OPEN') : 'CLOSED',
    ]);
    this.accounts.push({ id, type, open, close, balance, creditLimit: null });
    return id;
  }

  /** Books a credit card's debt on its account: the balance is minus the debt, within the limit. */
  setDebt(accountId: number, debt: number, limit: number): void {
    const account = this.accounts.find((a) => a.id === accountId)!;
    account.balance = -debt;
    account.creditLimit = limit;
  }
}

/**
 * Salary (advance and main part) or pension inflows of the last 12 months, to the first debit card's
 * account or a current account opened for them. Returns that account, or null when there are none.
 */
export function writeSalaryPayments(
  ctx: RowContext,
  p: ClientProfile,
  rng: Rng,
  accounts: AccountBook,
  cards: readonly Card[],
): number | null {
  if (!p.salaryProject && p.employment !== 'PENSIONER') return null;
  const alive = (day: number): boolean => p.closedDay === null || day < p.closedDay;
  const card = cards.find((c) => !c.credit);
  const salaryAccount =
    card?.accountId ?? accounts.open('CURRENT', 'CUR_ACCOUNT', 'RUB', p.since, p.closedDay, 0);
  const payer = String(7700000000 + (p.id % 9000) * 1000 + rng.int(0, 999));
  for (let back = 0; back < MONTHS; back++) {
    const m = ctx.months[back]!;
    if (!alive(m.end) || m.start < p.since) continue;
    if (p.employment === 'PENSIONER') {
      ctx.out.push('salary_payment', [
        ctx.ids.take('salary_payment'),
        p.id,
        salaryAccount,
        isoDate(m.start + rng.int(2, 20)),
        money(p.income * rng.lognormal(1, 0.02)),
        'PENSION',
        '7706016118',
      ]);
    } else {
      ctx.out.push('salary_payment', [
        ctx.ids.take('salary_payment'),
        p.id,
        salaryAccount,
        isoDate(m.start + 19),
        money(p.income * 0.4),
        'ADVANCE',
        payer,
      ]);
      ctx.out.push('salary_payment', [
        ctx.ids.take('salary_payment'),
        p.id,
        salaryAccount,
        isoDate(m.start + 4),
        money(p.income * 0.6 * rng.lognormal(1, 0.05)),
        back % 3 === 0 && rng.chance(0.3) ? 'BONUS' : 'SALARY',
        payer,
      ]);
    }
  }
  return salaryAccount;
}

/** Some clients keep a current account besides their cards, now and then in dollars. */
export function maybeOpenCurrentAccount(
  ctx: RowContext,
  p: ClientProfile,
  rng: Rng,
  accounts: AccountBook,
): void {
  if (rng.chance(0.15))
    accounts.open(
      'CURRENT',
      'CUR_ACCOUNT',
      rng.chance(0.8) ? 'RUB' : 'USD',
      productDay(ctx, p),
      null,
      p.assets * 0.05,
    );
}

/** A month-end balance row, kept until the client's assets are settled (see `settleAssets`). */
interface BalanceRow {
  account: OpenedAccount;
  back: number;
  end: number;
  /** Average balance over month-end balance, drawn with the row. */
  averageFactor: number;
  debitTurnover: number;
  creditTurnover: number;
}

/** The month-end balances of one client's accounts, drawn but not yet written. */
export interface MonthEndBalances {
  rows: BalanceRow[];
}

/**
 * Draws month-end balances for every account open in the month. Loan and credit-card accounts end
 * the report month at exactly minus their debt, and a card's debt stays within its limit. The rows
 * are written by `settleAssets`, once the client's portfolio is known.
 */
export function drawMonthEndBalances(
  ctx: RowContext,
  p: ClientProfile,
  rng: Rng,
  accounts: AccountBook,
  monthly: readonly MonthTotals[],
): MonthEndBalances {
  const rows: BalanceRow[] = [];
  for (const account of accounts.accounts) {
    const credit = account.creditLimit !== null;
    const debt = account.type === 'LOAN' || credit;
    // Drawn for every card account, credit or not, so the stream stays as it was.
    const drawn = account.type === 'CARD' ? p.income * rng.lognormal(0.5, 0.8) : account.balance;
    const base = credit ? account.balance : drawn;
    for (let back = 0; back < MONTHS; back++) {
      const m = ctx.months[back]!;
      if (account.open > m.end || (account.close !== null && account.close <= m.start)) continue;
      const closedNow = account.close !== null && account.close <= m.end;
      const drift = rng.lognormal(1, 0.15);
      let end = closedNow ? 0 : money(base * (1 - back * 0.01) * drift);
      if (debt && back === 0 && !closedNow) end = -money(-base);
      if (credit) end = Math.max(end, -account.creditLimit!);
      const spendShare = account.type === 'CARD' ? (monthly[back]?.spend ?? 0) : 0;
      const averageFactor = rng.lognormal(1, 0.1);
      rows.push({
        account,
        back,
        end,
        averageFactor,
        debitTurnover: money(spendShare),
        creditTurnover: money(account.type === 'CARD' ? spendShare * rng.lognormal(1, 0.2) : 0),
      });
    }
  }
  return { rows };
}

/** Accounts that hold a client's free money, in the order the rest of their assets goes to. */
const EVERYDAY_ACCOUNT = ['CURRENT', 'CARD'];

/**
 * Writes the month-end balances so that the client's money with the bank (accounts other than loan
 * and credit-card ones, plus the brokerage portfolio) comes to about the assets the profile gives
 * the client, which set the segment: what the products do not hold sits on the client's open
 * current or debit card account. Returns that money at each of the last MONTHS month ends, newest
 * first, which the segment history and monthly mart report.
 */
export function settleAssets(
  ctx: RowContext,
  p: ClientProfile,
  balances: MonthEndBalances,
  portfolioByMonth: readonly number[],
): number[] {
  const isDebt = (a: OpenedAccount): boolean => a.type === 'LOAN' || a.creditLimit !== null;
  const free = new Array<number>(MONTHS).fill(0);
  for (const row of balances.rows) if (!isDebt(row.account)) free[row.back]! += row.end;
  let everyday: OpenedAccount | undefined;
  for (const type of EVERYDAY_ACCOUNT) {
    everyday ??= balances.rows.find(
      (r) => r.account.type === type && r.account.close === null && !isDebt(r.account),
    )?.account;
  }
  for (const row of balances.rows) {
    if (row.account === everyday) {
      const target = p.assets * (1 - row.back * 0.015) * p.aux.lognormal(1, 0.05);
      const rest = money(target - free[row.back]! - portfolioByMonth[row.back]!);
      if (rest > 0) {
        row.end = money(row.end + rest);
        free[row.back] = free[row.back]! + rest;
      }
    }
    ctx.out.push('account_balance_monthly', [
      row.account.id,
      isoDate(ctx.months[row.back]!.end),
      row.end,
      money(row.end * row.averageFactor),
      row.debitTurnover,
      row.creditTurnover,
    ]);
  }
  return free.map(money);
}

/** Transfers over the last 6 months, from the client's first open non-loan account. */
export function writeTransfers(ctx: RowContext, p: ClientProfile, rng: Rng, accounts: AccountBook): void {
  const anyAccount = accounts.accounts.find((a) => a.close === null && a.type !== 'LOAN');
  if (!anyAccount || p.activity === 'dormant') return;
  const n = rng.poisson(p.digital ? 8 : 2);
  for (let i = 0; i < n; i++) {
    const type = rng.weighted([
      ['SBP', p.digital ? 70 : 20],
      ['INTERNAL', 15],
      ['REQUISITES', 12],
      ['ABROAD', p.traveller ? 3 : 0.3],
    ] as const);
    ctx.out.push('account_transfer', [
      ctx.ids.take('account_transfer'),
      p.id,
      anyAccount.id,
      isoDate(ctx.reportDay - rng.int(0, 182)),
      money(rng.lognormal(5000, 1) + 100),
      type,
      type !== 'INTERNAL',
    ]);
  }
}
