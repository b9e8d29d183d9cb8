import { zodIssuesToDetails } from './api-error.schema';
import { AppError } from './app-error';
import { ERROR_CATALOG, ERROR_CODES, errorCodeSchema, isErrorCode, t2sErrorSchema } from './error-codes';
import { requestValidationError } from './validation-error';
import { segmentRequestSchema } from './segment-request.schema';
import { englishDepositOffer } from './offer.fixtures';

describe('error codes', () => {
  it('are unique UPPER_SNAKE strings, usable as metric labels', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
  });

  it('each have an HTTP status, a retry flag and a description, and nothing else is catalogued', () => {
    expect(Object.keys(ERROR_CATALOG).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      const info = ERROR_CATALOG[code];
      expect(Number.isInteger(info.httpStatus) && info.httpStatus >= 400 && info.httpStatus < 600).toBe(true);
      expect(typeof info.retryable).toBe('boolean');
      expect(info.description.length).toBeGreaterThan(10);
    }
  });

  it('map the API errors of the issue to their statuses', () => {
    expect(ERROR_CATALOG.INVALID_REQUEST.httpStatus).toBe(400);
    expect(ERROR_CATALOG.UNAUTHORIZED.httpStatus).toBe(401);
    expect(ERROR_CATALOG.NOT_FOUND.httpStatus).toBe(404);
    expect(ERROR_CATALOG.IDEMPOTENCY_CONFLICT.httpStatus).toBe(409);
    expect(ERROR_CATALOG.PAYLOAD_TOO_LARGE.httpStatus).toBe(413);
    expect(ERROR_CATALOG.URI_TOO_LONG.httpStatus).toBe(414);
    expect(ERROR_CATALOG.UNSUPPORTED_MEDIA_TYPE.httpStatus).toBe(415);
    expect(ERROR_CATALOG.HEADERS_TOO_LARGE.httpStatus).toBe(431);
  });

  it('mark transient faults retryable and deterministic ones not', () => {
    const retryable = ERROR_CODES.filter((code) => ERROR_CATALOG[code].retryable);
    expect(retryable.sort()).toEqual(
      ['INTERNAL', 'LLM_TIMEOUT', 'LLM_UNAVAILABLE', 'STAGE_TIMEOUT', 'WAREHOUSE_UNAVAILABLE'].sort(),
    );
  });

  it('validate as a schema and a guard', () => {
    expect(errorCodeSchema.safeParse('SQL_REJECTED').success).toBe(true);
    expect(errorCodeSchema.safeParse('SQL_OOPS').success).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });

  it('t2sErrorSchema takes an optional stage from the stage list', () => {
    expect(t2sErrorSchema.parse({ code: 'SQL_TIMEOUT', stage: 'execution', message: 'm' }).stage).toBe(
      'execution',
    );
    expect(t2sErrorSchema.safeParse({ code: 'DEADLINE_EXCEEDED', message: 'm' }).success).toBe(true);
    expect(t2sErrorSchema.safeParse({ code: 'SQL_TIMEOUT', stage: 'webhook', message: 'm' }).success).toBe(
      false,
    );
  });
});

describe('AppError', () => {
  it('carries code, stage, cause and the catalog flags', () => {
    const cause = new Error('statement timeout');
    const error = new AppError('SQL_TIMEOUT', 'Query exceeded 30 s', { stage: 'execution', cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AppError');
    expect(error.cause).toBe(cause);
    expect(error.retryable).toBe(false);
    expect(error.httpStatus).toBe(422);
    expect(error.toT2sError()).toEqual({
      code: 'SQL_TIMEOUT',
      stage: 'execution',
      message: 'Query exceeded 30 s',
    });
    expect(new AppError('LLM_TIMEOUT', 'slow').retryable).toBe(true);
  });

  it('omits absent stage and details from its serialised forms', () => {
    const error = new AppError('NOT_FOUND', 'No segment 42');
    expect(error.toT2sError()).toEqual({ code: 'NOT_FOUND', message: 'No segment 42' });
    expect(error.toApiError('req-1')).toEqual({
      error: { code: 'NOT_FOUND', message: 'No segment 42', requestId: 'req-1' },
    });
  });

  it('wraps unknown throwables as INTERNAL without leaking their text', () => {
    const raw = new Error('duplicate key value violates unique constraint, Key (client_id)=(10234)');
    const wrapped = AppError.from(raw, 'execution');
    expect(wrapped.code).toBe('INTERNAL');
    expect(wrapped.stage).toBe('execution');
    expect(wrapped.message).not.toContain('10234');
    expect(wrapped.cause).toBe(raw);
    const known = new AppError('BUDGET_EXCEEDED', 'over');
    expect(AppError.from(known)).toBe(known);
  });

  it('recognises an AppError from another copy of the library by its shape', () => {
    const foreign = Object.assign(new Error('x'), { name: 'AppError', code: 'SQL_FAILED' });
    expect(AppError.is(foreign)).toBe(true);
    expect(AppError.is(Object.assign(new Error('x'), { name: 'AppError', code: 'NOPE' }))).toBe(false);
    expect(AppError.is({ name: 'AppError', code: 'SQL_FAILED' })).toBe(false);
  });
});

describe('validation errors', () => {
  it('turn unrecognised keys into one detail per key, with the key in the path', () => {
    const result = segmentRequestSchema.safeParse({
      offer: englishDepositOffer,
      critera: 'x',
      options: { foo: 1 },
    });
    expect(result.success).toBe(false);
    expect(
      zodIssuesToDetails(result.error!.issues)
        .map((d) => d.path)
        .sort(),
    ).toEqual(['critera', 'options.foo']);
  });

  it('are INVALID_OFFER when every problem is inside the offer, else INVALID_REQUEST', () => {
    const offerOnly = segmentRequestSchema.safeParse({ offer: { ...englishDepositOffer, channel: 'FAX' } });
    const error = requestValidationError(offerOnly.error!.issues);
    expect(error.code).toBe('INVALID_OFFER');
    expect(error.httpStatus).toBe(400);
    expect(error.toApiError().error.details).toEqual([{ path: 'offer.channel', reason: expect.any(String) }]);
    expect(error.message).toContain('offer.channel');

    const mixed = segmentRequestSchema.safeParse({
      offer: { ...englishDepositOffer, channel: 'FAX' },
      webhook: {},
    });
    expect(requestValidationError(mixed.error!.issues).code).toBe('INVALID_REQUEST');
  });
});
