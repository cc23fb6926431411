import type { Context, Middleware } from 'koa';

const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `http://<loopback name>:<port>` forms under which the bridge's own pages are served. */
export function isOwnOrigin(value: string, port: number): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && loopbackNames.has(url.hostname) && Number(url.port) === port && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * Only requests addressed to the bridge by its loopback name are served: a DNS-rebinding page
 * ("evil.example" resolving to 127.0.0.1) arrives with its own Host header and is refused.
 */
export function loopbackGuard(port: () => number): Middleware {
  return async (ctx, next) => {
    if (!isOwnOrigin(`http://${ctx.get('host')}`, port())) {
      ctx.status = 421;
      ctx.type = 'text/plain';
      ctx.body = 'Misdirected request: the CIE bridge answers only on its loopback address.';
      return;
    }
    await next();
  };
}

/**
 * A top-level page load, by the Fetch Metadata a browser sends (`Sec-Fetch-Dest: document`). The
 * provider sends the citizen to the PIN page that way; an image, script, frame or fetch that a
 * foreign page points at the bridge is not (`image`, `script`, `iframe`, `empty`…), and opens
 * nothing. Clients that send no `Sec-Fetch-Dest` (older browsers, Node's fetch, scripts) are taken
 * at their word.
 */
export function isTopLevelNavigation(ctx: Pick<Context, 'get'>): boolean {
  const dest = ctx.get('sec-fetch-dest');
  return dest === '' || dest === 'document';
}
