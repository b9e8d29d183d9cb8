import { UsageError } from './command-runner';
import { tempFileLimit } from './executor-grant';

describe('tempFileLimit', () => {
  it('takes a PostgreSQL size, 1GB when unset, and refuses anything else', () => {
    expect(tempFileLimit(undefined)).toBe('1GB');
    expect(tempFileLimit('')).toBe('1GB');
    expect(tempFileLimit('8GB')).toBe('8GB');
    expect(tempFileLimit('512MB')).toBe('512MB');
    for (const bad of ['8 GB', '8gb', '0GB', "1GB'; drop role x; --", '-1']) {
      expect(() => tempFileLimit(bad)).toThrow(UsageError);
    }
  });
});
