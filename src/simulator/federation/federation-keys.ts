import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { FederationJwks } from '../../federation/entity-statement.js';
import type { StoredKey } from './anchor-state.js';

/** RS256: the one signing algorithm every reference RP and OP of the CIE federation reads. */
const FEDERATION_ALG = 'RS256';

export async function newFederationKey(now = new Date()): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(FEDERATION_ALG, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, alg: FEDERATION_ALG, jwk: { ...jwk, kid, alg: FEDERATION_ALG, use: 'sig' }, createdAt: now.toISOString() };
}

const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']);

export function publicJwk(jwk: JWK): JWK & { kid: string } {
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_MEMBERS.has(name))) as JWK & { kid: string };
}

export function publicJwks(keys: StoredKey[]): FederationJwks {
  return { keys: keys.map((key) => publicJwk(key.jwk)) };
}
