import type { MetadataPolicy } from '../../federation/entity-statement.js';
import type { Enrollment } from './anchor-state.js';

// The algorithms the CIE profile allows (italia/spid-cie-oidc-docs `cryptographic_algos.rst`).
const SIGNING_ALGS = ['RS256', 'RS512', 'ES256', 'ES512', 'PS256', 'PS512'];
const KEY_ENCRYPTION_ALGS = ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'];
const CONTENT_ENCRYPTION_ALGS = ['A128CBC-HS256', 'A256CBC-HS512'];

/**
 * The trust anchor's policy for every relying party, as the CIE federation's anchor sets it
 * (italia/spid-cie-oidc-docs `entity_statement.rst`, "metadata_policy" of the TA for RPs): what an OP
 * may rely on after resolving an RP's chain. ID-token encryption is optional for CIE; userinfo
 * signing and encryption are required.
 */
export const RP_POLICY: MetadataPolicy = {
  openid_relying_party: {
    client_id: { essential: true },
    redirect_uris: { essential: true },
    response_types: { value: ['code'] },
    grant_types: { subset_of: ['authorization_code', 'refresh_token'], essential: true },
    client_registration_types: { subset_of: ['automatic'], essential: true },
    token_endpoint_auth_method: { one_of: ['private_key_jwt'], essential: true },
    id_token_signed_response_alg: { one_of: SIGNING_ALGS, essential: true },
    id_token_encrypted_response_alg: { one_of: KEY_ENCRYPTION_ALGS, essential: false },
    id_token_encrypted_response_enc: { one_of: CONTENT_ENCRYPTION_ALGS, essential: false },
    userinfo_signed_response_alg: { one_of: SIGNING_ALGS, essential: true },
    userinfo_encrypted_response_alg: { one_of: KEY_ENCRYPTION_ALGS, essential: true },
    userinfo_encrypted_response_enc: { one_of: CONTENT_ENCRYPTION_ALGS, essential: true },
    jwks: { essential: true },
  },
};

/** What only the statement about this one RP can say: its OIDC keys, pinned as the profile's table asks. */
function policyAboutRelyingParty(enrollment: Enrollment): MetadataPolicy {
  if (!enrollment.protocolJwks) return {};
  return { openid_relying_party: { jwks: { value: enrollment.protocolJwks, essential: true } } };
}

/** The policy of a subordinate statement; the general table sits once, in the anchor's own statement on the path. */
export function subordinatePolicy(issuedByAnchor: boolean, subject: { enrollment?: Enrollment; isIntermediate: boolean }): MetadataPolicy | undefined {
  if (subject.isIntermediate) return RP_POLICY;
  const enrollment = subject.enrollment;
  if (!enrollment || enrollment.entityType !== 'openid_relying_party') return undefined;
  const own = policyAboutRelyingParty(enrollment).openid_relying_party ?? {};
  if (!issuedByAnchor) return Object.keys(own).length > 0 ? { openid_relying_party: own } : undefined;
  return { openid_relying_party: { ...RP_POLICY.openid_relying_party, ...own } };
}
