import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { JWK } from 'jose';
import { signingAlgs } from './algorithms.js';

/** The public half of the provider's signing keys, published inline as the profile wants (§1.3 `jwks`). */
export function publicJwks(privateJwks: { keys: JWK[] }): { keys: JWK[] } {
  return {
    keys: privateJwks.keys.map(({ kid, use, alg, ...key }) => ({
      ...(createPublicKey({ key: key as JsonWebKey, format: 'jwk' }).export({ format: 'jwk' }) as JWK),
      kid,
      use,
      alg,
    })),
  };
}

/**
 * What the CIE profile adds to, or pins in, the provider metadata (SPID/CIE OIDC guidelines: provider metadata — docs/references.md).
 * `response_modes_supported` is pinned because oidc-provider also lists `fragment`, which the
 * profile does not define and this provider refuses. `client_registration_types_supported` is
 * `["automatic"]` only when RPs are registered through a trust anchor (FEDERATION_TRUST_ANCHORS,
 * docs/federation.md): with only CLIENTS_FILE's RPs it would be untrue, so it is left out.
 */
export function profileDiscoveryFields(jwks: { keys: JWK[] }, options: { automaticRegistration: boolean } = { automaticRegistration: false }): Record<string, unknown> {
  return {
    response_modes_supported: ['form_post', 'query'],
    revocation_endpoint_auth_methods_supported: ['private_key_jwt'],
    introspection_endpoint_auth_methods_supported: ['private_key_jwt'],
    ...(options.automaticRegistration ? { client_registration_types_supported: ['automatic'] } : {}),
    request_authentication_methods_supported: { authorization_endpoint: ['request_object'] },
    request_authentication_signing_alg_values_supported: signingAlgs,
    jwks,
  };
}

/**
 * Removes every `*_encryption_alg_values_supported` that is empty, with its `*_enc_values_supported`:
 * an enc list without any alg tells an RP it may encrypt when it cannot. oidc-provider decrypts
 * request objects only with symmetric algs (none are in the profile's list), so it advertises an
 * empty request-object alg list beside a full enc list.
 */
export function dropUnusableEncryptionMetadata(metadata: Record<string, unknown>): void {
  for (const name of Object.keys(metadata)) {
    const prefix = /^(.*)_encryption_alg_values_supported$/.exec(name)?.[1];
    const algs = metadata[name];
    if (prefix === undefined || (Array.isArray(algs) && algs.length > 0)) continue;
    delete metadata[name];
    delete metadata[`${prefix}_encryption_enc_values_supported`];
  }
}
