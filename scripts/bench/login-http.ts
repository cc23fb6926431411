import { Agent, request } from 'node:http';

export interface HttpAnswer {
  status: number;
  location: string | undefined;
  setCookies: string[];
  body: string;
}

// node:http with keep-alive costs the load generator several times less CPU per request than fetch.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * One HTTP/1.1 exchange over a pooled keep-alive connection; redirects are not followed. A request
 * that fails with ECONNRESET on a reused connection is sent once more on a new one: the server closes
 * a connection idle for 5 s (Node's keepAliveTimeout) and may do so just as the pool picks it.
 */
export function httpRequest(url: URL, init: { method?: string; headers?: Record<string, string>; form?: Record<string, string> } = {}): Promise<HttpAnswer> {
  return exchange(url, init).catch((error: unknown) => {
    if (error instanceof StaleConnection) return exchange(url, init);
    throw error;
  });
}

class StaleConnection extends Error {}

function exchange(url: URL, init: { method?: string; headers?: Record<string, string>; form?: Record<string, string> }): Promise<HttpAnswer> {
  const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
  const headers = { ...init.headers, ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) } : {}) };
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: init.method ?? 'GET', headers, agent }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.once('error', reject);
      incoming.once('end', () => resolve({
        status: incoming.statusCode ?? 0,
        location: incoming.headers.location,
        setCookies: incoming.headers['set-cookie'] ?? [],
        body: Buffer.concat(chunks).toString(),
      }));
    });
    outgoing.once('error', (error: NodeJS.ErrnoException) => {
      reject(outgoing.reusedSocket && error.code === 'ECONNRESET' ? new StaleConnection(error.message) : error);
    });
    outgoing.end(body);
  });
}
