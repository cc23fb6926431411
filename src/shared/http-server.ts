import type { Server } from 'node:http';

/**
 * How long an idle keep-alive connection stays open. Node's 5 s default races with clients that
 * reuse a connection after about 4 s idle (undici reads the server's Keep-Alive hint, less 1 s): under
 * load the server closes the socket while the client's next request is on its way, and the client gets
 * ECONNRESET. Longer than the 60 s of common load balancers, so the server is never the one to close first.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function outlastClientKeepAlive(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node requires headersTimeout above keepAliveTimeout, or it may cut a reused connection's next request.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
}

/** Resolves once `server` listens on host:port; rejects if binding fails (port in use…). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  outlastClientKeepAlive(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops at once: drops open (keep-alive) connections, then waits for the server to close. */
export function closeNow(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
