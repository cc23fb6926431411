import { isLoopbackHost } from '../bounded-fetch.js';

/**
 * Whether a client_id can be a federation entity identifier: an https URL with a host and no query
 * or fragment (OpenID Federation 1.0 § "Entity Identifier"), or — only when `allowLoopback`, i.e. the
 * provider itself runs on a loopback host (local development) — http to a loopback host. A provider
 * on a public name never resolves a loopback id: anyone may send any client_id, and it would make the
 * provider send requests to services on its own host. Anything else is never resolved.
 */
export function looksLikeEntityId(id: string, allowLoopback = false): boolean {
  let url: URL;
  try {
    url = new URL(id);
  } catch {
    return false;
  }
  if (url.search || url.hash || id.includes('#') || url.username || url.password || !url.hostname) return false;
  if (isLoopbackHost(url.hostname)) return allowLoopback && (url.protocol === 'http:' || url.protocol === 'https:');
  return url.protocol === 'https:';
}
