// Step: attributes whose number is hostile text, set aside.
// Reads: the groups, comparisons.
// Produces: the groups without those whose number (or second bound) is unreadable, and `unread`: the
// stretches reported as written, from the attribute's words to the hostile text ("возраст больше
// pg_sleep(10)"), and the hostile numbers no attribute took ("больше pg_sleep(10)").
import type { Mark } from '../../text/quantities';
import type { FragmentContext } from '../context';
import type { Group } from '../parse-types';

export function setAsideUnreadable(
  frag: FragmentContext,
  input: readonly Group[],
): { groups: Group[]; unread: Mark[] } {
  const groups = [...input];
  const unread: Mark[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i] as Group;
    if (!g.cmp?.unreadable && !g.cmp2?.unreadable) continue;
    unread.push({
      start: Math.min(...g.marks.map((m) => m.start)),
      end: Math.max(...g.marks.map((m) => m.end)),
    });
    groups.splice(i, 1);
  }
  const taken = new Set(groups.flatMap((g) => g.marks));
  for (const c of frag.comparisons) {
    if (c.unreadable && !taken.has(c) && !unread.some((u) => c.start >= u.start && c.end <= u.end))
      unread.push({ start: c.start, end: c.end });
  }
  return { groups, unread };
}
