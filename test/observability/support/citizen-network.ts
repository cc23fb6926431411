import { request } from 'node:http';

/**
 * One origin as the citizen's browser (and the RP) name it, and where it is reached on this machine.
 * `headers` are set on every request sent there (a TLS proxy's X-Forwarded-*); the Host header is the
 * origin's own host unless `host` says otherwise, and an Origin header naming the origin is rewritten
 * to `origin` when given (a server that checks Origin against its own address).
 */
export interface Route {
  origin: string;
  port: number;
  host?: string;
  rewriteOrigin?: string;
  headers?: Record<string, string>;
}

// Only bounds a hang: the card's assertion is verified (chain, OCSP) by a provider process competing for two loaded cores.
const TIMEOUT_MS = 30_000;
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * A `fetch` for the card login through the rehearsed provider: `https://<ISSUER>` goes to the
 * provider's port as the TLS-terminating proxy of compose.yaml's header would send it (the citizen's
 * Host, X-Forwarded-Proto https), the bridge's default address on the citizen's machine
 * (`http://127.0.0.1:3900`, BRIDGE_URL's default, which compose does not set) to the port the test's
 * bridge got. Node's fetch cannot send its own Host header, hence node:http. Any other URL: `fallback`.
 */
export function routedFetch(routes: Route[], fallback: typeof fetch): typeof fetch {
  return async (input, init) => {
    const incoming = new Request(input, init);
    const url = new URL(incoming.url);
    const route = routes.find((candidate) => candidate.origin === url.origin);
    if (!route) return fallback(input, init);
    const headers: Record<string, string> = {};
    incoming.headers.forEach((value, name) => (headers[name] = value));
    if (route.rewriteOrigin && headers.origin === route.origin) headers.origin = route.rewriteOrigin;
    const body = incoming.body ? Buffer.from(await incoming.arrayBuffer()) : undefined;
    return new Promise<Response>((resolve, reject) => {
      const outgoing = request(
        { host: '127.0.0.1', port: route.port, method: incoming.method, path: `${url.pathname}${url.search}`, headers: { ...headers, ...route.headers, host: route.host ?? url.host }, timeout: TIMEOUT_MS },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const responseHeaders = new Headers();
            for (let index = 0; index < response.rawHeaders.length; index += 2) responseHeaders.append(response.rawHeaders[index]!, response.rawHeaders[index + 1]!);
            const status = response.statusCode ?? 502;
            const answer = new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), { status, statusText: response.statusMessage ?? '', headers: responseHeaders });
            Object.defineProperty(answer, 'url', { value: url.href });
            resolve(answer);
          });
          response.on('error', reject);
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`${url.origin}: no answer in ${TIMEOUT_MS} ms`)));
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  };
}
