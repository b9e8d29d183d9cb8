import { AppError, type ApiError, type ErrorCode } from '@t2s/contracts';

export interface HttpErrorResponse {
  status: number;
  body: ApiError;
  headers: Record<string, string>;
  /** Set for our own faults: the real error, for the log only (its text never reaches the client). */
  internal?: unknown;
}

interface FastifyLikeError {
  code: string;
  statusCode: number;
  message: string;
}

interface HttpExceptionLike {
  getStatus(): number;
  message: string;
}

// Fastify's own 4xx, raised before a handler runs, with messages written for API clients rather than for us.
const FASTIFY_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'INVALID_REQUEST',
    message: 'Content-Length does not match the body',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'INVALID_REQUEST',
    message: 'Body cannot be empty when Content-Type is application/json',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Unsupported Content-Type; send application/json',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'INVALID_REQUEST', message: 'Request body is not valid JSON' },
  // The router's, before any hook: a malformed percent-encoding, a path parameter over 100 characters.
  FST_ERR_BAD_URL: { code: 'INVALID_REQUEST', message: 'The URL path is not valid percent-encoded UTF-8' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'URI_TOO_LONG', message: 'A path parameter is too long' },
};

function isFastifyError(value: unknown): value is FastifyLikeError {
  const v = value as Partial<FastifyLikeError> | null;
  return typeof v?.code === 'string' && v.code.startsWith('FST_') && typeof v.statusCode === 'number';
}

function isHttpException(value: unknown): value is HttpExceptionLike {
  // Duck-typed so this module stays free of Nest (and loadable by plain Jest).
  return value instanceof Error && typeof (value as Partial<HttpExceptionLike>).getStatus === 'function';
}

// The JSON parser's SyntaxError carries a 400 but no FST_ code in some paths (e.g. Nest's own parser).
function isJsonSyntaxError(value: unknown): boolean {
  return value instanceof SyntaxError && (value as { statusCode?: unknown }).statusCode === 400;
}

/** A client error (4xx) with no code of its own: the contract's nearest code for its status. */
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 408) return 'REQUEST_TIMEOUT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 414) return 'URI_TOO_LONG';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 431) return 'HEADERS_TOO_LARGE';
  return status >= 400 && status < 500 ? 'INVALID_REQUEST' : 'INTERNAL';
}

function toAppError(exception: unknown, route: string): AppError {
  if (AppError.is(exception)) return exception;
  if (isFastifyError(exception)) {
    const known = FASTIFY_ERRORS[exception.code];
    if (known) return new AppError(known.code, known.message);
    const code = codeForStatus(exception.statusCode);
    return code === 'INTERNAL' ? AppError.from(exception) : new AppError(code, exception.message);
  }
  if (isJsonSyntaxError(exception)) return new AppError('INVALID_REQUEST', 'Request body is not valid JSON');
  if (isHttpException(exception)) {
    const status = exception.getStatus();
    const code = codeForStatus(status);
    if (code === 'NOT_FOUND') return new AppError(code, `No route ${route}`);
    return code === 'INTERNAL' ? AppError.from(exception) : new AppError(code, exception.message);
  }
  return AppError.from(exception);
}

/**
 * Anything thrown while serving a request, as the contract's `ApiError` with its code's status. Unknown
 * errors become a generic INTERNAL: their text (a driver error quoting a row) must not reach a client.
 */
export function toHttpError(exception: unknown, requestId: string, route: string): HttpErrorResponse {
  const error = toAppError(exception, route);
  const headers: Record<string, string> = {};
  // RFC 6750: a 401 tells the client which scheme to use.
  if (error.code === 'UNAUTHORIZED') headers['www-authenticate'] = 'Bearer';
  return {
    status: error.httpStatus,
    body: error.toApiError(requestId),
    headers,
    ...(error.httpStatus >= 500 ? { internal: error.cause ?? exception } : {}),
  };
}
