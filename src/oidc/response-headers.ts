import type { Context, Next } from 'koa';

/** One year, the usual HSTS lifetime; no includeSubDomains: the issuer's host is all we speak for. */
const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/** Query or fragment parameters that make a redirect a credential: an authorization code, a completion ticket. */
const CREDENTIAL_PARAMETERS = ['code', 'ticket'];

function carriesCredential(location: string): boolean {
  let url: URL;
  try {
    url = new URL(location, 'http://relative.invalid');
  } catch {
    return false;
  }
  const fragment = new URLSearchParams(url.hash.slice(1));
  return CREDENTIAL_PARAMETERS.some((name) => url.searchParams.has(name) || fragment.has(name));
}

/**
 * Headers every answer of the provider needs whatever route gives it:
 * - `Strict-Transport-Security` when the issuer is https (behind a TLS proxy too, where the request
 *   itself arrives over http), set before the route runs so that answers written straight to the
 *   socket (an interaction's finishing 303) carry it as well;
 * - `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1, for HTTP/1.0 caches) on every
 *   redirect whose URL carries a code or a completion ticket, and `Pragma: no-cache` wherever a
 *   route already said `no-store` (the token, userinfo and introspection responses of oidc-provider).
 */
export function responseHeaders(options: { strictTransportSecurity: boolean }) {
  return async function setResponseHeaders(ctx: Context, next: Next): Promise<void> {
    if (options.strictTransportSecurity) ctx.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
    await next();
    if (ctx.headerSent || !ctx.res.writable) return;
    const location = ctx.response.get('Location');
    if (location && ctx.status >= 300 && ctx.status < 400 && carriesCredential(location)) ctx.set('Cache-Control', 'no-store');
    if (/(^|,)\s*no-store\s*(,|$)/i.test(ctx.response.get('Cache-Control'))) ctx.set('Pragma', 'no-cache');
  };
}
