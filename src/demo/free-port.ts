import { createServer } from 'node:net';

/** A TCP port free on loopback right now (tests and the demo pick ports before the issuer URL is fixed). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
