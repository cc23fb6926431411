import { createPrivateKey, createPublicKey, randomUUID, sign as signWith, verify, type JsonWebKey as NodeJwk } from 'node:crypto';
import type { JWK } from 'jose';
import type Provider from 'oidc-provider';
import type { TokenSigningAlg } from '../config/config.js';

/** What the wrapped oidc-provider models expose to this module. */
interface TokenModel {
  jti: string;
  grantId?: string;
  /** Refresh tokens: how many rotations of its chain came before it (oidc-provider counts them). */
  rotations?: number;
  generateTokenId(): string;
  clientId?: string;
  accountId?: string;
  scope?: string;
  getValueAndPayload(): Promise<{ value: string; payload?: Record<string, unknown> }>;
}

interface TokenClass {
  prototype: TokenModel;
  find(value: unknown, options?: object): Promise<unknown>;
}

export interface JwtTokenOptions {
  /** The provider's private JWKS: its RSA key signs RS256, its P-256 key ES256. */
  jwks: { keys: JWK[] };
  /** RS256 by default: what AgID's checks expect. ES256 is in the profile's list too and far cheaper. */
  alg?: TokenSigningAlg;
  /** The pairwise `sub` the client sees for an account. */
  subjectFor(accountId: string, clientId: string): string;
  /**
   * A genuine refresh token the store does not hold: spent-tokens.ts answers a spent one (as
   * consumed, so that replaying it revokes its grant) from what its claims say of its grant.
   */
  findSpentRefreshToken?(place: RefreshTokenPlace, findOptions?: object): Promise<unknown>;
}

/** What a verified refresh token JWT says of itself and of its place in its grant's chain of rotations. */
export interface RefreshTokenPlace {
  jti: string;
  grantId: string;
  rotation: number;
  clientId: string;
  iat: number;
  exp: number;
}

/** The place claims of a refresh token's verified claims; undefined for one issued without them. */
function refreshTokenPlace(claims: Record<string, unknown>): RefreshTokenPlace | undefined {
  const { jti, grant_id: grantId, rotation, client_id: clientId, iat, exp } = claims;
  if (typeof jti !== 'string' || typeof grantId !== 'string' || typeof clientId !== 'string') return undefined;
  if (!Number.isSafeInteger(rotation) || typeof iat !== 'number' || typeof exp !== 'number') return undefined;
  return { jti, grantId, rotation: rotation as number, clientId, iat, exp };
}

const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;
/**
 * oidc-provider's introspection and revocation refuse anything that decodes as a JWT, so
 * jwt-token-requests.ts hands them our JWTs with `~` for `.`: the same signed bytes, which
 * lookups turn back and verify. Sending this form directly needs the same signed JWT.
 */
const HIDDEN_SEPARATOR = '~';
const HIDDEN_JWS = /^[\w-]+~[\w-]+~[\w-]+$/;

/** A compact JWS in the hidden form lookups accept; any other value unchanged. */
export function hiddenForm(token: string): string {
  return COMPACT_JWS.test(token) ? token.replaceAll('.', HIDDEN_SEPARATOR) : token;
}
const issuedValues = new WeakMap<object, string>();
/** Refresh tokens found through a JWT whose `grant_id` and `rotation` claims name them. */
const placedRefreshTokens = new WeakSet<object>();

/**
 * True for a refresh token looked up through a JWT that carries its place in its grant (`grant_id`,
 * `rotation`): a replay of it is recognised after its entry is gone. False for one issued before
 * those claims: spent-tokens.ts keeps such a token, consumed, so that its replay is still found.
 */
export function foundWithPlaceClaims(token: object): boolean {
  return placedRefreshTokens.has(token);
}

/** The value a token was issued as (its JWT), for `at_hash`; undefined before it is saved. */
export function issuedValueOf(token: object): string | undefined {
  return issuedValues.get(token);
}

interface TokenSigner {
  alg: TokenSigningAlg;
  kid: string;
  sign(input: Buffer): Buffer;
  verify(input: Buffer, signature: Buffer): boolean;
}

function tokenSigner(jwks: { keys: JWK[] }, alg: TokenSigningAlg): TokenSigner {
  const jwk = jwks.keys.find((candidate) => (alg === 'RS256' ? candidate.kty === 'RSA' : candidate.kty === 'EC' && candidate.crv === 'P-256'));
  if (!jwk?.kid) throw new TypeError(`the provider JWKS has no ${alg} signing key with a kid`);
  const key = createPrivateKey({ key: jwk as NodeJwk, format: 'jwk' });
  const publicKey = createPublicKey(key);
  // JWS carries ECDSA signatures as r ‖ s (RFC 7518 §3.4), not DER.
  const encoding = alg === 'ES256' ? { dsaEncoding: 'ieee-p1363' as const } : {};
  return {
    alg,
    kid: jwk.kid,
    sign: (input) => signWith('sha256', input, { key, ...encoding }),
    verify: (input, signature) => verify('sha256', input, { key: publicKey, ...encoding }, signature),
  };
}

