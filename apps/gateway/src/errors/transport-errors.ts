import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@t2s/contracts';
import { REQUEST_ID_HEADER } from '../http/request-id';
import { answerClientError, MAX_URL_BYTES } from './client-error';
import { toHttpError } from './http-error-mapping';

/**
 * Fastify options for the errors raised before Nest's filters can run, so they too answer the
 * contract's `ApiError`: the parser's (`clientErrorHandler`) and the router's (`frameworkErrors`: a
 * malformed percent-encoding, a path parameter over 100 characters). They replace Nest's own
 * `frameworkErrors`, which only adds the headers of Nest's HTTP security features (unused here) before
 * sending Fastify's body.
 */
export const transportErrorOptions = {
  clientErrorHandler: answerClientError,
  frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply): void => {
    const path = request.url.split('?', 1)[0] ?? '';
    const result = toHttpError(error, request.id, `${request.method} ${path}`);
    void reply
      .header(REQUEST_ID_HEADER, request.id)
      .headers(result.headers)
      .status(result.status)
      .send(result.body);
  },
  // Node would answer an HTTP/1.1 request without Host with an empty 400; `refuseUnreadable` answers it.
  http: { requireHostHeader: false },
};

/**
 * An onRequest hook for what Node lets through but the API refuses as a whole request: a URI over
 * MAX_URL_BYTES (414; up to Node's 16 KiB header limit, beyond which the parser refuses it), and an
 * HTTP/1.1 request without Host (400, RFC 9112 section 3.2).
 */
export async function refuseUnreadable(request: FastifyRequest): Promise<void> {
  // Node reads the request target byte for byte (latin1), so its length is its size in bytes.
  if ((request.raw.url ?? '').length > MAX_URL_BYTES) {
    throw new AppError('URI_TOO_LONG', `The request URI exceeds ${MAX_URL_BYTES} bytes`);
  }
  if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
    throw new AppError('INVALID_REQUEST', 'An HTTP/1.1 request needs a Host header');
  }
}
