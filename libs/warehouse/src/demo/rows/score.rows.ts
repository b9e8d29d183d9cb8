import type { ClientProfile } from '../client-profile';
import { isoDate } from '../dates';
import type { Rng } from '../rng';
import type { RowContext } from './row-context';

/**
 * Model scores (churn, PD, product propensities) from the latent profile plus noise, and the risk
 * profile graded from the PD; the worst overdue of the client's loans raises the PD. The decile is
 * written as 0 here: it ranks the client among all clients, so `rankScoreDeciles` sets it once every
 * score is loaded.
 */
export function writeScores(ctx: RowContext, p: ClientProfile, rng: Rng, maxOverdue: number): void {
  const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
  const pd = Math.min(0.99, sigmoid(-4 + p.risk * 6 + maxOverdue / 30 + rng.normal(0, 0.3)));
  const day = isoDate(ctx.reportDay - rng.int(0, 6));
  const scores: Record<string, number> = {
    // Churning and dormant clients get their noise from the second stream (it came later).
    CHURN: sigmoid(
      p.activity === 'churning'
        ? 1.2 + p.aux.normal(0, 0.5)
        : p.activity === 'dormant'
          ? 0.5 + p.aux.normal(0, 0.5)
          : -2.2 + rng.normal(0, 0.6),
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
    ctx.out.push('client_score', [p.id, type, day, v, 0]);
  }
  const grade = pd < 0.02 ? 'A' : pd < 0.05 ? 'B' : pd < 0.12 ? 'C' : pd < 0.3 ? 'D' : 'E';
  ctx.out.push('client_risk_profile', [
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
