import { AppError } from '@t2s/contracts';
import { toHttpError } from './http-error-mapping';

function fastifyError(code: string, statusCode: number, message = 'fastify says no'): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

class FakeHttpException extends Error {
  constructor(private readonly status: number) {
    super(`http ${status}`);
  }
  getStatus(): number {
    return this.status;
  }
}

describe('toHttpError', () => {
  it("answers an AppError with its code's status, details and the request id", () => {
    const error = new AppError('INVALID_REQUEST', 'Invalid request', {
      details: [{ path: 'offer.title', reason: 'Required' }],
    });
    expect(toHttpError(error, 'req-1', 'POST /v1/segments')).toEqual({
      status: 400,
      headers: {},
      body: {
        error: {
          code: 'INVALID_REQUEST',
          message: 'Invalid request',
          details: [{ path: 'offer.title', reason: 'Required' }],
          requestId: 'req-1',
        },
      },
    });
  });

  it('asks for a bearer token on 401', () => {
    const result = toHttpError(new AppError('UNAUTHORIZED', 'Missing API key'), 'r', 'GET /v1/whoami');
    expect(result.status).toBe(401);
    expect(result.headers).toEqual({ 'www-authenticate': 'Bearer' });
  });

  it.each([
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 413, 'PAYLOAD_TOO_LARGE'],
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 400, 'INVALID_REQUEST'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['FST_ERR_BAD_URL', 400, 400, 'INVALID_REQUEST'],
    ['FST_ERR_MAX_PARAM_LENGTH', 414, 414, 'URI_TOO_LONG'],
    ['FST_ERR_SOMETHING_NEW', 400, 400, 'INVALID_REQUEST'],
    ['FST_ERR_SOMETHING_NEW', 414, 414, 'URI_TOO_LONG'],
    ['FST_ERR_SOMETHING_NEW', 431, 431, 'HEADERS_TOO_LARGE'],
    ['FST_ERR_SOMETHING_NEW', 408, 408, 'REQUEST_TIMEOUT'],
  ])('maps Fastify %s (%i) to %i %s', (code, statusCode, status, errorCode) => {
    const result = toHttpError(fastifyError(code, statusCode), 'r', 'POST /x');
    expect(result.status).toBe(status);
    expect(result.body.error.code).toBe(errorCode);
  });

  it('maps a Nest 404 to NOT_FOUND naming the route', () => {
    const result = toHttpError(new FakeHttpException(404), 'r', 'GET /nope');
    expect(result).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'No route GET /nope' } },
    });
  });

  it('hides an unknown error behind a generic 500 and keeps it for the log', () => {
    const secret = new Error('duplicate key value (client_id)=(12345)');
    const result = toHttpError(secret, 'r', 'GET /x');
    expect(result.status).toBe(500);
    expect(result.body.error).toEqual({
      code: 'INTERNAL',
      message: 'Unexpected internal error',
      requestId: 'r',
    });
    expect(result.internal).toBe(secret);
  });

  it('hides a Fastify 5xx too', () => {
    const result = toHttpError(fastifyError('FST_ERR_BAD', 500, 'internal detail'), 'r', 'GET /x');
    expect(result.body.error.message).toBe('Unexpected internal error');
  });
});
