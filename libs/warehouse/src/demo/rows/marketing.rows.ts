import type { ClientProfile } from '../client-profile';
import { isoDate } from '../dates';
import type { Rng } from '../rng';
import type { RowContext } from './row-context';

/**
 * Contact consents per channel, the stop list (always for clients who left), and campaign contacts
 * with the responses they led to; only clients with a granted channel are contacted often.
 */
export function writeMarketing(ctx: RowContext, p: ClientProfile, rng: Rng): void {
  const granted = new Set<string>();
  for (const [channel, chance] of [
    ['SMS', 0.75],
    ['PUSH', p.digital ? 0.85 : 0],
    ['EMAIL', 0.55],
    ['CALL', 0.5],
    ['MESSENGER', 0.25],
  ] as const) {
    if (!rng.chance(chance)) continue;
    const revoked = rng.chance(0.08);
    if (!revoked) granted.add(channel);
    const from = Math.max(p.since, ctx.reportDay - rng.int(30, 3000));
    ctx.out.push('marketing_consent', [
      p.id,
      channel,
      !revoked,
      isoDate(from),
      revoked ? isoDate(Math.min(ctx.reportDay - 1, from + rng.int(10, 900))) : null,
    ]);
  }
  if (rng.chance(0.025) || p.closedDay !== null) {
    const reason =
      p.closedDay !== null
        ? rng.weighted([
            ['CLIENT_REQUEST', 60],
            ['DECEASED', 20],
            ['BANKRUPTCY', 20],
          ] as const)
        : rng.weighted([
            ['CLIENT_REQUEST', 55],
            ['COMPLAINT', 25],
            ['FRAUD', 8],
            ['BANKRUPTCY', 6],
            ['LEGAL', 6],
          ] as const);
    const channel =
      reason === 'CLIENT_REQUEST' && rng.chance(0.5) ? rng.pick(['SMS', 'CALL', 'EMAIL']) : null;
    ctx.out.push('stop_list', [
      ctx.ids.take('stop_list'),
      p.id,
      reason,
      channel,
      isoDate(ctx.reportDay - rng.int(0, 1500)),
      rng.chance(0.2) ? isoDate(ctx.reportDay + rng.int(-200, 400)) : null,
    ]);
  }
  if (p.closedDay !== null) return;
  const contacts = rng.poisson(granted.size > 0 ? 3 : 0.5);
  for (let i = 0; i < contacts; i++) {
    const campaign = rng.pick(ctx.ref.campaigns);
    const contactId = ctx.ids.take('campaign_contact');
    const day = Math.min(ctx.reportDay, campaign.start + rng.int(0, campaign.end - campaign.start));
    const control = rng.chance(0.1);
    const delivered = control
      ? 'FAILED'
      : campaign.channel === 'CALL'
        ? rng.weighted([
            ['DELIVERED', 55],
            ['NO_ANSWER', 45],
          ] as const)
        : rng.chance(0.9)
          ? 'DELIVERED'
          : 'FAILED';
    ctx.out.push('campaign_contact', [
      contactId,
      campaign.id,
      p.id,
      campaign.channel,
      isoDate(day),
      delivered,
      control,
    ]);
    if (control || delivered !== 'DELIVERED') continue;
    const ladder = ['OPENED', 'CLICKED', 'APPLIED', 'PURCHASED'];
    let step = 0;
    while (step < ladder.length && rng.chance(step === 0 ? 0.45 : 0.3)) {
      ctx.out.push('campaign_response', [
        ctx.ids.take('campaign_response'),
        contactId,
        p.id,
        isoDate(Math.min(ctx.reportDay, day + step)),
        ladder[step]!,
      ]);
      step++;
    }
    if (rng.chance(0.01))
      ctx.out.push('campaign_response', [
        ctx.ids.take('campaign_response'),
        contactId,
        p.id,
        isoDate(Math.min(ctx.reportDay, day + 1)),
        'UNSUBSCRIBED',
      ]);
  }
}
