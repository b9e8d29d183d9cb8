import type { ClientProfile } from '../client-profile';
import { addMonths, isoDate } from '../dates';
import type { Rng } from '../rng';
import type { AccountBook } from './account.rows';
import { money, type RowContext } from './row-context';

/**
 * Term deposits (more likely with age and assets) with their operations. Returns how many are
 * still active.
 */
export function writeDeposits(ctx: RowContext, p: ClientProfile, rng: Rng, accounts: AccountBook): number {
  let depositsActive = 0;
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
    const open = Math.max(p.since, ctx.reportDay - rng.int(10, 1200));
    const maturity = addMonths(open, term);
    const closedEarly = rng.chance(0.1) ? Math.min(ctx.reportDay - 1, open + rng.int(15, 200)) : null;
    const closeDay =
      p.closedDay ?? closedEarly ?? (maturity < ctx.reportDay && rng.chance(0.6) ? maturity : null);
    const amount = Math.round(Math.max(10000, p.assets * rng.next() * 0.6) / 1000) * 1000;
    const rateToRub = currency === 'USD' ? 92.5 : currency === 'CNY' ? 12.7 : 1;
    const accountId = accounts.open(
      'DEPOSIT',
      product,
      currency,
      open,
      closeDay,
      closeDay === null ? amount * rateToRub : 0,
    );
    const id = ctx.ids.take('deposit');
    const active = closeDay === null;
    if (active) depositsActive++;
    ctx.out.push('deposit', [
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
        ? money(amount * rateToRub * (1 + ((rate / 100) * Math.min(term, (ctx.reportDay - open) / 30)) / 12))
        : 0,
      rate,
      product !== 'DEP_MAX',
      rng.chance(0.6),
      rng.chance(0.7),
      active ? 'ACTIVE' : 'CLOSED',
      active ? null : isoDate(closeDay),
    ]);
    ctx.out.push('deposit_operation', [ctx.ids.take('deposit_operation'), id, isoDate(open), 'OPEN', amount]);
    if (rng.chance(0.4))
      ctx.out.push('deposit_operation', [
        ctx.ids.take('deposit_operation'),
        id,
        isoDate(Math.min(ctx.reportDay, open + rng.int(20, 300))),
        product === 'DEP_MAX' ? 'INTEREST' : 'TOPUP',
        money(amount * rng.next() * 0.2),
      ]);
    if (!active)
      ctx.out.push('deposit_operation', [
        ctx.ids.take('deposit_operation'),
        id,
        isoDate(closeDay),
        'CLOSE',
        money(amount * 1.05),
      ]);
  }
  return depositsActive;
}

/** A savings account for some active clients, digital ones more often. Returns 1 if opened, else 0. */
export function writeSavings(ctx: RowContext, p: ClientProfile, rng: Rng, accounts: AccountBook): number {
  if (p.closedDay !== null || !rng.chance(p.digital ? 0.35 : 0.1)) return 0;
  const open = Math.max(p.since, ctx.reportDay - rng.int(10, 1500));
  const balance = money(Math.max(0, p.assets * rng.next() * 0.3));
  const accountId = accounts.open('SAVINGS', 'SAV_DAILY', 'RUB', open, null, balance);
  ctx.out.push('savings_account', [
    ctx.ids.take('savings_account'),
    p.id,
    accountId,
    isoDate(open),
    10 + rng.int(0, 60) / 10,
    balance,
    true,
  ]);
  return 1;
}
