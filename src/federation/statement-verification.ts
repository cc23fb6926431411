import { base64url, compactVerify, importJWK, type JWK } from 'jose';
import type { FederationJwks } from './entity-statement.js';
import { FederationError } from './federation-error.js';
import type { JoseType } from './media-types.js';

export interface VerifyOptions {
  /** The JOSE `typ` (or the several accepted) the header must carry. */
  typ: JoseType | JoseType[];
  /** Current time, seconds since the epoch (the JWT clock). */
  now: number;
  /** Seconds of clock difference tolerated on `iat` and `exp`. */
  clockTolerance: number;
  /** Entity statements must carry `exp`; a trust mark may omit it (it then never expires). Default true. */
  requireExp?: boolean;
}

/** Header and claims of a compact JWS, not verified: only to learn which keys to verify it with. */
export function decodeUnverified(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const parts = typeof jwt === 'string' ? jwt.split('.') : [];
  if (parts.length !== 3) throw new FederationError('statement_malformed', 'not a compact JWS');
  const header = parseJsonPart(parts[0]!);
  const claims = parseJsonPart(parts[1]!);
  return { header, claims };
}

function parseJsonPart(part: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(base64url.decode(part)));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new FederationError('statement_malformed', 'a JWS part is not a JSON object', {}, { cause: error });
  }
}

/** A `jwks` claim usable for verification: an object with a non-empty `keys` array, each key with a `kid`. */
export function assertJwks(value: unknown, what: string): FederationJwks {
  const keys = (value as { keys?: unknown } | undefined)?.keys;
  const valid = Array.isArray(keys) && keys.length > 0 && keys.every((key) => key !== null && typeof key === 'object' && typeof (key as JWK).kid === 'string' && typeof (key as JWK).kty === 'string');
  if (!valid) throw new FederationError('statement_bad_jwks', `${what}: jwks is not a set of keys each with a kid`);
  return value as FederationJwks;
}

/** Which key type (and curve) each JWS algorithm needs; an algorithm not listed is refused (none, HS*). */
const KEY_FOR_ALG: Record<string, { kty: string; crv?: string }> = {
  RS256: { kty: 'RSA' }, RS384: { kty: 'RSA' }, RS512: { kty: 'RSA' },
  PS256: { kty: 'RSA' }, PS384: { kty: 'RSA' }, PS512: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' }, ES384: { kty: 'EC', crv: 'P-384' }, ES512: { kty: 'EC', crv: 'P-521' },
  EdDSA: { kty: 'OKP' }, Ed25519: { kty: 'OKP', crv: 'Ed25519' },
};

function assertAlgFitsKey(alg: unknown, key: JWK): asserts alg is string {
  const needed = typeof alg === 'string' ? KEY_FOR_ALG[alg] : undefined;
  const fits = needed !== undefined && key.kty === needed.kty && (needed.crv === undefined || key.crv === needed.crv) && (key.alg === undefined || key.alg === alg) && (key.use === undefined || key.use === 'sig');
  if (!fits) throw new FederationError('statement_bad_signature', `alg ${String(alg)} does not fit the key ${key.kid ?? ''}`);
}

/**
 * Verifies one federation JWT and returns its claims: `typ` (OpenID Federation 1.0 requires it on
 * every federation JWT), `kid` present and found in `jwks`, the algorithm fitting that key, the
 * signature, then `iat` not in the future and `exp` not past (both with the clock tolerance).
 * Written on jose's compactVerify rather than jwtVerify so that each failure gets its own code.
 */
export async function verifyFederationJwt<T>(jwt: string, jwks: FederationJwks, options: VerifyOptions): Promise<T> {
  const { header } = decodeUnverified(jwt);
  const types = Array.isArray(options.typ) ? options.typ : [options.typ];
  if (typeof header.typ !== 'string' || !types.includes(header.typ.toLowerCase() as JoseType)) {
    throw new FederationError('statement_wrong_typ', `typ ${String(header.typ)}, expected ${types.join(' or ')}`);
  }
  if (typeof header.kid !== 'string' || header.kid === '') throw new FederationError('statement_missing_kid', 'the JOSE header has no kid');
  const jwk = jwks.keys.find((key) => key.kid === header.kid);
  if (!jwk) throw new FederationError('statement_unknown_kid', `kid ${header.kid} is not among the keys it must be signed with`, { kid: header.kid });
  assertAlgFitsKey(header.alg, jwk);
  let payload: Uint8Array;
  try {
    const key = await importJWK(jwk, header.alg);
    ({ payload } = await compactVerify(jwt, key, { algorithms: [header.alg] }));
  } catch (error) {
    throw new FederationError('statement_bad_signature', 'the signature does not verify', { kid: header.kid }, { cause: error });
  }
  const claims = parseJsonPart(base64url.encode(payload));
  assertTimes(claims, options);
  return claims as T;
}

function assertTimes(claims: Record<string, unknown>, options: VerifyOptions): void {
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new FederationError('statement_malformed', 'iat is missing');
  if (iat > options.now + options.clockTolerance) throw new FederationError('statement_not_yet_valid', 'iat is in the future', { iat });
  if (exp === undefined && options.requireExp === false) return;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new FederationError('statement_malformed', 'exp is missing');
  if (exp <= options.now - options.clockTolerance) throw new FederationError('statement_expired', 'exp is past', { exp });
}
