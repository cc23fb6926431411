import { boundedFetcher, type FederationFetcher } from '../../federation/bounded-fetch.js';
import { fetchEntityConfiguration } from '../../federation/entity-statements-fetch.js';
import { AnchorError } from './anchor-error.js';
import { LEAF_TYPES, type LeafType } from './anchor-state.js';
import type { EnrollRequest } from './enroll-entity.js';

/** Enrolling is interactive: a short wait and a small answer are enough for any entity configuration. */
const ENROLL_FETCH_LIMITS = { timeoutMs: 5_000, maxBytes: 64 * 1024 };

function stringAt(metadata: Record<string, Record<string, unknown>> | undefined, type: string, name: string): string | undefined {
  const value = metadata?.[type]?.[name];
  return typeof value === 'string' && value.length <= 200 ? value : undefined;
}

/**
 * What `enroll` learns from the entity itself: its self-signed entity configuration, verified with
 * its own keys, gives the federation keys, the entity type (unless given), the RP's OIDC keys and
 * the organisation name.
 */
export async function enrollRequestFromConfiguration(
  entityId: string,
  options: { entityType?: LeafType; via?: string; fetcher?: FederationFetcher },
): Promise<EnrollRequest> {
  let configuration;
  try {
    configuration = await fetchEntityConfiguration(options.fetcher ?? boundedFetcher(ENROLL_FETCH_LIMITS), entityId, { now: Math.floor(Date.now() / 1000), clockTolerance: 60 });
  } catch (error) {
    const reason = error instanceof Error ? `${error.message}${'code' in error ? ` [${String(error.code)}]` : ''}` : String(error);
    throw new AnchorError('ANCHOR_ENTITY_UNREACHABLE', `cannot read the entity configuration of ${entityId}: ${reason} (serve it, or give --jwks FILE)`, {}, { cause: error });
  }
  const { claims } = configuration;
  const metadata = claims.metadata;
  const entityType = options.entityType ?? LEAF_TYPES.find((type) => metadata?.[type] !== undefined);
  if (!entityType) throw new AnchorError('ANCHOR_INVALID_ENTITY_ID', `${entityId} publishes neither openid_relying_party nor openid_provider metadata (give --type)`);
  const protocolJwks = metadata?.[entityType]?.jwks as { keys: Record<string, unknown>[] } | undefined;
  const organizationName =
    stringAt(metadata, 'federation_entity', 'organization_name') ?? stringAt(metadata, entityType, 'organization_name') ?? stringAt(metadata, entityType, 'client_name');
  return {
    entityId,
    entityType,
    jwks: claims.jwks,
    ...(entityType === 'openid_relying_party' && protocolJwks && Array.isArray(protocolJwks.keys) ? { protocolJwks } : {}),
    ...(options.via !== undefined ? { via: options.via } : {}),
    ...(organizationName ? { organizationName } : {}),
  };
}
