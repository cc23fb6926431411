import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { ConfigError } from '../../config/config.js';
import { assertJwks, generateSigningKey, readJson } from '../../oidc/provider-keys.js';
import { publicJwks } from '../../oidc/discovery-profile.js';
import type { FederationJwks, FederationSigningKey } from '../entity-statement.js';

/**
 * The provider's federation keys: they sign its entity configuration and resolve answers, and the
 * trust anchor binds them in its statement about this provider. Separate from `jwks.json` (the OIDC
 * keys of ID tokens and userinfo) as the profile asks, so that either set rotates alone (docs/keys.md).
 */
export const FEDERATION_JWKS_FILE = 'federation-jwks.json';

export interface FederationKeys {
  /** The FIRST key of the file signs; the others are only published (rotation, docs/keys.md). */
  signing: FederationSigningKey;
  /** Every key's public half, each with its kid: the entity configuration's `jwks`. */
  publicJwks: FederationJwks;
}

/** The JWS algorithm a key signs with: its own `alg`, else the one its type and curve allow. */
function signingAlgOf(jwk: JWK, path: string): string {
  if (typeof jwk.alg === 'string') return jwk.alg;
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-521') return 'ES512';
  throw new ConfigError('invalid_config', `${path}: no signing algorithm for a ${String(jwk.kty)} key without alg`);
}

/**
 * Reads `KEYS_DIR/federation-jwks.json` (a private JWKS, every key with a kid). Missing: generated
 * (one RSA-2048 key, RS256 — the algorithm every CIE implementation verifies) when `generate`, a
 * configuration error otherwise, like the other key files (src/oidc/provider-keys.ts).
 */
export async function loadFederationKeys(dir: string, generate: boolean): Promise<FederationKeys> {
  const path = join(dir, FEDERATION_JWKS_FILE);
  let jwks = await readJson(path);
  if (jwks === undefined) {
    if (!generate) throw new ConfigError('invalid_config', `missing ${path} (GENERATE_KEYS=false): the federation keys (docs/keys.md)`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    jwks = { keys: [await generateSigningKey('RS256')] };
    await writeFile(path, JSON.stringify(jwks, null, 2), { mode: 0o600 });
  }
  assertJwks(jwks, path);
  const [first] = jwks.keys as (JWK & { kid: string })[];
  const signing = { kid: first!.kid, alg: signingAlgOf(first!, path), jwk: first! };
  return { signing, publicJwks: publicJwks(jwks) as FederationJwks };
}
