import { connect } from 'node:net';
import type { PoolClient } from 'pg';

// The protocol's CancelRequest code (1234 << 16 | 5678).
const CANCEL_REQUEST_CODE = 80877102;

/**
 * Asks the server to cancel what `client`'s backend is running, the way libpq's PQcancel does: a
 * CancelRequest with the backend's pid and secret key on a fresh socket. It needs no login, no free
 * connection slot under the role's limit, and no privilege (pg_cancel_backend may well be revoked).
 * Resolves once the server has taken the request; the cancelled query fails with 57014 on its own socket.
 */
export function sendCancelRequest(client: PoolClient, timeoutMs: number): Promise<void> {
  // pg keeps the pid and key from the BackendKeyData message; @types/pg does not declare them.
  const { processID, secretKey } = client as unknown as { processID?: unknown; secretKey?: unknown };
  if (typeof processID !== 'number' || typeof secretKey !== 'number') {
    return Promise.reject(new Error('the connection has no backend key to cancel with'));
  }
  return new Promise((resolve, reject) => {
    const socket = client.host.startsWith('/')
      ? connect(`${client.host}/.s.PGSQL.${client.port}`)
      : connect(client.port, client.host);
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`cancel request timed out after ${timeoutMs} ms`)),
    );
    socket.once('connect', () => {
      const message = Buffer.alloc(16);
      message.writeInt32BE(16, 0);
      message.writeInt32BE(CANCEL_REQUEST_CODE, 4);
      message.writeInt32BE(processID, 8);
      message.writeInt32BE(secretKey, 12);
      socket.end(message);
    });
    socket.once('error', reject);
    // The server closes the socket once it has read the request.
    socket.once('close', (hadError) => {
      if (!hadError) resolve();
    });
    socket.resume();
  });
}
