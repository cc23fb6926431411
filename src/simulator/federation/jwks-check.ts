import type { FederationJwks } from '../../federation/entity-statement.js';
import { AnchorError } from './anchor-error.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];
const MAX_KEYS = 20;

/** A public JWK set whose every key has `kty` and `kid`, as subordinate statements bind them. */
export function assertPublicJwks(value: unknown, source: string): FederationJwks {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_KEYS) {
    throw new AnchorError('ANCHOR_INVALID_JWKS', `${source}: expected a JWK set {"keys": [...]} with 1–${MAX_KEYS} keys`);
  }
  for (const key of keys) {
    if (typeof key !== 'object' || key === null || typeof key.kty !== 'string' || typeof key.kid !== 'string' || key.kid === '') {
      throw new AnchorError('ANCHOR_INVALID_JWKS', `${source}: every key needs "kty" and a non-empty "kid"`);
    }
    if (PRIVATE_MEMBERS.some((member) => Object.hasOwn(key, member))) {
      throw new AnchorError('ANCHOR_INVALID_JWKS', `${source}: holds a private key; give the public JWK set only`);
    }
  }
  return { keys } as FederationJwks;
}
