import { connect, type ConnectionOptions } from 'node:tls';

/**
 * Tries one TLS handshake and returns why it failed (undefined if it succeeded or timed out).
 * ioredis reports a refused server certificate behind Sentinel or Cluster only as "Connection is
 * closed."; this names the real cause, e.g. "self-signed certificate in certificate chain".
 */
export function tlsHandshakeFailure(address: { host: string; port: number }, tls: ConnectionOptions, timeoutMs: number): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ ...tls, ...address });
    const settle = (failure: Error | undefined) => {
      socket.destroy();
      resolve(failure);
    };
    socket.setTimeout(timeoutMs, () => settle(undefined));
    socket.once('secureConnect', () => settle(undefined));
    socket.once('error', settle);
  });
}
