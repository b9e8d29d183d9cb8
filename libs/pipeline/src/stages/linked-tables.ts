import type { Criterion, SegmentCriteria } from '@t2s/contracts';

/**
 * The service store has no column for the linking stage's output yet, so it travels in each
 * criterion's `spec.linked` (the spec is an open object by contract). Move it to its own column when
 * the store grows one; only these two functions know where it lives.
 */
export function withLinkedTables(
  criteria: SegmentCriteria,
  byCriterion: Record<string, string[]> | undefined,
  all: string[],
): SegmentCriteria {
  return {
    ...criteria,
    items: criteria.items.map((item) => ({
      ...item,
      spec: { ...specObject(item), linked: byCriterion?.[item.id] ?? all },
    })),
  };
}

export function linkedTablesOf(items: readonly Criterion[]): string[] | null {
  const tables = new Set<string>();
  for (const item of items) {
    const linked = specObject(item).linked;
    if (!Array.isArray(linked)) return null;
    for (const table of linked) if (typeof table === 'string') tables.add(table);
  }
  return [...tables].sort();
}

function specObject(item: Criterion): Record<string, unknown> {
  return typeof item.spec === 'object' && item.spec !== null ? (item.spec as Record<string, unknown>) : {};
}
