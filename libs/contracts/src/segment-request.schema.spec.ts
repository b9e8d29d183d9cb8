import { englishDepositOffer, russianCreditCardOffer } from './offer.fixtures';
import { MAX_DEADLINE_MS, segmentRequestSchema, webhookTargetSchema } from './segment-request.schema';

function issues(input: unknown): Array<{ path: string; message: string }> {
  const result = segmentRequestSchema.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('segmentRequestSchema', () => {
  it('accepts a Russian offer with criteria a marketer already wrote, and resolves the options', () => {
    const request = segmentRequestSchema.parse({
      offer: russianCreditCardOffer,
      criteria: 'Возраст 20-25 лет\nСредние траты по картам больше 50 000 руб. в месяц',
      webhook: { url: 'https://co-marketer.bank.example/hooks/t2s?campaign=42' },
    });
    expect(request.criteria).toContain('Возраст');
    expect(request.options).toEqual({
      warehouse: 'bank',
      sampleSize: 20,
      deadlineMs: MAX_DEADLINE_MS,
      onUnparsed: 'review',
    });
  });

  it('accepts an English offer without criteria (the criteria stage generates them)', () => {
    const request = segmentRequestSchema.parse({
      offer: englishDepositOffer,
      options: {
        warehouse: 'berka',
        strategy: 'baseline',
        sampleSize: 0,
        deadlineMs: 60_000,
        onUnparsed: 'fail',
      },
    });
    expect(request.criteria).toBeUndefined();
    expect(request.options).toEqual({
      warehouse: 'berka',
      strategy: 'baseline',
      sampleSize: 0,
      deadlineMs: 60_000,
      onUnparsed: 'fail',
    });
  });

  it('rejects a missing offer title with the full path', () => {
    const { title: _title, ...offer } = russianCreditCardOffer;
    expect(issues({ offer }).map((i) => i.path)).toEqual(['offer.title']);
  });

  it('rejects unknown envelope keys so a typo is never silently ignored', () => {
    expect(issues({ offer: englishDepositOffer, critera: 'age 20-25' })).toEqual([
      { path: '', message: expect.stringContaining('critera') },
    ]);
  });

  it('rejects options out of bounds', () => {
    const bad = (options: unknown) => issues({ offer: englishDepositOffer, options }).map((i) => i.path);
    expect(bad({ deadlineMs: MAX_DEADLINE_MS + 1 })).toEqual(['options.deadlineMs']);
    expect(bad({ deadlineMs: 0 })).toEqual(['options.deadlineMs']);
    expect(bad({ sampleSize: 1001 })).toEqual(['options.sampleSize']);
    expect(bad({ strategy: 'gpt' })).toEqual(['options.strategy']);
    expect(bad({ onUnparsed: 'ignore' })).toEqual(['options.onUnparsed']);
    expect(bad({ warehouse: 'Bank; DROP TABLE' })).toEqual(['options.warehouse']);
  });

  it('rejects blank criteria', () => {
    expect(issues({ offer: englishDepositOffer, criteria: '  ' }).map((i) => i.path)).toEqual(['criteria']);
  });
});

describe('webhook target', () => {
  it.each(['https://hooks.bank.example/t2s', 'http://localhost:8080/hook', 'http://10.0.0.5:3000/x'])(
    'accepts %s',
    (url) => {
      expect(webhookTargetSchema.safeParse({ url }).success).toBe(true);
    },
  );

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'ftp://files.bank.example/x',
    'data:text/plain,hi',
    'https://user:secret@hooks.bank.example/t2s',
    'hooks.bank.example/t2s',
    `https://hooks.bank.example/${'a'.repeat(2_100)}`,
  ])('rejects %s at webhook.url', (url) => {
    expect(issues({ offer: englishDepositOffer, webhook: { url } }).map((i) => i.path)).toEqual([
      'webhook.url',
    ]);
  });
});
