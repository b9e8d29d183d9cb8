import { WEBHOOK_TOLERANCE_SECONDS, formatWebhookSignature, parseWebhookSignature } from '@t2s/contracts';
import { signWebhookBody, verifyWebhookSignature } from './signature';

const T = 1_767_225_600; // 2026-01-01T00:00:00Z
const BODY = '{"id":"x"}';

describe('webhook signatures', () => {
  it('matches an HMAC computed outside this code (openssl dgst -sha256 -hmac)', () => {
    expect(signWebhookBody('whsec_test', T, BODY)).toBe(
      `t=${T},v1=f2a0e9cc79f6a8d5063bc6718561e872509983827740ea4ee5622da1c7e8d2b4`,
    );
  });

  it('verifies what it signs, from a string or from the raw bytes', () => {
    const header = signWebhookBody('s1', T, BODY);
    expect(verifyWebhookSignature({ secret: 's1', header, rawBody: BODY, nowSeconds: T })).toEqual({
      ok: true,
    });
    const bytes = Buffer.from(BODY);
    expect(verifyWebhookSignature({ secret: 's1', header, rawBody: bytes, nowSeconds: T + 10 })).toEqual({
      ok: true,
    });
  });

  it('refuses a tampered body, another secret, and a missing or malformed header', () => {
    const header = signWebhookBody('s1', T, BODY);
    const verify = (overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({ secret: 's1', header, rawBody: BODY, nowSeconds: T, ...overrides });
    expect(verify({ rawBody: '{"id":"y"}' })).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(verify({ rawBody: `${BODY} ` })).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(verify({ secret: 's2' })).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(verify({ header: header.replace(`t=${T}`, `t=${T + 1}`) })).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
    expect(verify({ header: undefined })).toEqual({ ok: false, reason: 'missing_header' });
    expect(verify({ header: '' })).toEqual({ ok: false, reason: 'missing_header' });
    expect(verify({ header: 'v1=abc' })).toEqual({ ok: false, reason: 'malformed_header' });
    expect(verify({ header: `t=${T}` })).toEqual({ ok: false, reason: 'malformed_header' });
  });

  it('refuses timestamps outside the tolerance, in either direction', () => {
    const header = signWebhookBody('s1', T, BODY);
    const at = (nowSeconds: number, toleranceSeconds?: number) =>
      verifyWebhookSignature({ secret: 's1', header, rawBody: BODY, nowSeconds, toleranceSeconds });
    expect(at(T + WEBHOOK_TOLERANCE_SECONDS)).toEqual({ ok: true });
    expect(at(T + WEBHOOK_TOLERANCE_SECONDS + 1)).toEqual({ ok: false, reason: 'timestamp_too_old' });
    expect(at(T - WEBHOOK_TOLERANCE_SECONDS - 1)).toEqual({ ok: false, reason: 'timestamp_in_future' });
    expect(at(T + 60, 30)).toEqual({ ok: false, reason: 'timestamp_too_old' });
  });

  it('lets either side rotate first: two v1 entries, or two secrets at the receiver', () => {
    const rotating = signWebhookBody(['old', 'new'], T, BODY);
    expect(parseWebhookSignature(rotating)?.signatures).toHaveLength(2);
    for (const secret of ['old', 'new']) {
      expect(verifyWebhookSignature({ secret, header: rotating, rawBody: BODY, nowSeconds: T })).toEqual({
        ok: true,
      });
    }
    expect(
      verifyWebhookSignature({ secret: 'other', header: rotating, rawBody: BODY, nowSeconds: T }),
    ).toEqual({ ok: false, reason: 'signature_mismatch' });

    const newOnly = signWebhookBody('new', T, BODY);
    const receiver = ['old', 'new'];
    expect(
      verifyWebhookSignature({ secret: receiver, header: newOnly, rawBody: BODY, nowSeconds: T }),
    ).toEqual({
      ok: true,
    });
  });

  it('ignores signature schemes it does not know', () => {
    const v1 = parseWebhookSignature(signWebhookBody('s1', T, BODY))!.signatures;
    const header = `${formatWebhookSignature(T, v1)},v2=${'0'.repeat(64)}`;
    expect(verifyWebhookSignature({ secret: 's1', header, rawBody: BODY, nowSeconds: T })).toEqual({
      ok: true,
    });
  });

  it('refuses an empty secret instead of signing with it', () => {
    expect(() => signWebhookBody('', T, BODY)).toThrow(/non-empty/);
    expect(() => signWebhookBody([], T, BODY)).toThrow(/non-empty/);
  });
});
