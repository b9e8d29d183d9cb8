import { editSimilarity, jaroWinkler, trigrams } from './similarity';

describe('similarity', () => {
  it('scores Jaro-Winkler as published (MARTHA/MARHTA 0.961, DIXON/DICKSONX 0.813)', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', '')).toBe(0);
  });

  it('counts a transposition as one edit', () => {
    expect(editSimilarity('praha', 'prhaa')).toBeCloseTo(0.8);
    expect(editSimilarity('heal', 'health')).toBeCloseTo(4 / 6);
    expect(editSimilarity('', '')).toBe(1);
  });

  it('makes padded trigrams, once each', () => {
    expect(trigrams('aaa')).toHaveLength(5);
    expect(trigrams('ab')).toEqual(trigrams('ab'));
  });
});
