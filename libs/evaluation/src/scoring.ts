/** Overlap of two id sets: Jaccard (R8's measure), recall (of the target) and precision (of the result). */
export function overlap(target: ReadonlySet<string>, generated: ReadonlySet<string>) {
  let common = 0;
  for (const id of generated) if (target.has(id)) common++;
  const union = target.size + generated.size - common;
  return {
    jaccard: union === 0 ? 1 : common / union,
    recall: target.size === 0 ? (generated.size === 0 ? 1 : 0) : common / target.size,
    precision: generated.size === 0 ? (target.size === 0 ? 1 : 0) : common / generated.size,
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
