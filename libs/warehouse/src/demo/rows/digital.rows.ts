import type { ClientProfile } from '../client-profile';
import { isoDate, isoTimestamp } from '../dates';
import type { Rng } from '../rng';
import type { RowContext } from './row-context';

/**
 * App and web sessions of the last 3 months, the digital profile, product-interest events and a
 * paid subscription. Returns the session counts per month for the monthly profile mart.
 */
export function writeDigital(ctx: RowContext, p: ClientProfile, rng: Rng): { sessionsByMonth: number[] } {
  const sessionsByMonth = [0, 0, 0];
  const mobile = p.digital && rng.chance(0.92);
  const web = p.digital ? rng.chance(0.45) : rng.chance(0.05);
  const os = mobile
    ? p.income > 120000
      ? rng.weighted([
          ['IOS', 60],
          ['ANDROID', 40],
        ] as const)
      : rng.weighted([
          ['ANDROID', 72],
          ['IOS', 24],
          ['HARMONY', 4],
        ] as const)
    : null;
  const active = p.closedDay === null && p.activity !== 'dormant' && (mobile || web);
  const perMonth = active
    ? (p.age < 40 ? 10 : 6) * (p.activity === 'churning' ? 0.4 : 1) * rng.lognormal(1, 0.5)
    : 0;
  let last: { day: number; seconds: number; channel: string } | null = null;
  let sbp = false;
  for (let back = 0; back < 3; back++) {
    const m = ctx.months[back]!;
    const n = Math.min(60, rng.poisson(perMonth));
    for (let i = 0; i < n; i++) {
      const day = Math.min(ctx.reportDay, m.start + rng.int(0, m.end - m.start));
      const seconds = rng.int(6 * 3600, 23 * 3600);
      const channel = mobile && (!web || rng.chance(0.85)) ? 'MOBILE' : 'WEB';
      const payments = rng.chance(0.4) ? rng.int(1, 3) : 0;
      if (payments > 0 && rng.chance(0.5)) sbp = true;
      ctx.out.push('digital_session', [
        ctx.ids.take('digital_session'),
        p.id,
        isoTimestamp(day, seconds),
        channel,
        rng.int(20, 900),
        rng.int(1, 40),
        payments,
      ]);
      if (day > ctx.reportDay - 30) sessionsByMonth[0]!++;
      sessionsByMonth[back]! += back === 0 ? 0 : 1;
      if (!last || day > last.day || (day === last.day && seconds > last.seconds))
        last = { day, seconds, channel };
    }
  }
  if (!last && (mobile || web) && rng.chance(0.8)) {
    last = {
      day: Math.max(p.since, ctx.reportDay - rng.int(91, 900)),
      seconds: rng.int(0, 86399),
      channel: mobile ? 'MOBILE' : 'WEB',
    };
  }
  const sessions30 = sessionsByMonth[0]!;
  const registered = mobile ? isoDate(Math.max(p.since, ctx.reportDay - rng.int(95, 2500))) : null;
  ctx.out.push('digital_profile', [
    p.id,
    mobile,
    registered,
    web,
    last ? isoTimestamp(last.day, last.seconds) : null,
    last?.channel ?? null,
    os ?? (web ? 'WEB' : null),
    mobile ? `${rng.int(14, 16)}.${rng.int(0, 9)}.${rng.int(0, 9)}` : null,
    mobile && rng.chance(0.7),
    mobile && rng.chance(0.6),
    sessions30,
    sbp,
  ]);
  if (active) {
    const interests = rng.poisson(p.age < 45 ? 2 : 0.8);
    for (let i = 0; i < interests; i++) {
      const [event, product] = rng.pick(INTERESTS(p));
      ctx.out.push('app_event', [
        ctx.ids.take('app_event'),
        p.id,
        isoTimestamp(ctx.reportDay - rng.int(0, 89), rng.int(6 * 3600, 23 * 3600)),
        event,
        product,
      ]);
    }
  }
  if (p.digital && p.closedDay === null && rng.chance(p.segment === 'MASS' ? 0.06 : 0.25)) {
    const premium = p.segment !== 'MASS' && rng.chance(0.6);
    const cancelled = rng.chance(0.2);
    const start = Math.max(p.since, ctx.reportDay - rng.int(10, 1200));
    ctx.out.push('client_subscription', [
      ctx.ids.take('client_subscription'),
      p.id,
      premium ? 'SUB_PREMIUM' : 'SUB_PLUS',
      isoDate(start),
      cancelled ? isoDate(Math.min(ctx.reportDay - 1, start + rng.int(30, 400))) : null,
      premium ? (p.assets > 3_000_000 ? 0 : 2990) : 299,
      cancelled ? 'CANCELLED' : rng.chance(0.05) ? 'PAUSED' : 'ACTIVE',
    ]);
  }
  return { sessionsByMonth };
}

/** Product pages the client may look at in the app, matched to their age, children and car. */
const INTERESTS = (p: ClientProfile): Array<[string, string | null]> => [
  ['VIEW_CREDIT_CARD', 'CC_CASHBACK'],
  ['VIEW_DEPOSIT', p.age > 50 ? 'DEP_PENSION' : 'DEP_MAX'],
  ['VIEW_MORTGAGE', p.children > 0 ? 'MORT_FAMILY' : 'MORT_PRIMARY'],
  ['VIEW_INVEST', 'INV_IIS'],
  ['VIEW_INSURANCE', p.ownsCar ? 'INS_KASKO' : 'INS_PROPERTY'],
  ['VIEW_TRAVEL', 'DC_TRAVEL'],
  ['START_APPLICATION', 'CL_CASH'],
  ['USE_CASHBACK_SELECT', null],
];
