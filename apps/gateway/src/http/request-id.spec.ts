import { pickRequestId } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('pickRequestId', () => {
  it("keeps the caller's id", () => {
    expect(pickRequestId('co-marketer:7f3a.1')).toBe('co-marketer:7f3a.1');
    expect(pickRequestId(['first', 'second'])).toBe('first');
  });

  it.each([undefined, '', 'a b', 'x'.repeat(129), 'evil\r\nset-cookie: x'])(
    'replaces %p with a UUID',
    (header) => {
      expect(pickRequestId(header)).toMatch(UUID);
    },
  );
});
