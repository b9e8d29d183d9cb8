import { revisionRequestSchema, revisionSchema } from './revision.schema';
import { REVISION_ID } from './offer.fixtures';

function issues(input: unknown): Array<{ path: string; message: string }> {
  const result = revisionRequestSchema.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('revisionRequestSchema', () => {
  it('accepts a criteria edit or an SQL edit', () => {
    expect(revisionRequestSchema.parse({ criteria: 'Возраст 20-30 лет', author: 'i.petrova' })).toEqual({
      criteria: 'Возраст 20-30 лет',
      author: 'i.petrova',
    });
    expect(revisionRequestSchema.parse({ sql: 'SELECT client_id FROM bank.clients' }).sql).toContain(
      'SELECT',
    );
  });

  it('rejects both fields, saying which rule and what was given', () => {
    expect(issues({ criteria: 'x', sql: 'SELECT 1' })).toEqual([
      { path: '', message: expect.stringMatching(/exactly one of 'criteria' or 'sql'.*both/) },
    ]);
  });

  it('rejects neither field, including blank text', () => {
    expect(issues({})).toEqual([{ path: '', message: expect.stringMatching(/exactly one.*neither/) }]);
    expect(issues({ author: 'i.petrova' })[0]?.message).toMatch(/neither/);
    expect(issues({ criteria: '   ' }).map((i) => i.path)).toEqual(['criteria']);
  });

  it('rejects unknown keys', () => {
    expect(issues({ criteria: 'x', comment: 'why' })[0]?.message).toContain('comment');
  });
});

describe('revisionSchema', () => {
  it('accepts a history entry', () => {
    const entry = {
      id: REVISION_ID,
      number: 2,
      kind: 'sql',
      createdAt: '2025-09-01T10:00:00.000Z',
      sql: 'SELECT 1',
    };
    expect(revisionSchema.parse(entry)).toEqual(entry);
    expect(revisionSchema.safeParse({ ...entry, number: 0 }).success).toBe(false);
    expect(revisionSchema.safeParse({ ...entry, kind: 'edit' }).success).toBe(false);
  });
});
