import type { CriterionPrecedent, CriterionProvenance } from '@t2s/contracts';
import { provenanceText } from './provenance-text';

const precedent = (campaign: string, approvedAt?: string): CriterionPrecedent => ({
  id: `p-${campaign}`,
  campaign,
  ...(approvedAt === undefined ? {} : { approvedAt }),
});

describe('provenanceText', () => {
  it('names one campaign and the day it was approved', () => {
    const provenance: CriterionProvenance = {
      precedents: [precedent('CM-2026-0912', '2026-09-14')],
      adapted: 'as_is',
    };
    expect(provenanceText(provenance, 'ru')).toBe('как в кампании CM-2026-0912, утверждена 2026-09-14');
    expect(provenanceText(provenance, 'en')).toBe('as in campaign CM-2026-0912, approved 2026-09-14');
  });

  it('names the campaign alone when the day is unknown', () => {
    const provenance: CriterionProvenance = { precedents: [precedent('CM-2026-0912')], adapted: 'as_is' };
    expect(provenanceText(provenance, 'ru')).toBe('как в кампании CM-2026-0912');
    expect(provenanceText(provenance, 'en')).toBe('as in campaign CM-2026-0912');
  });

  it('shows a datetime as the day it was written with', () => {
    const provenance: CriterionProvenance = {
      precedents: [precedent('CM-2026-0912', '2026-09-14T23:30:00+03:00')],
      adapted: 'as_is',
    };
    expect(provenanceText(provenance, 'ru')).toBe('как в кампании CM-2026-0912, утверждена 2026-09-14');
  });

  it('lists two or three campaigns nearest first, each with its day when known', () => {
    const two: CriterionProvenance = {
      precedents: [precedent('CM-1', '2026-09-14'), precedent('CM-2')],
      adapted: 'as_is',
    };
    expect(provenanceText(two, 'ru')).toBe('как в кампаниях CM-1 (утверждена 2026-09-14) и CM-2');
    expect(provenanceText(two, 'en')).toBe('as in campaigns CM-1 (approved 2026-09-14) and CM-2');
    const three = { ...two, precedents: [...two.precedents, precedent('CM-3', '2025-01-02')] };
    expect(provenanceText(three, 'ru')).toBe(
      'как в кампаниях CM-1 (утверждена 2026-09-14), CM-2 и CM-3 (утверждена 2025-01-02)',
    );
    expect(provenanceText(three, 'en')).toBe(
      'as in campaigns CM-1 (approved 2026-09-14), CM-2 and CM-3 (approved 2025-01-02)',
    );
  });

  it('names at most three campaigns and counts the rest', () => {
    const precedents = [
      precedent('CM-1', '2026-09-14'),
      precedent('CM-2'),
      precedent('CM-3'),
      precedent('CM-4'),
    ];
    const provenance: CriterionProvenance = {
      precedents: [...precedents, precedent('CM-5')],
      adapted: 'as_is',
    };
    expect(provenanceText(provenance, 'ru')).toBe(
      'как в кампаниях CM-1 (утверждена 2026-09-14), CM-2, CM-3 и ещё 2',
    );
    expect(provenanceText(provenance, 'en')).toBe(
      'as in campaigns CM-1 (approved 2026-09-14), CM-2, CM-3 and 2 more',
    );
  });

  it('says how the threshold or the values were taken from the campaigns', () => {
    const three = [precedent('CM-1'), precedent('CM-2'), precedent('CM-3')];
    expect(provenanceText({ precedents: three, adapted: 'median' }, 'ru')).toBe(
      'как в кампаниях CM-1, CM-2 и CM-3; порог — медиана по 3 кампаниям',
    );
    expect(provenanceText({ precedents: three, adapted: 'median' }, 'en')).toBe(
      'as in campaigns CM-1, CM-2 and CM-3; threshold: the median of 3 campaigns',
    );
    expect(provenanceText({ precedents: three, adapted: 'union' }, 'ru')).toBe(
      'как в кампаниях CM-1, CM-2 и CM-3; значения — из 3 кампаний',
    );
    expect(provenanceText({ precedents: three, adapted: 'union' }, 'en')).toBe(
      'as in campaigns CM-1, CM-2 and CM-3; values from 3 campaigns',
    );
  });

  it('agrees the campaign count in Russian', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => precedent(`CM-${i + 1}`));
    const adaptation = (n: number, adapted: 'median' | 'union') =>
      provenanceText({ precedents: many(n), adapted }, 'ru').split('; ')[1];
    expect(adaptation(21, 'median')).toBe('порог — медиана по 21 кампании');
    expect(adaptation(2, 'union')).toBe('значения — из 2 кампаний');
    expect(adaptation(21, 'union')).toBe('значения — из 21 кампании');
    expect(adaptation(11, 'union')).toBe('значения — из 11 кампаний');
  });
});
