import { createServer } from 'node:net';

/**
 * A loopback port the OS just had free, for a server that cannot listen on 0 and report its port
 * (redis-server, Prometheus). Another process could take it before that server binds, which then
 * fails loudly.
 */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no free port')),
      );
    });
  });
}
