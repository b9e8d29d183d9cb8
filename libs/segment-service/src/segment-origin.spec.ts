import type { RevisionKind } from '@t2s/contracts';
import type { RevisionRecord, SegmentRecord } from '@t2s/service-store';
import { segmentOrigin } from './segment-origin';

function segmentWith(
  revisions: Array<[RevisionKind, string | null]>,
  current = revisions.length,
): SegmentRecord {
  // Cast: fields this function does not read are left out.
  const records = revisions.map(([kind, generatedSql], i) => ({
    id: `r${i + 1}`,
    segmentId: 's',
    number: i + 1,
    kind,
    criteriaText: kind === 'criteria' ? 'Возраст 30-40 лет' : null,
    sql: kind === 'sql' ? 'select client_id from client' : null,
    generatedSql,
    author: null,
    authorKeyId: null,
    createdAt: new Date(),
  })) as RevisionRecord[];
  return { revisions: records, currentRevisionId: `r${current}` } as SegmentRecord;
}

describe('segmentOrigin', () => {
  it('is generated without a person revision, re-runs included', () => {
    expect(segmentOrigin(segmentWith([['initial', 'select 1']]))).toBe('generated');
    expect(
      segmentOrigin(
        segmentWith([
          ['initial', 'select 1'],
          ['rerun', null],
        ]),
      ),
    ).toBe('generated');
  });

  it('is edited after a criteria or SQL revision of generated SQL', () => {
    expect(
      segmentOrigin(
        segmentWith([
          ['initial', 'select 1'],
          ['criteria', 'select 2'],
        ]),
      ),
    ).toBe('edited');
    expect(
      segmentOrigin(
        segmentWith([
          ['initial', 'select 1'],
          ['sql', null],
        ]),
      ),
    ).toBe('edited');
  });

  it("is hand-written when a person's SQL runs and no SQL was ever generated up to it", () => {
    expect(
      segmentOrigin(
        segmentWith([
          ['initial', null],
          ['sql', null],
          ['rerun', null],
        ]),
      ),
    ).toBe('hand_written');
    // Criteria typed after the person's SQL are generated again: edited.
    expect(
      segmentOrigin(
        segmentWith([
          ['initial', null],
          ['sql', null],
          ['criteria', 'select 3'],
        ]),
      ),
    ).toBe('edited');
  });

  it('reads the history up to the current revision only', () => {
    expect(
      segmentOrigin(
        segmentWith(
          [
            ['initial', 'select 1'],
            ['sql', null],
          ],
          1,
        ),
      ),
    ).toBe('generated');
  });
});
