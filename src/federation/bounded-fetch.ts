import { BlockList, isIP } from 'node:net';
import { readBoundedBody } from '../shared/read-bounded-body.js';
import { FederationError } from './federation-error.js';

/**
 * How the chain code reaches other federation entities. One function so that tests (and the bench)
 * can serve a whole federation from memory, and production goes through `boundedFetcher`.
 * `accept` is the media type expected (a comma-separated list when several are acceptable); the
 * answer's type must be one of them. `form` is sent as application/x-www-form-urlencoded (POST).
 */
export type FederationFetcher = (
  url: string,
  init: { accept: string; method?: 'GET' | 'POST'; form?: Record<string, string> },
) => Promise<{ contentType: string; body: string }>;

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** localhost, 127.0.0.0/8 and [::1]: the only hosts reached over plain http (local development). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Address literals no public federation entity has: unspecified, private, shared, link-local (cloud metadata), unique-local, IPv4-mapped. */
const NON_PUBLIC_ADDRESSES = new BlockList();
for (const [network, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) NON_PUBLIC_ADDRESSES.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::ffff:0:0', 96], ['fc00::', 7], ['fe80::', 10]] as const) NON_PUBLIC_ADDRESSES.addSubnet(network, prefix, 'ipv6');

/** A host written as a non-public IP address literal (the WHATWG URL parser has already normalised 0x7f.1, 2130706433…). */
function isNonPublicAddress(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  return family !== 0 && NON_PUBLIC_ADDRESSES.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The URL parsed, if it may be fetched: https, or http to a loopback host. With `allowLoopback`
 * false no loopback host, nor a private or link-local address literal, is fetched at all, whatever the
 * scheme: a provider on a public name gets
 * its URLs from statements anyone can write (authority_hints, fetch and status endpoints), and must
 * not be made to send requests to services on its own host.
 */
export function fetchableUrl(url: string, allowLoopback = true): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FederationError('fetch_insecure_url', 'not a URL', { url });
  }
  const loopback = isLoopbackHost(parsed.hostname);
  if (!allowLoopback && (loopback || isNonPublicAddress(parsed.hostname))) {
    throw new FederationError('fetch_insecure_url', 'this provider fetches nothing on a loopback host or a private address (it does not run on one)', { url });
  }
  const allowed = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback);
  if (!allowed || parsed.username || parsed.password) {
    throw new FederationError('fetch_insecure_url', 'federation fetches use https (plain http only to a loopback host)', { url });
  }
  return parsed;
}

/** The media type of a Content-Type header, without parameters, lower-cased. */
export function mediaTypeOf(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function acceptedTypes(accept: string): string[] {
  return accept.split(',').map((type) => mediaTypeOf(type)).filter(Boolean);
}

/**
 * The production fetcher. Node's fetch has no size limit and its timeout covers only what the
 * caller wires, so both are enforced here: one AbortSignal bounds the whole exchange (headers AND
 * body), and the body is read chunk by chunk and abandoned as soon as it passes `maxBytes` (a
 * declared Content-Length above the limit is refused before reading anything). Redirects are not
 * followed: a redirect could leave https or the expected host.
 */
export function boundedFetcher(limits: { timeoutMs: number; maxBytes: number; allowLoopback?: boolean }): FederationFetcher {
  return async (url, init) => {
    const target = fetchableUrl(url, limits.allowLoopback ?? true);
    const method = init.method ?? 'GET';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new FederationError('fetch_timeout', `no complete answer within ${limits.timeoutMs} ms`, { url })), limits.timeoutMs);
    try {
      const response = await fetch(target, {
        method,
        redirect: 'error',
        signal: controller.signal,
        headers: { accept: init.accept, ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
      });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw new FederationError('fetch_failed', `HTTP ${response.status}`, { url, status: response.status });
      }
      const contentType = mediaTypeOf(response.headers.get('content-type'));
      if (!acceptedTypes(init.accept).includes(contentType)) {
        await response.body?.cancel().catch(() => undefined);
        throw new FederationError('fetch_bad_content_type', `expected ${init.accept}, got ${contentType || 'none'}`, { url, contentType });
      }
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw new FederationError('fetch_too_large', `answer of ${declared} bytes, limit ${limits.maxBytes}`, { url });
      }
      const tooLarge = () => new FederationError('fetch_too_large', `answer longer than ${limits.maxBytes} bytes`, { url });
      return { contentType, body: (await readBoundedBody(response, limits.maxBytes, tooLarge)).toString('utf8') };
    } catch (error) {
      throw asFetchError(error, controller.signal, url);
    } finally {
      clearTimeout(timer);
    }
  };
}

function asFetchError(error: unknown, signal: AbortSignal, url: string): FederationError {
  if (error instanceof FederationError) return error;
  if (signal.aborted && signal.reason instanceof FederationError) return signal.reason;
  return new FederationError('fetch_failed', error instanceof Error ? error.message : 'fetch failed', { url }, { cause: error });
}
