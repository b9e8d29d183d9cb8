import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { AppError, type ErrorCode } from '@t2s/contracts';
import { REQUEST_ID_HEADER } from '../http/request-id';

/** The longest request target (path and query string) the gateway reads; a longer one is a 414. */
export const MAX_URL_BYTES = 8 * 1024;

/** The 414 for a request target over MAX_URL_BYTES, whether the parser or the onRequest hook sees it. */
export function uriTooLong(): AppError {
  return new AppError('URI_TOO_LONG', `The request URI exceeds ${MAX_URL_BYTES} bytes`);
}

/** What Node's HTTP parser raises (`clientError`): its `HPE_*` code and the data it failed on. */
export interface ClientError extends Error {
  code?: string;
  /** A Buffer at run time (Fastify's typings describe its JSON form). */
  rawPacket?: unknown;
}

// llhttp's codes for requests no route will ever see, with messages written for API clients.
const PARSER_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    code: 'HEADERS_TOO_LARGE',
    message: 'The request line and headers exceed 16 KiB',
  },
  HPE_INVALID_HEADER_TOKEN: {
    code: 'INVALID_REQUEST',
    message: 'A header name or value holds a character HTTP does not allow',
  },
  HPE_INVALID_METHOD: { code: 'INVALID_REQUEST', message: 'Unknown HTTP method' },
  HPE_INVALID_URL: { code: 'INVALID_REQUEST', message: 'The request target is not a valid URL path' },
  HPE_INVALID_VERSION: { code: 'INVALID_REQUEST', message: 'Unsupported HTTP version' },
  HPE_UNEXPECTED_CONTENT_LENGTH: {
    code: 'INVALID_REQUEST',
    message: 'Content-Length and Transfer-Encoding cannot both be sent',
  },
  HPE_INVALID_CONTENT_LENGTH: { code: 'INVALID_REQUEST', message: 'Content-Length is not a valid length' },
  HPE_INVALID_TRANSFER_ENCODING: { code: 'INVALID_REQUEST', message: 'Unsupported Transfer-Encoding' },
  HPE_INVALID_CHUNK_SIZE: { code: 'INVALID_REQUEST', message: 'Malformed chunked body' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { code: 'PAYLOAD_TOO_LARGE', message: 'Chunk extensions are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: {
    code: 'REQUEST_TIMEOUT',
    message: 'The request was not received in time',
  },
};

const REQUEST_LINE_START = /^[A-Z]+ /;

/**
 * Whether the packet that overflowed the header limit holds a request line over MAX_URL_BYTES: then the
 * URI is what is too long (414), not the headers (431). It can tell only when that packet starts the
 * request, which it does whenever the request arrived in one read (up to 64 KiB); otherwise 431.
 */
export function requestLineTooLong(packet: unknown): boolean {
  if (!Buffer.isBuffer(packet) || !REQUEST_LINE_START.test(packet.subarray(0, 24).toString('latin1'))) {
    return false;
  }
  const end = packet.indexOf('\n');
  return (end === -1 ? packet.length : end) > MAX_URL_BYTES;
}

/** The contract's error for a request Node's parser refused; null when there is no one to answer. */
export function clientErrorAnswer(error: ClientError): AppError | null {
  if (error.code === 'ECONNRESET') return null;
  if (error.code === 'HPE_HEADER_OVERFLOW' && requestLineTooLong(error.rawPacket)) return uriTooLong();
  const known = error.code === undefined ? undefined : PARSER_ERRORS[error.code];
  return known
    ? new AppError(known.code, known.message)
    : new AppError('INVALID_REQUEST', 'Malformed HTTP request');
}

/** A whole HTTP/1.1 response carrying the contract's error body; the connection closes after it. */
export function rawErrorResponse(error: AppError, requestId: string): string {
  const status = error.httpStatus;
  const body = JSON.stringify(error.toApiError(requestId));
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    `content-type: application/json; charset=utf-8\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\n` +
    `${REQUEST_ID_HEADER}: ${requestId}\r\n` +
    `connection: close\r\n\r\n${body}`
  );
}

/**
 * Fastify's `clientErrorHandler`: a request that Node's parser refuses (headers over 16 KiB, a
 * character HTTP forbids in a header, a broken request line) never becomes a request object, so Fastify
 * and Nest never see it. Without this, Fastify writes its own `{statusCode, error, message}` body. As
 * Node's default handler does, it answers only if no response on this connection has begun.
 */
export function answerClientError(error: ClientError, socket: Socket): void {
  if (socket.destroyed) return;
  const answer = clientErrorAnswer(error);
  // `_httpMessage` is the response in progress on a keep-alive connection, the field Node's own handler reads.
  const inProgress = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (answer !== null && socket.writable && !inProgress?.headersSent) {
    socket.write(rawErrorResponse(answer, randomUUID()));
  }
  socket.destroy();
}
