import type { ClientProfile } from '../client-profile';
import { isoDate } from '../dates';
import type { Rng } from '../rng';
import type { RowContext } from './row-context';

/**
 * Service requests of the last year (churning clients complain more) and branch visits (fewer for
 * digital clients), at the branches of the client's city.
 */
export function writeService(
  ctx: RowContext,
  p: ClientProfile,
  rng: Rng,
  branchIds: readonly number[],
): void {
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
    ctx.out.push('service_request', [
      ctx.ids.take('service_request'),
      p.id,
      isoDate(ctx.reportDay - rng.int(0, 364)),
      kind,
      rng.pick(TOPICS),
      rng.pick(['CALL', 'CHAT', 'BRANCH', 'EMAIL']),
      status,
      status === 'OPEN' || rng.chance(0.5) ? null : rng.int(1, 5),
    ]);
  }
  const visits = rng.poisson(p.digital ? 0.4 : 2);
  for (let i = 0; i < visits; i++) {
    ctx.out.push('branch_visit', [
      ctx.ids.take('branch_visit'),
      p.id,
      rng.pick(branchIds),
      isoDate(ctx.reportDay - rng.int(0, 364)),
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

const TOPICS = [
  'CARD_ISSUE',
  'DISPUTE',
  'LOAN_QUESTION',
  'TARIFF',
  'APP_PROBLEM',
  'SERVICE_QUALITY',
  'CLOSE_PRODUCT',
];
