import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@t2s/contracts';
import { REQUEST_ID_HEADER } from '../http/request-id';
import { answerClientError, MAX_URL_BYTES, uriTooLong } from './client-error';
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
};

/**
 * What Node lets through but the API refuses as a whole request, answered by an onRequest hook: a URI
 * over MAX_URL_BYTES (414; up to Node's 16 KiB header limit, beyond which its parser refuses it), and an
 * HTTP/1.1 request without Host (400, RFC 9112 section 3.2), which Node itself would answer with an
 * empty 400 before any hook.
 */
export function refuseUnreadableRequests(fastify: FastifyInstance): void {
  // Node's `requireHostHeader` server option, read from the server at each request. Set here rather than
  // through Fastify's `http` option, whose typing would retype every other option for HTTP/2 servers.
  Object.assign(fastify.server, { requireHostHeader: false });
  fastify.addHook('onRequest', refuseUnreadable);
}

async function refuseUnreadable(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const refusal = unreadable(request);
  // Answered here, not thrown: under a plugin with an error handler of its own (bull-board's answers
  // every error with a 500 of its own shape) a thrown error would not reach the contract's filter.
  if (refusal !== null) return reply.code(refusal.httpStatus).send(refusal.toApiError(request.id));
  return undefined;
}

function unreadable(request: FastifyRequest): AppError | null {
  // Node reads the request target byte for byte (latin1), so its length is its size in bytes.
  if ((request.raw.url ?? '').length > MAX_URL_BYTES) return uriTooLong();
  if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
    return new AppError('INVALID_REQUEST', 'An HTTP/1.1 request needs a Host header');
  }
  return null;
}
