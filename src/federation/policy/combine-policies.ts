import type { MetadataPolicy } from '../entity-statement.js';
import { ownMember } from './json-values.js';
import { validateMetadataPolicy } from './metadata-policy-structure.js';
import { mergeParameterPolicies, type ParameterPolicy } from './parameter-policy.js';

/**
 * Merges a subordinate's `metadata_policy` into its superior's (§ 6.1.4.1): entity types and
 * parameters only one side has are copied, shared operators merge by their own rule, and the merged
 * parameter policy must still obey the combination rules. Throws `policy_conflict` (or `policy_invalid`
 * when either side is malformed).
 */
export function combinePolicies(superior: MetadataPolicy, subordinate: MetadataPolicy): MetadataPolicy {
  const merged = validateMetadataPolicy(superior);
  for (const [entityType, parameters] of Object.entries(validateMetadataPolicy(subordinate))) {
    const current = (ownMember(merged, entityType) as MetadataPolicy[string] | undefined) ?? (merged[entityType] = {});
    for (const [parameter, operators] of Object.entries(parameters)) {
      const existing = ownMember(current, parameter) as ParameterPolicy | undefined;
      current[parameter] = existing ? mergeParameterPolicies(existing, operators, { entityType, parameter }) : operators;
    }
  }
  return merged;
}
