import type { SegmentOrigin } from '@t2s/contracts';
import { currentRevision, sqlIsFromPerson, type SegmentRecord } from '@t2s/service-store';

/**
 * Who made the segment's current definition, for comparing conversion by origin: `generated` when no
 * person revised it (the request's own criteria text counts as the request), `hand_written` when a
 * person's SQL runs and the service never generated SQL for any revision up to it (the person wrote it
 * before seeing one), `edited` otherwise (a person's criteria or SQL revision of what was generated).
 */
export function segmentOrigin(segment: SegmentRecord): SegmentOrigin {
  const current = currentRevision(segment).number;
  const upTo = segment.revisions.filter((r) => r.number <= current);
  if (!upTo.some((r) => r.kind === 'criteria' || r.kind === 'sql')) return 'generated';
  if (sqlIsFromPerson(segment) && upTo.every((r) => r.generatedSql === null)) return 'hand_written';
  return 'edited';
}
