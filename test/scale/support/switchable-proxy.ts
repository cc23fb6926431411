import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';

export interface SwitchableProxy {
  port: number;
  /** Which backend gets the next requests. */
  use(name: string): void;
  /** `<backend> <METHOD> <path>` for every request relayed, in order. */
  readonly served: string[];
  close(): Promise<void>;
}

/** Request header that sends this one request to the named backend (the header is not relayed). */
export const BACKEND_HEADER = 'x-test-backend';

/**
 * An HTTP relay on one loopback port in front of several provider instances, so that all of them
 * share one issuer URL (issuer and Host header stay those of the proxy). A fresh upstream connection
 * per request makes every switch take effect at once. Concurrent requests can go to different
 * backends with the BACKEND_HEADER.
 */
export async function startSwitchableProxy(backends: Record<string, number>, first: string): Promise<SwitchableProxy> {
  let current = first;
  const served: string[] = [];
  const relay = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chosen = incoming.headers[BACKEND_HEADER];
    delete incoming.headers[BACKEND_HEADER];
    const name = typeof chosen === 'string' ? chosen : current;
    const port = backends[name];
    if (port === undefined) {
      outgoing.writeHead(400).end(`unknown backend ${name}`);
      return;
    }
    served.push(`${name} ${incoming.method} ${incoming.url?.split('?')[0]}`);
    const upstream = request({ host: '127.0.0.1', port, method: incoming.method, path: incoming.url, headers: incoming.headers, agent: false }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(outgoing);
    });
    upstream.once('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(upstream);
  };
  const server = createServer(relay);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    use: (name) => {
      if (!(name in backends)) throw new Error(`unknown backend ${name}`);
      current = name;
    },
    served,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
