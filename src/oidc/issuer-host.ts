import type { Context, Middleware, Next } from 'koa';
import { answerError } from '../shared/errors/answer-error.js';
import { requestLanguage } from '../shared/request-language.js';

export interface IssuerHostOptions {
  /** ISSUER: every absolute URL the provider writes is built on its scheme and host. */
  issuer: string;
  /** ALLOWED_HOSTS: other names (no port) the provider answers under, besides the issuer's and loopback. */
  allowedHosts?: readonly string[];
  /** Paths answered under any Host: probes reach a pod by its IP (/healthz, /readyz). */
  anyHostPaths?: readonly string[];
}

const ABSOLUTE_FORM = /^https?:\/\//i;

/**
 * The host name (lower case, no port; IPv6 in brackets) of a Host value, '' for none, undefined when
 * it is not a host at all.
 */
export function hostNameOf(host: string): string | undefined {
  if (host === '') return '';
  try {
    const url = new URL(`http://${host}`);
    // "a@b" or "a/b" would parse to another host than the one written: not a Host value.
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    // "id.example.it." is the same DNS name as "id.example.it" (the root's empty label).
    return url.hostname.toLowerCase().replace(/(?<=[^.])\.$/, '');
  } catch {
    return undefined;
  }
}

/** Names that always mean this machine: they cannot come from DNS rebinding (a browser sends the name it resolved). */
export function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name === '[::1]' || /^127(\.\d{1,3}){3}$/.test(name);
}

/**
 * Pins every request to ISSUER and refuses a foreign Host (docs/operations.md, "The Host header").
 *
 * oidc-provider builds the URLs it writes (discovery's endpoints, the interaction's return, the client
 * assertion's audience) from koa's `ctx.href`: the request's Host — or X-Forwarded-Host and -Proto when
 * the app trusts a proxy — or an absolute-form request target (`GET http://other/…`). Whoever can make a
 * browser or an RP reach the provider under another name (a misrouted proxy, a DNS alias, a cache keyed
 * without Host) would choose the host of those URLs. So:
 * - refuse (421 Misdirected Request, RFC 9110 §15.5.20) a name that is neither the issuer's, nor
 *   loopback (the demo's browser on 127.0.0.1, a proxy on the same machine, tests), nor in ALLOWED_HOSTS:
 *   DNS rebinding and aliases get nothing; the health paths answer any Host;
 * - then pin what is left: the request target in origin form, Host = the issuer's host, no
 *   X-Forwarded-Host, and the scheme the issuer's (so `ctx.secure`, the cookies' Secure flag, follows
 *   ISSUER too: an https issuer is reached over https even where TLS ends at a proxy).
 * The port is not compared: the pinned URLs carry the issuer's anyway.
 */
export function issuerHost(options: IssuerHostOptions): Middleware {
  const issuer = new URL(options.issuer);
  const scheme = issuer.protocol.slice(0, -1);
  // In the form hostNameOf gives the names compared with them (lower case, no trailing dot).
  const canonical = (name: string) => hostNameOf(name) ?? name.toLowerCase();
  const accepted = new Set([canonical(issuer.host), ...(options.allowedHosts ?? []).map(canonical)]);
  const anyHost = new Set(options.anyHostPaths ?? []);
  const acceptable = (name: string | undefined) => name !== undefined && (name === '' || accepted.has(name) || isLoopbackName(name));

  return async function pinnedToIssuer(ctx: Context, next: Next): Promise<void> {
    const target = ctx.originalUrl;
    // Origin form (`/path`) is every browser's and client's: only another target is parsed.
    const absolute = !target.startsWith('/') && ABSOLUTE_FORM.test(target) ? URL.parse(target) : undefined;
    // An absolute-form target names the host itself (RFC 9112 §3.2.2): it is checked like a Host.
    const host = ctx.host;
    // The usual request (the issuer's own Host, origin form) is accepted without parsing anything.
    const claimed = host === issuer.host && absolute === undefined ? [] : [hostNameOf(host), ...(absolute === undefined ? [] : [absolute ? hostNameOf(absolute.host) : undefined])];
    if (claimed.length > 0 && !anyHost.has(ctx.path) && !claimed.every(acceptable)) {
      await answerError(ctx, { code: 'misdirected_request', language: requestLanguage(ctx, undefined, { cookie: false }), params: { origin: issuer.origin } });
      return;
    }
    pin(ctx, issuer.host, scheme, absolute);
    await next();
  };
}

function pin(ctx: Context, host: string, scheme: string, absolute: URL | null | undefined): void {
  if (absolute) {
    const originForm = `${absolute.pathname}${absolute.search}`;
    ctx.url = originForm;
    ctx.originalUrl = originForm;
    ctx.request.originalUrl = originForm;
  }
  const headers = ctx.req.headers;
  // Written only where they differ: the usual request already names the issuer's host over its scheme,
  // and every change to these objects costs each request of the process (their shapes, then every read).
  if (headers.host !== host) headers.host = host;
  if (headers['x-forwarded-host'] !== undefined) delete headers['x-forwarded-host'];
  if (headers[':authority'] !== undefined) delete headers[':authority'];
  if (ctx.app.proxy && headers['x-forwarded-proto'] !== scheme) headers['x-forwarded-proto'] = scheme;
  // koa reads the scheme from the socket unless a proxy is trusted: the issuer's, whatever the hop.
  if (ctx.request.protocol !== scheme) Object.defineProperty(ctx.request, 'protocol', { value: scheme, configurable: true, enumerable: true });
}
