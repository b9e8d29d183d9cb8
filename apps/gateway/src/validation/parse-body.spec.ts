import { AppError, segmentRequestSchema } from '@t2s/contracts';
import { z } from 'zod';
import { parseBody } from './parse-body';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (AppError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

describe('parseBody', () => {
  const schema = z.strictObject({ name: z.string(), size: z.number().int().default(1) });

  it('returns the parsed value with defaults', () => {
    expect(parseBody(schema, { name: 'a' })).toEqual({ name: 'a', size: 1 });
  });

  it('throws a 400 INVALID_REQUEST naming each path and reason', () => {
    const error = thrown(() => parseBody(schema, { size: 1.5, extra: true }));
    expect(error.httpStatus).toBe(400);
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.details?.map((d) => d.path).sort()).toEqual(['extra', 'name', 'size']);
    expect(error.details?.every((d) => d.reason.length > 0)).toBe(true);
  });

  it('names the whole body when it is missing', () => {
    expect(thrown(() => parseBody(schema, undefined)).details).toEqual([
      { path: '', reason: expect.any(String) },
    ]);
  });

  it("uses the contract's INVALID_OFFER when only the offer is wrong", () => {
    expect(thrown(() => parseBody(segmentRequestSchema, { offer: {} })).code).toBe('INVALID_OFFER');
  });
});
