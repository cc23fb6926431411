import type { FederationConfig } from '../../config/config.js';
import type { EntityStatementClaims, FederationJwks, TrustMarkEntry } from '../entity-statement.js';

/** The provider's resolve endpoint (profile: every entity serves one; fixed CIE path name). */
export const RESOLVE_PATH = '/resolve';

export interface OpEntityConfigurationInput {
  issuer: string;
  now: number;
  lifetimeSeconds: number;
  federationJwks: FederationJwks;
  /** The discovery document, exactly as /.well-known/openid-configuration serves it (inline jwks included). */
  discovery: Record<string, unknown>;
  entity: FederationConfig['entity'];
  authorityHints: string[];
  trustMarks: TrustMarkEntry[];
}

/**
 * The claims of the provider's entity configuration (OpenID Federation 1.0 § "Entity Configuration";
 * the Italian profile's OP example): iss = sub = the issuer, the FEDERATION keys in `jwks`,
 * `metadata.openid_provider` = the discovery document plus the organisation name and logo (the Node
 * reference RP reads its button label and logo there), `metadata.federation_entity` with the resolve
 * endpoint, `authority_hints` (left out when there is no superior: the spec forbids an empty list)
 * and `trust_marks`.
 */
export function opEntityConfigurationClaims(input: OpEntityConfigurationInput): EntityStatementClaims {
  const { issuer, entity } = input;
  return {
    iss: issuer,
    sub: issuer,
    iat: input.now,
    exp: input.now + input.lifetimeSeconds,
    jwks: input.federationJwks,
    metadata: {
      openid_provider: { ...input.discovery, organization_name: entity.organizationName, logo_uri: entity.logoUri },
      federation_entity: {
        organization_name: entity.organizationName,
        homepage_uri: entity.homepageUri,
        policy_uri: entity.policyUri,
        logo_uri: entity.logoUri,
        contacts: entity.contacts,
        federation_resolve_endpoint: `${issuer}${RESOLVE_PATH}`,
      },
    },
    ...(input.authorityHints.length > 0 ? { authority_hints: input.authorityHints } : {}),
    ...(input.trustMarks.length > 0 ? { trust_marks: input.trustMarks } : {}),
  };
}
