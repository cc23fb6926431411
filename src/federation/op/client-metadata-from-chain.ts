import type { ClientMetadata } from 'oidc-provider';
import type { JWK } from 'jose';
import { contentEncryptionAlgs, keyEncryptionAlgs } from '../../oidc/algorithms.js';
import { LEGACY_REQUEST_OBJECTS } from '../../oidc/legacy-request-objects.js';
import { FederationError } from '../federation-error.js';
import type { TrustChain } from './chain-source.js';

/**
 * The RP metadata this provider takes from a trust chain: what oidc-provider acts on under this
 * provider's features. Left out on purpose: `client_id` (always the entity id), `jwks_uri`,
 * `signed_jwks_uri` and `sector_identifier_uri` (the provider would fetch them outside the
 * federation's bounded fetches; CIE RPs must publish `jwks` inline), secrets, and this provider's own
 * extensions (`legacy_request_objects` comes from the trust anchor's setting, never from the RP).
 */
export const FEDERATED_CLIENT_PROPERTIES = [
  'client_name',
  'redirect_uris',
  'response_types',
  'grant_types',
  'jwks',
  'token_endpoint_auth_method',
  'token_endpoint_auth_signing_alg',
  'request_object_signing_alg',
  'id_token_signed_response_alg',
  'id_token_encrypted_response_alg',
  'id_token_encrypted_response_enc',
  'userinfo_signed_response_alg',
  'userinfo_encrypted_response_alg',
  'userinfo_encrypted_response_enc',
  'subject_type',
  'application_type',
  'contacts',
  'logo_uri',
  'policy_uri',
  'tos_uri',
  'client_uri',
  'default_acr_values',
  'default_max_age',
  'require_auth_time',
] as const;

/** The anchor's per-RP request-object leniency (FEDERATION_TRUST_ANCHORS `legacy_request_objects`). */
export type LegacyRequestObjectsSetting = boolean | string[];

function isEncryptionKey(jwk: JWK): boolean {
  return jwk.use === 'enc' || (typeof jwk.alg === 'string' && (keyEncryptionAlgs as string[]).includes(jwk.alg));
}

/**
 * The key-management algorithm for a userinfo JWE when the RP names none: its encryption key's own
 * `alg` when this provider enables it (a key bound to one alg is never selected for another), else
 * RSA-OAEP-256 for an RSA key and ECDH-ES for an EC key. Undefined: no usable encryption key.
 */
function defaultUserinfoEncryptionAlg(jwks: unknown): string | undefined {
  const keys = (jwks as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) return undefined;
  for (const key of keys as JWK[]) {
    if (typeof key !== 'object' || key === null || !isEncryptionKey(key)) continue;
    if (typeof key.alg === 'string') {
      if ((keyEncryptionAlgs as string[]).includes(key.alg)) return key.alg;
      continue;
    }
    if (key.kty === 'RSA') return 'RSA-OAEP-256';
    if (key.kty === 'EC') return 'ECDH-ES';
  }
  return undefined;
}

function legacyRequestObjectsFor(entityId: string, setting: LegacyRequestObjectsSetting): boolean {
  return setting === true || (Array.isArray(setting) && setting.includes(entityId));
}

/**
 * oidc-provider client metadata of an RP known through its trust chain: its policy-applied
 * `openid_relying_party` metadata, client_id = its entity id, and the profile's choices where the RP
 * is silent — private_key_jwt, RS256 ID tokens, pairwise subjects, and signed (RS256) AND encrypted
 * userinfo when its jwks holds an encryption key (A256CBC-HS512, the content encryption every CIE
 * implementation supports). `client_name` falls back on the organisation name, which the consent page
 * shows. Throws FederationError('metadata_policy_violation') when the chain has no usable RP metadata.
 */
export function clientMetadataFromChain(chain: TrustChain, legacyRequestObjects: LegacyRequestObjectsSetting): ClientMetadata {
  const rp = chain.metadata.openid_relying_party;
  if (!rp) throw new FederationError('metadata_policy_violation', `${chain.subject} has no openid_relying_party metadata`, { subject: chain.subject });
  const keys = (rp.jwks as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new FederationError('metadata_policy_violation', `${chain.subject} publishes no jwks in openid_relying_party`, { subject: chain.subject });
  if (!Array.isArray(rp.redirect_uris) || rp.redirect_uris.length === 0) throw new FederationError('metadata_policy_violation', `${chain.subject} has no redirect_uris`, { subject: chain.subject });

  const metadata: Record<string, unknown> = {};
  for (const property of FEDERATED_CLIENT_PROPERTIES) if (rp[property] !== undefined) metadata[property] = rp[property];
  const organizationName = rp.organization_name ?? chain.metadata.federation_entity?.organization_name;
  if (metadata.client_name === undefined && typeof organizationName === 'string') metadata.client_name = organizationName;
  metadata.token_endpoint_auth_method ??= 'private_key_jwt';
  metadata.id_token_signed_response_alg ??= 'RS256';
  metadata.subject_type ??= 'pairwise';
  const encryptionAlg = defaultUserinfoEncryptionAlg(metadata.jwks);
  if (metadata.userinfo_signed_response_alg === undefined && metadata.userinfo_encrypted_response_alg === undefined && encryptionAlg) {
    metadata.userinfo_signed_response_alg = 'RS256';
    metadata.userinfo_encrypted_response_alg = encryptionAlg;
    metadata.userinfo_encrypted_response_enc = contentEncryptionAlgs.includes('A256CBC-HS512') ? 'A256CBC-HS512' : contentEncryptionAlgs[0];
  }
  if (legacyRequestObjectsFor(chain.subject, legacyRequestObjects)) metadata[LEGACY_REQUEST_OBJECTS] = true;
  return { ...metadata, client_id: chain.subject } as ClientMetadata;
}
