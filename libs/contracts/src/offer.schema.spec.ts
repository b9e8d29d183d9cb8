import { englishDepositOffer, russianCreditCardOffer } from './offer.fixtures';
import { offerSchema } from './offer.schema';

function issuePaths(input: unknown): string[] {
  const result = offerSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('offerSchema', () => {
  it('accepts a Russian credit-card offer sent by PUSH', () => {
    const offer = offerSchema.parse(russianCreditCardOffer);
    expect(offer.title).toBe('120 дней без процентов');
    expect(offer.channel).toBe('PUSH');
    expect(offer.conditions).toHaveLength(3);
  });

  it('accepts a minimal English offer', () => {
    expect(offerSchema.parse(englishDepositOffer)).toEqual(englishDepositOffer);
  });

  it('strips unknown fields, at the top and inside product', () => {
    const offer = offerSchema.parse({
      ...englishDepositOffer,
      priority: 'high',
      product: { type: 'deposit', legacyCode: 7 },
    });
    expect(offer).not.toHaveProperty('priority');
    expect(offer.product).toEqual({ type: 'deposit' });
  });

  it('trims text fields', () => {
    expect(offerSchema.parse({ ...englishDepositOffer, title: '  Deposit  ' }).title).toBe('Deposit');
  });

  it('rejects a missing or blank title at `title`', () => {
    const { title: _title, ...untitled } = russianCreditCardOffer;
    expect(issuePaths(untitled)).toEqual(['title']);
    expect(issuePaths({ ...russianCreditCardOffer, title: '   ' })).toEqual(['title']);
  });

  it('rejects a channel outside the list, including a lower-case one', () => {
    expect(issuePaths({ ...russianCreditCardOffer, channel: 'TELEGRAM' })).toEqual(['channel']);
    expect(issuePaths({ ...russianCreditCardOffer, channel: 'push' })).toEqual(['channel']);
  });

  it('is strict in types', () => {
    expect(issuePaths({ ...englishDepositOffer, targetSizeHint: '5000' })).toEqual(['targetSizeHint']);
    expect(issuePaths({ ...englishDepositOffer, targetSizeHint: 0.5 })).toEqual(['targetSizeHint']);
    expect(issuePaths({ ...englishDepositOffer, conditions: 'one string' })).toEqual(['conditions']);
    expect(issuePaths({ ...englishDepositOffer, product: 'deposit' })).toEqual(['product']);
    expect(issuePaths({ ...englishDepositOffer, product: {} })).toEqual(['product.type']);
  });

  it('rejects malformed or inverted validity dates', () => {
    expect(issuePaths({ ...russianCreditCardOffer, validFrom: '01.09.2025' })).toEqual(['validFrom']);
    expect(issuePaths({ ...russianCreditCardOffer, validFrom: '2025-12-01' })).toEqual(['validTo']);
  });
});
