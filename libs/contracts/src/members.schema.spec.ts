import { MEMBERS_DEFAULT_LIMIT, membersPageSchema, membersQuerySchema } from './members.schema';

describe('membersQuerySchema', () => {
  it('coerces the query-string limit and defaults it', () => {
    expect(membersQuerySchema.parse({})).toEqual({ limit: MEMBERS_DEFAULT_LIMIT });
    expect(membersQuerySchema.parse({ limit: '250', cursor: 'abc' })).toEqual({ limit: 250, cursor: 'abc' });
    expect(membersQuerySchema.parse({ limit: '10000' }).limit).toBe(10_000);
  });

  it.each(['0', '10001', '-5', '2.5', 'abc', ''])('rejects limit=%j at `limit`', (limit) => {
    const result = membersQuerySchema.safeParse({ limit });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['limit']);
  });

  it('ignores query parameters it does not know (cache busters)', () => {
    expect(membersQuerySchema.parse({ _: '1700000000' })).toEqual({ limit: MEMBERS_DEFAULT_LIMIT });
  });
});

describe('membersPageSchema', () => {
  it('keeps ids as strings, so bigint ids survive JSON', () => {
    const page = { ids: ['9007199254740993', '10234'], nextCursor: null };
    expect(membersPageSchema.parse(page)).toEqual(page);
    expect(membersPageSchema.safeParse({ ids: [10234], nextCursor: null }).success).toBe(false);
  });
});
