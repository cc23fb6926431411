import { FederationError } from '../federation-error.js';
import type { EntityMetadata, MetadataPolicy } from '../entity-statement.js';
import { cloneJson, isPlainObject, ownMember } from './json-values.js';
import { validateMetadataPolicy } from './metadata-policy-structure.js';
import { applyParameterPolicy } from './parameter-policy.js';

/**
 * Applies a (resolved) metadata policy to an entity's metadata (§ 6.1.4.2). Only entity types the
 * metadata has are touched: a policy for `openid_provider` does not give an RP provider metadata.
 * Returns a copy; throws `metadata_policy_violation` (or `policy_invalid`/`policy_conflict` when the
 * policy itself is unsound).
 */
export function applyMetadataPolicy(metadata: EntityMetadata, policy: MetadataPolicy): EntityMetadata {
  const resolvedPolicy = validateMetadataPolicy(policy);
  const result = cloneJson(metadata);
  for (const [entityType, parameters] of Object.entries(resolvedPolicy)) {
    const entityMetadata = ownMember(result, entityType);
    if (entityMetadata === undefined) continue;
    if (!isPlainObject(entityMetadata)) throw new FederationError('metadata_policy_violation', `metadata.${entityType} is not a JSON object`, { entityType });
    for (const [parameter, operators] of Object.entries(parameters)) {
      const value = applyParameterPolicy(ownMember(entityMetadata, parameter), operators, { entityType, parameter });
      if (value === undefined) delete entityMetadata[parameter];
      else entityMetadata[parameter] = value;
    }
  }
  return result;
}
