// Groups are what steps pass on: a step never changes the groups it is given; it copies them
// (`cloneGroups`) and returns the copies it changed, added to or left out. Mentions, numbers and
// windows inside them are shared, never changed after the step that found them: later steps and the
// leftovers compare them by identity.
import type { Attribute } from '@t2s/semantic';
import type { LexEntry } from '../lexicon';
import type { Group } from './parse-types';

/** Copies of the groups and of their lists, for a step to change. */
export function cloneGroups(groups: readonly Group[]): Group[] {
  return groups.map((g) => ({
    ...g,
    extraWhere: [...g.extraWhere],
    values: [...g.values],
    marks: [...g.marks],
  }));
}

/** The attribute a group is about, if any. */
export function attributeOf(group: Group): Attribute | undefined {
  return (group.attr?.entry as Extract<LexEntry, { kind: 'attr' }> | undefined)?.attr;
}
