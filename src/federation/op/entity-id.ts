import { isLoopbackHost } from '../bounded-fetch.js';

/**
 * Longest client_id resolved as an entity id. Far above any real one (RFC 7230 advises 8000-octet
 * request lines); what matters is the bound: a failed resolution is remembered per id (key, error,
 * log line), and without it 10 000 made-up ids of 50 KB each (a POSTed authorization request) would
 * pin gigabytes.
 */
export const MAX_ENTITY_ID_LENGTH = 2048;

/**
 * Whether a client_id can be a federation entity identifier: an https URL with a host and no query
 * or fragment (OpenID Federation 1.0 § "Entity Identifier"), or — only when `allowLoopback`, i.e. the
 * provider itself runs on a loopback host (local development) — http to a loopback host. A provider
 * on a public name never resolves a loopback id: anyone may send any client_id, and it would make the
 * provider send requests to services on its own host. Nor is an id longer than MAX_ENTITY_ID_LENGTH;
 * anything else is never resolved either.
 */
export function looksLikeEntityId(id: string, allowLoopback = false): boolean {
  if (id.length > MAX_ENTITY_ID_LENGTH) return false;
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
