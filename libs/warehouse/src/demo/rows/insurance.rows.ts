import type { ClientProfile } from '../client-profile';
import { addMonths, isoDate } from '../dates';
import type { Rng } from '../rng';
import { money, type RowContext } from './row-context';

/**
 * One policy to write. Callers draw start and premium from the client's stream in this field
 * order, as object literals: keep the order or the generated data changes.
 */
interface PolicyTerms {
  type: string;
  product: string;
  /** The insured loan, for credit life insurance. */
  loanId: number | null;
  start: number;
  years: number;
  premium: number;
  sum: number;
}

/**
 * Credit life insurance for some of the client's loans, then voluntary policies by age, assets,
 * home, car and travel. Returns how many policies are active.
 */
export function writeInsurance(
  ctx: RowContext,
  p: ClientProfile,
  rng: Rng,
  loanIds: readonly number[],
): { active: number } {
  const result = { active: 0 };
  for (const loanId of loanIds)
    if (rng.chance(0.3))
      addPolicy(ctx, p, rng, result, {
        type: 'CREDIT_LIFE',
        product: 'INS_CREDIT',
        loanId,
        start: ctx.reportDay - rng.int(30, 1500),
        years: 3,
        premium: p.income * 0.4,
        sum: p.income * 20,
      });
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
    const start = Math.max(p.since, ctx.reportDay - rng.int(5, type === 'TRAVEL' ? 400 : 1200));
    addPolicy(ctx, p, rng, result, {
      type,
      product,
      loanId: null,
      start,
      years: type === 'TRAVEL' ? 0.05 : type === 'LIFE' ? 5 : 1,
      premium: p.income * (type === 'LIFE' ? 3 : 0.1 + rng.next() * 0.2),
      sum: p.income * (type === 'LIFE' ? 60 : 10),
    });
  }
  return result;
}

/** Writes one policy and, now and then, a claim on it; counts it in `result` if active. */
function addPolicy(
  ctx: RowContext,
  p: ClientProfile,
  rng: Rng,
  result: { active: number },
  policy: PolicyTerms,
): void {
  const { type, product, loanId, start, years, premium, sum } = policy;
  const end = addMonths(start, 12 * years);
  const cancelled = rng.chance(0.05);
  const status = cancelled ? 'CANCELLED' : end < ctx.reportDay ? 'EXPIRED' : 'ACTIVE';
  if (status === 'ACTIVE') result.active++;
  const policyId = ctx.ids.take('insurance_policy');
  ctx.out.push('insurance_policy', [
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
    ctx.out.push('insurance_claim', [
      ctx.ids.take('insurance_claim'),
      policyId,
      isoDate(Math.min(ctx.reportDay, start + rng.int(1, 300))),
      money(claimed),
      claimStatus === 'PAID' ? money((claimed * rng.int(60, 100)) / 100) : 0,
      claimStatus,
    ]);
  }
}

const INSURERS = [
  'СОГАЗ',
  'Ингосстрах',
  'РЕСО-Гарантия',
  'АльфаСтрахование',
  'Ренессанс Страхование',
  'Согласие',
];
