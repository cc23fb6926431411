import { removeDisallowedEntityTypes } from '../constraints.js';
import type { EntityMetadata, FederationConstraints, MetadataPolicy } from '../entity-statement.js';
import { FederationError } from '../federation-error.js';
import { applyMetadataPolicy } from './apply-metadata-policy.js';
import { combinePolicies } from './combine-policies.js';
import { assertCriticalOperatorsUnderstood } from './critical-operators.js';
import { cloneJson, isPlainObject, isUnsafeName, ownMember } from './json-values.js';

/** What the resolution reads from each subordinate statement of the chain. */
export interface PolicyStatement {
  metadata_policy?: MetadataPolicy;
  metadata?: EntityMetadata;
  /** `unknown`: claims come straight from a verified JWT; the shape is checked here. */
  metadata_policy_crit?: unknown;
  constraints?: FederationConstraints;
}

/**
 * The leaf's resolved metadata, the whole step of OpenID Federation 1.0 § 6.1.4 and § 6.2.3:
 * 1. every `metadata_policy_crit` understood (we understand only the standard operators);
 * 2. the policies merged from the trust anchor's statement down to the immediate superior's;
 * 3. the immediate superior's `metadata` claim (the last statement) overriding the leaf's parameters;
 * 4. entity types no `allowed_entity_types` constraint of the chain allows removed (federation_entity stays);
 * 5. the merged policy applied.
 * `statementsTopDown`: the subordinate statements, the trust anchor's first, the one about the leaf last.
 */
export function resolveChainMetadata(leaf: EntityMetadata, statementsTopDown: PolicyStatement[]): EntityMetadata {
  for (const statement of statementsTopDown) assertCriticalOperatorsUnderstood(statement.metadata_policy_crit);
  const withPolicy = statementsTopDown.filter((statement) => statement.metadata_policy !== undefined);
  const policy = withPolicy.reduce<MetadataPolicy>((current, statement) => combinePolicies(current, statement.metadata_policy!), {});

  let metadata = overrideWithSuperiorMetadata(leaf, statementsTopDown.at(-1)?.metadata);
  for (const statement of statementsTopDown) metadata = removeDisallowedEntityTypes(metadata, statement.constraints);
  return withPolicy.length === 0 ? metadata : applyMetadataPolicy(metadata, policy);
}

/** § 3.1.1 `metadata`: the superior's parameters take precedence over the same-named ones of the subject. */
function overrideWithSuperiorMetadata(leaf: EntityMetadata, superior: EntityMetadata | undefined): EntityMetadata {
  if (!isPlainObject(leaf) || !Object.values(leaf).every(isPlainObject)) throw new FederationError('statement_malformed', 'the leaf metadata must map entity types to JSON objects');
  const result = cloneJson(leaf);
  if (superior === undefined) return result;
  if (!isPlainObject(superior)) throw new FederationError('statement_malformed', 'the superior statement metadata is not a JSON object');
  for (const [entityType, parameters] of Object.entries(superior)) {
    if (isUnsafeName(entityType) || !isPlainObject(parameters)) throw new FederationError('statement_malformed', `metadata.${entityType} of the superior statement is not a JSON object`, { entityType });
    for (const [parameter, value] of Object.entries(parameters)) {
      // § 3.2 step 16: metadata never uses null (only the policy operator `value` may remove).
      if (isUnsafeName(parameter)) throw new FederationError('statement_malformed', `metadata.${entityType} of the superior statement has a member named ${parameter}`, { entityType });
      if (value === null) throw new FederationError('statement_malformed', `metadata.${entityType}.${parameter} of the superior statement is null`, { entityType, parameter });
    }
    result[entityType] = { ...(ownMember(result, entityType) as Record<string, unknown> | undefined), ...cloneJson(parameters) };
  }
  return result;
}
