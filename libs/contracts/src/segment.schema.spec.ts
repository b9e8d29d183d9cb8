import { REVISION_ID, russianCreditCardOffer, SEGMENT_ID } from './offer.fixtures';
import { segmentAcceptedSchema, segmentLinks, segmentSchema } from './segment.schema';

const succeeded = {
  id: SEGMENT_ID,
  status: 'succeeded',
  stage: 'execution',
  revision: 1,
  createdAt: '2025-09-01T10:00:00.000Z',
  updatedAt: '2025-09-01T10:01:12.345Z',
  offer: russianCreditCardOffer,
  options: {
    warehouse: 'bank',
    sampleSize: 2,
    deadlineMs: 300_000,
    strategy: 'baseline',
    onUnparsed: 'review',
  },
  criteria: {
    text: 'Возраст 20-25 лет\nНет действующей кредитной карты',
    items: [
      {
        id: 'c1',
        text: 'Возраст 20-25 лет',
        kind: 'include',
        source: 'rule',
        count: 120_345,
        sql: 'SELECT client_id FROM bank.clients WHERE ...',
      },
      {
        id: 'c2',
        text: 'Нет действующей кредитной карты',
        kind: 'exclude',
        source: 'rule',
        count: 40_002,
        spec: { column: 'cards.type' },
      },
    ],
  },
  understanding: { coverage: 1, unparsed: [] },
  sql: 'WITH c1 AS (...), c2 AS (...) SELECT client_id FROM c1 EXCEPT SELECT client_id FROM c2',
  result: {
    size: 80_343,
    sampleIds: ['10234', '9007199254740993'],
    perCriterionCounts: { c1: 120_345, c2: 40_002 },
  },
  timings: {
    criteria: {
      startedAt: '2025-09-01T10:00:00.100Z',
      finishedAt: '2025-09-01T10:00:00.400Z',
      ms: 300,
      attempts: 1,
    },
    execution: {
      startedAt: '2025-09-01T10:01:00.000Z',
      finishedAt: '2025-09-01T10:01:12.000Z',
      ms: 12_000,
      attempts: 2,
    },
  },
  tokens: { total: 0, byStage: {} },
  error: null,
  revisions: [{ id: REVISION_ID, number: 1, kind: 'initial', createdAt: '2025-09-01T10:00:00.000Z' }],
  approval: null,
  prompts: {},
  links: segmentLinks(SEGMENT_ID),
};

describe('segmentSchema', () => {
  it('accepts a succeeded segment', () => {
    expect(segmentSchema.parse(succeeded)).toEqual(succeeded);
  });

  it('accepts a queued segment with nothing computed yet', () => {
    const queued = {
      ...succeeded,
      status: 'queued',
      stage: 'criteria',
      criteria: null,
      understanding: null,
      sql: null,
      result: null,
      timings: {},
    };
    expect(segmentSchema.safeParse(queued).success).toBe(true);
  });

  it('accepts a needs_review segment: a result, and what the text left unparsed', () => {
    const review = {
      ...succeeded,
      status: 'needs_review',
      criteria: { ...succeeded.criteria, unparsed: ['любит котиков'] },
      understanding: { coverage: 0.62, unparsed: ['любит котиков'] },
    };
    expect(segmentSchema.parse(review)).toEqual(review);
    expect(
      segmentSchema.safeParse({ ...review, understanding: { coverage: 1.2, unparsed: [] } }).success,
    ).toBe(false);
  });

  it('reads a segment stored before understanding existed (options without onUnparsed) as review', () => {
    const { onUnparsed: _default, ...options } = succeeded.options;
    expect(segmentSchema.parse({ ...succeeded, options }).options.onUnparsed).toBe('review');
  });

  it('accepts a failed segment with its error', () => {
    const failed = {
      ...succeeded,
      status: 'failed',
      result: null,
      error: { code: 'SQL_REJECTED', stage: 'sql', message: 'Relation bank.salaries is not allowed' },
    };
    expect(segmentSchema.parse(failed).error?.code).toBe('SQL_REJECTED');
  });

  it('rejects numeric sample ids and drops stage keys it does not know', () => {
    expect(segmentSchema.safeParse({ ...succeeded, result: { size: 1, sampleIds: [1] } }).success).toBe(
      false,
    );
    const unknownStage = segmentSchema.safeParse({
      ...succeeded,
      tokens: { total: 5, byStage: { webhook: 5 } },
    });
    expect(unknownStage.success).toBe(true);
    expect(unknownStage.data?.tokens.byStage).toEqual({});
  });
});

describe('segmentAcceptedSchema', () => {
  it('accepts the 202 body', () => {
    const accepted = {
      id: SEGMENT_ID,
      status: 'queued',
      revision: { id: REVISION_ID, number: 1 },
      links: segmentLinks(SEGMENT_ID),
    };
    expect(segmentAcceptedSchema.parse(accepted)).toEqual(accepted);
    expect(accepted.links).toEqual({
      self: `/v1/segments/${SEGMENT_ID}`,
      members: `/v1/segments/${SEGMENT_ID}/members`,
      revisions: `/v1/segments/${SEGMENT_ID}/revisions`,
      rerun: `/v1/segments/${SEGMENT_ID}/rerun`,
      approval: `/v1/segments/${SEGMENT_ID}/approval`,
    });
  });
});
