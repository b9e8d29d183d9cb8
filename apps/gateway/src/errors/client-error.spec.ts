import { Socket } from 'node:net';
import { apiErrorSchema } from '@t2s/contracts';
import {
  answerClientError,
  clientErrorAnswer,
  MAX_URL_BYTES,
  rawErrorResponse,
  requestLineTooLong,
  type ClientError,
} from './client-error';

function parserError(code: string, rawPacket?: string): ClientError {
  return Object.assign(new Error(`Parse Error: ${code}`), {
    code,
    ...(rawPacket === undefined ? {} : { rawPacket: Buffer.from(rawPacket, 'latin1') }),
  });
}

const longTarget = `/v1/segments?x=${'a'.repeat(MAX_URL_BYTES)}`;

describe('clientErrorAnswer', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', `GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(20_000)}`, 431, 'HEADERS_TOO_LARGE'],
    ['HPE_HEADER_OVERFLOW', `GET ${longTarget} HTTP/1.1\r\nHost: x\r\n`, 414, 'URI_TOO_LONG'],
    ['HPE_HEADER_OVERFLOW', `GET ${longTarget}`, 414, 'URI_TOO_LONG'],
    // The packet is the middle of a request that arrived in pieces: nothing says it was the URI.
    ['HPE_HEADER_OVERFLOW', 'a'.repeat(20_000), 431, 'HEADERS_TOO_LARGE'],
    ['HPE_INVALID_HEADER_TOKEN', 'GET / HTTP/1.1\r\nX: a\u0001b', 400, 'INVALID_REQUEST'],
    ['HPE_INVALID_METHOD', 'FOO / HTTP/1.1', 400, 'INVALID_REQUEST'],
    ['HPE_UNEXPECTED_CONTENT_LENGTH', undefined, 400, 'INVALID_REQUEST'],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', undefined, 413, 'PAYLOAD_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', undefined, 408, 'REQUEST_TIMEOUT'],
    ['HPE_SOMETHING_NEW', undefined, 400, 'INVALID_REQUEST'],
  ])('answers %s (packet %#) with its status and code', (code, packet, status, errorCode) => {
    const answer = clientErrorAnswer(parserError(code, packet));
    expect({ status: answer?.httpStatus, code: answer?.code }).toEqual({ status, code: errorCode });
  });

  it('answers nothing to a connection the client reset', () => {
    expect(clientErrorAnswer(parserError('ECONNRESET'))).toBeNull();
  });

  it('tells an over-long request line only from a packet that starts the request', () => {
    expect(requestLineTooLong(undefined)).toBe(false);
    expect(requestLineTooLong(Buffer.from(`GET /short HTTP/1.1\r\n${'h'.repeat(20_000)}`))).toBe(false);
    expect(requestLineTooLong(Buffer.from(`POST ${longTarget} HTTP/1.1\r\n`))).toBe(true);
  });
});

describe('rawErrorResponse', () => {
  it('is a complete HTTP/1.1 response whose body is the contract error', () => {
    const answer = clientErrorAnswer(parserError('HPE_HEADER_OVERFLOW'));
    const raw = rawErrorResponse(answer!, 'req-1');
    const [head, body] = raw.split('\r\n\r\n') as [string, string];
    const [statusLine, ...headers] = head.split('\r\n');
    expect(statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(headers).toEqual([
      'content-type: application/json; charset=utf-8',
      `content-length: ${Buffer.byteLength(body)}`,
      'x-request-id: req-1',
      'connection: close',
    ]);
    expect(apiErrorSchema.parse(JSON.parse(body))).toEqual({
      error: { code: 'HEADERS_TOO_LARGE', message: expect.any(String), requestId: 'req-1' },
    });
  });
});

describe('answerClientError', () => {
  function fakeSocket(options: { destroyed?: boolean; writable?: boolean; responding?: boolean } = {}) {
    const written: string[] = [];
    let destroyed = options.destroyed ?? false;
    const socket = Object.assign(Object.create(Socket.prototype) as Socket, {
      write: (chunk: string) => written.push(chunk) > 0,
      destroy: () => {
        destroyed = true;
        return socket;
      },
      ...(options.responding ? { _httpMessage: { headersSent: true } } : {}),
    });
    Object.defineProperty(socket, 'destroyed', { get: () => destroyed });
    Object.defineProperty(socket, 'writable', { get: () => options.writable ?? true });
    return { socket, written, isDestroyed: () => destroyed };
  }

  it('writes the answer and closes the connection', () => {
    const { socket, written, isDestroyed } = fakeSocket();
    answerClientError(parserError('HPE_INVALID_HEADER_TOKEN'), socket);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(isDestroyed()).toBe(true);
  });

  it('only closes when a response on the connection has begun, or it cannot be written', () => {
    for (const options of [{ responding: true }, { writable: false }]) {
      const { socket, written, isDestroyed } = fakeSocket(options);
      answerClientError(parserError('HPE_INVALID_CHUNK_SIZE'), socket);
      expect(written).toEqual([]);
      expect(isDestroyed()).toBe(true);
    }
  });
});
