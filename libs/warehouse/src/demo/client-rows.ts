import type { ClientProfile } from './client-profile';
import type { CopyWriter } from './copy-writer';
import type { ReferenceIndex } from './reference-rows';
import {
  AccountBook,
  drawMonthEndBalances,
  maybeOpenCurrentAccount,
  settleAssets,
  writeSalaryPayments,
  writeTransfers,
} from './rows/account.rows';
import { issueCards, writeCardTransactions } from './rows/card.rows';
import { writeClient } from './rows/client.rows';
import { writeDeposits, writeSavings } from './rows/deposit.rows';
import { writeDigital } from './rows/digital.rows';
import { writeInsurance } from './rows/insurance.rows';
import { writeInvestments } from './rows/investment.rows';
import { writeLoans } from './rows/loan.rows';
import { writeMarketing } from './rows/marketing.rows';
import { writeMarts } from './rows/mart.rows';
import { createRowContext, type RowContext } from './rows/row-context';
import { writeScores } from './rows/score.rows';
import { writeService } from './rows/service.rows';

/**
 * Writes every row that belongs to one client, across all subject areas. One instance per seeding
 * run (it holds the id counters); `write` is called for client ids 1..N in order.
 */
export class ClientRowWriter {
  private readonly ctx: RowContext;

  constructor(out: CopyWriter, ref: ReferenceIndex, reportDay: number) {
    this.ctx = createRowContext(out, ref, reportDay);
  }

  /**
   * The areas share the client's random stream and the id counters, so their order is part of the
   * output: reordering these calls changes every value generated after the move.
   */
  write(p: ClientProfile): void {
    const ctx = this.ctx;
    const { rng } = p;
    const branchIds = ctx.ref.branchesByCity.get(p.city.id)!;
    const branch = rng.pick(branchIds);
    writeClient(ctx, p, rng, branch);

    const accounts = new AccountBook(ctx, p, branchIds);
    const { cards, creditCard } = issueCards(ctx, p, rng, accounts);
    const monthly = writeCardTransactions(ctx, p, rng, cards);
    const salaryAccount = writeSalaryPayments(ctx, p, rng, accounts, cards);
    maybeOpenCurrentAccount(ctx, p, rng, accounts);
    const depositsActive = writeDeposits(ctx, p, rng, accounts);
    const savingsActive = writeSavings(ctx, p, rng, accounts);
    const loans = writeLoans(ctx, p, rng, accounts, creditCard);
    // Every account is open by now: balances and transfers cover them all.
    const balances = drawMonthEndBalances(ctx, p, rng, accounts, monthly);
    writeTransfers(ctx, p, rng, accounts);

    const insurance = writeInsurance(ctx, p, rng, loans.ids);
    const brokerage = writeInvestments(ctx, p, rng);
    const balanceByMonth = settleAssets(ctx, p, balances, brokerage.portfolioByMonth);
    const digital = writeDigital(ctx, p, rng);
    writeMarketing(ctx, p, rng);
    writeScores(ctx, p, rng, loans.maxOverdue);
    writeService(ctx, p, rng, branchIds);

    writeMarts(ctx, p, rng, {
      cards,
      accounts: accounts.accounts,
      monthly,
      balanceByMonth,
      salaryAccount,
      depositsActive,
      savingsActive,
      loans,
      insuranceActive: insurance.active,
      investmentsActive: brokerage.active,
      brokerageActive: brokerage.brokerageActive,
      portfolioByMonth: brokerage.portfolioByMonth,
      sessionsByMonth: digital.sessionsByMonth,
    });
  }
}
