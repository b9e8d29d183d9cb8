import { controlGroupOf, controlShareOf, controlThreshold } from './control-group';

const SEGMENT = '3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f';

describe('controlGroupOf', () => {
  it('is deterministic: the same segment and client give the same group on every call', () => {
    const first = Array.from({ length: 1000 }, (_, i) => controlGroupOf(SEGMENT, String(i), 0.1));
    const again = Array.from({ length: 1000 }, (_, i) => controlGroupOf(SEGMENT, String(i), 0.1));
    expect(again).toEqual(first);
  });

  it('holds out the share within tolerance on 100k ids', () => {
    for (const share of [0.1, 0.25, 0.5]) {
      let control = 0;
      for (let i = 0; i < 100_000; i++)
        if (controlGroupOf(SEGMENT, String(i), share) === 'control') control++;
      // Binomial sd at 100k draws is at most 0.16 percentage points; 0.6 points is about 4 sd.
      expect(Math.abs(control / 100_000 - share)).toBeLessThan(0.006);
    }
  });

  it('draws another group for another segment', () => {
    const other = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    const ids = Array.from({ length: 2000 }, (_, i) => String(i));
    const mine = ids.filter((c) => controlGroupOf(SEGMENT, c, 0.1) === 'control');
    const theirs = new Set(ids.filter((c) => controlGroupOf(other, c, 0.1) === 'control'));
    const both = mine.filter((c) => theirs.has(c)).length;
    expect(both).toBeLessThan(mine.length / 3);
  });

  it('nests: a client held out at 10% is held out at 20% too', () => {
    for (let i = 0; i < 5000; i++) {
      if (controlGroupOf(SEGMENT, String(i), 0.1) === 'control') {
        expect(controlGroupOf(SEGMENT, String(i), 0.2)).toBe('control');
      }
    }
  });

  it('puts everyone in the target group without a share, and refuses a share outside (0, 0.5]', () => {
    expect(controlGroupOf(SEGMENT, '1', null)).toBe('target');
    expect(controlGroupOf(SEGMENT, '1', undefined)).toBe('target');
    expect(() => controlThreshold(0)).toThrow(RangeError);
    expect(() => controlThreshold(0.6)).toThrow(RangeError);
    expect(controlThreshold(0.5).toString('hex')).toBe('8000000000000000');
    expect(controlShareOf({})).toBeNull();
    expect(controlShareOf({ controlShare: 0.1 })).toBe(0.1);
  });
});
