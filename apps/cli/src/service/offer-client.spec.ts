import type { Segment } from '@t2s/contracts';
import { formatOutcome, understandingLines } from './offer-client';

describe('what t2s demo and t2s segment print of a segment', () => {
  const id = '5b0e8a52-2b1c-4f4e-9d55-0d6d3c1f9a10';
  const segment = {
    id,
    status: 'needs_review',
    criteria: {
      text: 'возраст от 20 до 25 лет; любит котиков',
      items: [{ id: 'c1', text: 'возраст от 20 до 25 лет', kind: 'include' }],
    },
    understanding: { coverage: 0.657, unparsed: ['любит котиков'] },
    sql: 'select 1',
    result: { size: 12, sampleIds: ['1', '2'] },
    error: null,
  } as unknown as Segment;

  it('prints the status and, for a text not understood whole, the coverage and each fragment', () => {
    const text = formatOutcome({ offer: { name: 'cats', request: {} as never }, segment, ms: 1_200 });
    expect(text.split('\n')).toEqual([
      `== cats: needs_review in 1.2 s (segment ${id})`,
      'criteria:',
      '  + возраст от 20 до 25 лет',
      'understood: 66% of the text',
      '  ? not applied: любит котиков',
      'sql:',
      '  select 1',
      'size: 12',
      'ids: 1, 2',
    ]);
  });

  it('prints nothing about understanding when the text was understood whole, or not read yet', () => {
    expect(understandingLines({ coverage: 1, unparsed: [] })).toEqual([]);
    expect(understandingLines(null)).toEqual([]);
  });
});
