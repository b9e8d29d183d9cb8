import { differenceInterval, wilsonInterval } from './wilson';

/** Rounded to 4 places, as the published tables print them. */
const r4 = (interval: { low: number; high: number } | null) =>
  interval && { low: Math.round(interval.low * 1e4) / 1e4, high: Math.round(interval.high * 1e4) / 1e4 };

describe('wilsonInterval', () => {
  // Newcombe, "Two-sided confidence intervals for the single proportion" (Stat Med 1998), Table I, method 3.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i: [%f, %f]', (x, n, low, high) => {
    expect(r4(wilsonInterval(x, n))).toEqual({ low, high });
  });

  it('is symmetric about one half and stays within [0, 1]', () => {
    expect(r4(wilsonInterval(5, 10))).toEqual({ low: 0.2366, high: 0.7634 });
    expect(r4(wilsonInterval(10, 10))).toEqual({ low: 0.7225, high: 1 });
    expect(r4(wilsonInterval(0, 10))).toEqual({ low: 0, high: 0.2775 });
  });

  it('has no interval for an empty group and refuses what is not a proportion', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });
});

describe('differenceInterval', () => {
  // Newcombe, "Interval estimation for the difference between independent proportions" (Stat Med 1998),
  // Table II, method 10: 56/70 − 48/80 → [0.0524, 0.3339]; 9/10 − 3/10 → [0.1705, 0.8090].
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
  ])('%i/%i − %i/%i: [%f, %f]', (x1, n1, x2, n2, low, high) => {
    expect(r4(differenceInterval(x1, n1, x2, n2))).toEqual({ low, high });
  });

  it('is null when a group is empty', () => {
    expect(differenceInterval(1, 10, 0, 0)).toBeNull();
  });
});
