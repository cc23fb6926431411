import { isLoopbackHost } from '../bounded-fetch.js';

/**
 * Whether a client_id can be a federation entity identifier: an https URL with a host and no query
 * or fragment (OpenID Federation 1.0 § "Entity Identifier"), or http to a loopback host for local
 * development (the same exception the federation fetches make). Anything else is never resolved.
 */
export function looksLikeEntityId(id: string): boolean {
  let url: URL;
  try {
    url = new URL(id);
  } catch {
    return false;
  }
  if (url.search || url.hash || id.includes('#') || url.username || url.password || !url.hostname) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}
