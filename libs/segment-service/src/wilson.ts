/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval of a proportion, `converted` of `size` (95% unless `z` is given); null for an
 * empty group. Unlike p ± z·√(p(1−p)/n) it stays inside [0, 1] and keeps its coverage near 0 and 1, where
 * conversion rates live.
 */
export function wilsonInterval(converted: number, size: number, z = Z95): Interval | null {
  if (!(size > 0)) return null;
  if (converted < 0 || converted > size) throw new RangeError(`${converted} of ${size} is not a proportion`);
  const p = converted / size;
  const z2 = z * z;
  const denominator = 1 + z2 / size;
  const centre = (p + z2 / (2 * size)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / size + z2 / (4 * size * size));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * A 95% interval of the difference of two proportions, p1 − p2, from their Wilson intervals (Newcombe
 * 1998, method 10). Null when either group is empty.
 */
export function differenceInterval(
  converted1: number,
  size1: number,
  converted2: number,
  size2: number,
): Interval | null {
  const one = wilsonInterval(converted1, size1);
  const two = wilsonInterval(converted2, size2);
  if (!one || !two) return null;
  const p1 = converted1 / size1;
  const p2 = converted2 / size2;
  const d = p1 - p2;
  return {
    low: d - Math.sqrt((p1 - one.low) ** 2 + (two.high - p2) ** 2),
    high: d + Math.sqrt((one.high - p1) ** 2 + (p2 - two.low) ** 2),
  };
}
