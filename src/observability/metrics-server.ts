import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { closeNow, listen } from '../shared/http-server.js';
import { metricsRegistry } from './metrics.js';

export interface MetricsServerOptions {
  port: number;
  host: string;
  /** When set, /metrics asks for `Authorization: Bearer <token>`. */
  token: string;
  /** Whose metrics (default: the provider's registry). */
  registry?: Registry;
  /**
   * Serve only requests addressed by a loopback name (the bridge's and the anchor's endpoints): a page
   * that rebinds its own DNS name to 127.0.0.1 arrives with that name in Host and is refused, as on
   * the bridge's own pages.
   */
  loopbackHostsOnly?: boolean;
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/;

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Constant-time comparison of the presented bearer token with the configured one. */
function authorised(header: string | undefined, token: string): boolean {
  if (!token) return true;
  const match = /^Bearer ([^\s]+)$/.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

/**
 * Prometheus's text format at GET /metrics, on a port of its own (METRICS_PORT, loopback by
 * default), apart from the citizens' and the RPs' traffic: nothing else is served there.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const registry = options.registry ?? metricsRegistry;
  const server: Server = createServer((request, response) => {
    if (options.loopbackHostsOnly && !LOOPBACK_HOST.test(request.headers.host ?? '')) {
      response.writeHead(421, { 'content-type': 'text/plain' }).end('misdirected request\n');
      return;
    }
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (!authorised(request.headers.authorization, options.token)) {
      response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' }).end('unauthorized\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(request.method === 'HEAD' ? undefined : text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await listen(server, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  return { url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/metrics`, close: () => closeNow(server) };
}
