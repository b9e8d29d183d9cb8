import { connect } from 'node:net';

/** One HTTP/1.1 exchange as bytes: for requests `fetch` refuses to send (bad header bytes, huge heads). */
export interface RawRequest {
  method: string;
  /** The request target exactly as sent (already percent-encoded, or not). */
  target: string;
  /** Written byte for byte (latin1), so a value may hold bytes a client library would refuse. */
  headers?: Record<string, string>;
  body?: string | Buffer;
  /**
   * Declares this Content-Length and sends only the first 16 KiB of `body`: a server refusing the size
   * answers at once and may reset the connection while a client still writes, which could eat its answer.
   */
  declareLength?: number;
  /** Sends no Host header (one is sent otherwise). */
  noHost?: boolean;
}

export interface RawResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

const CRLF = '\r\n';

export function encodeRequest(request: RawRequest): Buffer {
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  const headers: Record<string, string> = {
    ...(request.noHost ? {} : { host: '127.0.0.1' }),
    connection: 'close',
    ...request.headers,
  };
  if (body !== undefined || request.declareLength !== undefined) {
    headers['content-length'] = String(request.declareLength ?? body?.length ?? 0);
  }
  const head =
    `${request.method} ${request.target} HTTP/1.1${CRLF}` +
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}${CRLF}`)
      .join('') +
    CRLF;
  const sent = request.declareLength === undefined ? body : body?.subarray(0, 16 * 1024);
  return Buffer.concat([Buffer.from(head, 'latin1'), sent ?? Buffer.alloc(0)]);
}

function dechunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf(CRLF, at);
    if (lineEnd === -1) return Buffer.concat(parts);
    const size = parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) return Buffer.concat(parts);
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** The response once complete, or null while more bytes are due. */
export function parseResponse(raw: Buffer, closed: boolean): RawResponse | null {
  const headEnd = raw.indexOf(`${CRLF}${CRLF}`);
  if (headEnd === -1) return null;
  const [statusLine, ...lines] = raw.subarray(0, headEnd).toString('latin1').split(CRLF);
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = raw.subarray(headEnd + 4);
  const length = headers['content-length'];
  let body: Buffer;
  if (length !== undefined) {
    if (rest.length < Number(length)) return null;
    body = rest.subarray(0, Number(length));
  } else if (headers['transfer-encoding'] === 'chunked') {
    if (!closed && !rest.includes(`0${CRLF}${CRLF}`)) return null;
    body = dechunk(rest);
  } else {
    if (!closed) return null;
    body = rest;
  }
  return { status, headers, body: body.toString('utf8') };
}

/** Sends the request on a new connection and reads one response, however the server closes. */
export function rawHttp(
  port: number,
  request: RawRequest | Buffer,
  timeoutMs = 10_000,
): Promise<RawResponse> {
  const bytes = Buffer.isBuffer(request) ? request : encodeRequest(request);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean, error?: Error) => {
      if (settled) return;
      const response = parseResponse(Buffer.concat(chunks), closed);
      if (response === null && !closed) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (response !== null) resolve(response);
      else
        reject(
          error ?? new Error(`connection closed after ${Buffer.concat(chunks).length} bytes, no response`),
        );
    };
    const timer = setTimeout(() => {
      settled = true;
      socket.destroy();
      reject(
        new Error(
          `no complete response within ${timeoutMs} ms: ${Buffer.concat(chunks).toString('latin1').slice(0, 200)}`,
        ),
      );
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      finish(false);
    });
    socket.on('close', () => finish(true));
    // A reset after the answer arrived is the server closing on a request it refused: the answer counts.
    socket.on('error', (error) => finish(true, error));
    socket.write(bytes);
  });
}
