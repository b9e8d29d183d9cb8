import { DEFAULT_QUEUE_PREFIX, queuePrefix } from './redis-connection';

describe('queuePrefix', () => {
  it('defaults to the hash-tagged contracts prefix', () => {
    expect(DEFAULT_QUEUE_PREFIX).toBe('{t2s}');
    expect(queuePrefix()).toBe('{t2s}');
  });

  it.each(['{t2s-test-1a2b}', '{t2s}:staging'])('accepts %s', (prefix) => {
    expect(queuePrefix(prefix)).toBe(prefix);
  });

  // Without a leading tag a queue's keys spread over Cluster slots and BullMQ's scripts fail CROSSSLOT.
  it.each(['t2s', 'bull', '{}', 't2s:{x}', '{a}{b}'])('refuses %s', (prefix) => {
    expect(() => queuePrefix(prefix)).toThrow(/hash tag/);
  });
});