/**
 * Access and refresh tokens as signed JWTs (SPID/CIE OIDC guidelines: token response — docs/references.md): access token per RFC 9068
 * (`typ: at+jwt`, `aud` = the userinfo endpoint), refresh token with `aud` = the token endpoint.
 * oidc-provider's own JWT format cannot serve the userinfo endpoint and stores nothing, so the
 * library keeps its opaque model (stored under `jti`, which stays the handle for consume, revoke and
 * introspection) and this module only changes the value handed out: a JWT whose `jti` is that
 * handle. Looking a token up verifies the JWT's signature, `typ` and `iss` before the store is
 * asked, so a forged or altered JWT is simply not found.
 */
export function applyJwtTokens(provider: Provider, options: JwtTokenOptions): void {
  const signer = tokenSigner(options.jwks, options.alg ?? 'RS256');
  const { issuer } = provider;
  const base = issuer.replace(/\/$/, '');
  const userinfoEndpoint = `${base}${provider.pathFor('userinfo')}`;
  const tokenEndpoint = `${base}${provider.pathFor('token')}`;

  // node:crypto directly rather than jose: one RS256 JWS per token on every login and refresh.
  // Synchronously: handing the signature to the thread pool and back cost more CPU per token than
  // the signature itself saves on the main thread (measured side by side, docs/benchmarks.md).
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

  function sign(typ: string, claims: Record<string, unknown>): string {
    const input = `${encode({ alg: signer.alg, kid: signer.kid, typ })}.${encode(claims)}`;
    return `${input}.${signer.sign(Buffer.from(input)).toString('base64url')}`;
  }

  /** The claims of a JWT this provider signed with this `typ` (with a string `jti`), or undefined for anything else. */
  function verifiedClaims(value: unknown, typ: string): Record<string, unknown> | undefined {
    if (typeof value !== 'string') return undefined;
    const jws = HIDDEN_JWS.test(value) ? value.replaceAll(HIDDEN_SEPARATOR, '.') : value;
    if (!COMPACT_JWS.test(jws)) return undefined;
    const [header, payload, signature] = jws.split('.') as [string, string, string];
    try {
      const { alg, typ: actualTyp } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: unknown; typ?: unknown };
      if (alg !== signer.alg || actualTyp !== typ) return undefined;
      if (!signer.verify(Buffer.from(`${header}.${payload}`), Buffer.from(signature, 'base64url'))) return undefined;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      return claims.iss === issuer && typeof claims.jti === 'string' ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  function issueAsJwt(
    model: TokenClass,
    typ: string,
    claimsOf: (token: TokenModel, payload: Record<string, unknown>) => Record<string, unknown>,
    whenNotStored?: (claims: Record<string, unknown>, findOptions?: object) => Promise<unknown>,
    whenStored?: (token: TokenModel, claims: Record<string, unknown>) => void,
  ): void {
    // The profile wants a uuid4 `jti`; the library's call still runs for its side effect (it
    // records the token's format).
    const generateTokenId = model.prototype.generateTokenId;
    model.prototype.generateTokenId = function uuidTokenId(this: TokenModel) {
      generateTokenId.call(this);
      return randomUUID();
    };
    const opaque = model.prototype.getValueAndPayload;
    model.prototype.getValueAndPayload = async function issueJwt(this: TokenModel) {
      const { payload } = await opaque.call(this);
      const stored = payload ?? {};
      const value = sign(typ, { iss: issuer, ...claimsOf(this, stored), iat: stored.iat, exp: stored.exp, jti: this.jti });
      issuedValues.set(this, value);
      return { value, payload };
    };
    const find = model.find.bind(model);
    model.find = async (value, findOptions) => {
      const claims = verifiedClaims(value, typ);
      const found = await find(claims?.jti, findOptions);
      if (found && claims && whenStored) whenStored(found as TokenModel, claims);
      return found ?? (claims && whenNotStored ? whenNotStored(claims, findOptions) : undefined);
    };
  }

  const { AccessToken, RefreshToken } = provider as unknown as { AccessToken: TokenClass; RefreshToken: TokenClass };
  issueAsJwt(AccessToken, 'at+jwt', (token) => ({
    sub: token.accountId && token.clientId ? options.subjectFor(token.accountId, token.clientId) : token.clientId,
    client_id: token.clientId,
    aud: userinfoEndpoint,
    scope: token.scope,
  }));
  // grant_id and rotation let a spent refresh token be recognised without keeping it (spent-tokens.ts).
  const findSpent = options.findSpentRefreshToken;
  issueAsJwt(RefreshToken, 'JWT', (token) => ({ client_id: token.clientId, aud: tokenEndpoint, grant_id: token.grantId, rotation: token.rotations ?? 0 }), findSpent && (async (claims, findOptions) => {
    const place = refreshTokenPlace(claims);
    return place ? findSpent(place, findOptions) : undefined;
  }), (token, claims) => {
    const place = refreshTokenPlace(claims);
    if (place && place.grantId === token.grantId && place.rotation === (token.rotations ?? 0)) placedRefreshTokens.add(token);
  });
}
