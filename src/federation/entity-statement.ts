import { SignJWT, importJWK, type JWK } from 'jose';
import type { JoseType } from './media-types.js';

/** A public JWK set as statements carry it; every key has a `kid` (the profile requires it). */
export interface FederationJwks {
  keys: (JWK & { kid: string })[];
}

/** One entry of `trust_marks`: the type under each name the drafts used, and the signed trust mark. */
export interface TrustMarkEntry {
  trust_mark_type?: string;
  /** Drafts 42 (`trust_mark_id`) and ≤ 41 / the Italian profile (`id`). */
  trust_mark_id?: string;
  id?: string;
  trust_mark: string;
}

export type MetadataPolicyOperators = Record<string, unknown>;
/** entity type → parameter → operator → value. */
export type MetadataPolicy = Record<string, Record<string, MetadataPolicyOperators>>;
/** entity type → parameter → value. */
export type EntityMetadata = Record<string, Record<string, unknown>>;

export interface FederationConstraints {
  max_path_length?: number;
  naming_constraints?: { permitted?: string[]; excluded?: string[] };
  allowed_entity_types?: string[];
}

/**
 * The claims of an entity statement: an entity configuration (iss = sub) or a subordinate statement
 * (iss = the superior). Unknown claims are kept: the signature covers them.
 */
export interface EntityStatementClaims {
  iss: string;
  sub: string;
  iat: number;
  exp: number;
  jwks: FederationJwks;
  authority_hints?: string[];
  metadata?: EntityMetadata;
  metadata_policy?: MetadataPolicy;
  constraints?: FederationConstraints;
  trust_marks?: TrustMarkEntry[];
  /** Trust anchor: trust mark type → issuers allowed (final spec name). */
  trust_mark_issuers?: Record<string, string[]>;
  /** The same, under the pre-draft-31 name some RP libraries still require. */
  trust_marks_issuers?: Record<string, string[]>;
  [claim: string]: unknown;
}

/** A private signing key of a federation JWKS: the `kid` and `alg` go into the JOSE header. */
export interface FederationSigningKey {
  kid: string;
  alg: string;
  jwk: JWK;
}

/**
 * Signs any federation JWT (entity statement, trust mark, resolve answer, trust-mark status) with the
 * header the final spec and the Italian profile both require: `alg`, `kid`, `typ`.
 */
export async function signFederationJwt(claims: Record<string, unknown>, key: FederationSigningKey, typ: JoseType): Promise<string> {
  const privateKey = await importJWK(key.jwk, key.alg);
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ }).sign(privateKey);
}

/** The type of a trust-mark entry, whichever name the issuing draft gave it. */
export function trustMarkTypeOf(entry: { trust_mark_type?: unknown; trust_mark_id?: unknown; id?: unknown }): string | undefined {
  const value = entry.trust_mark_type ?? entry.trust_mark_id ?? entry.id;
  return typeof value === 'string' ? value : undefined;
}

/** The trust-mark issuers a trust anchor recognises, under the final name or the legacy one. */
export function trustMarkIssuersOf(anchor: Pick<EntityStatementClaims, 'trust_mark_issuers' | 'trust_marks_issuers'>): Record<string, string[]> {
  return anchor.trust_mark_issuers ?? anchor.trust_marks_issuers ?? {};
}
