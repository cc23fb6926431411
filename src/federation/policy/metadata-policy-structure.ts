import type { MetadataPolicy } from '../entity-statement.js';
import { isPlainObject, isUnsafeName } from './json-values.js';
import { validateParameterPolicy } from './parameter-policy.js';
import { policyInvalid } from './policy-errors.js';

/**
 * A whole `metadata_policy` claim checked (§ 6.1.2: three levels of JSON objects — entity type,
 * parameter, operator) and cleaned of operators we ignore. Throws `policy_invalid` or `policy_conflict`.
 */
export function validateMetadataPolicy(policy: unknown): MetadataPolicy {
  if (!isPlainObject(policy)) throw policyInvalid({ entityType: '*', parameter: '*' }, '*', 'metadata_policy must be a JSON object');
  const result: MetadataPolicy = {};
  for (const [entityType, parameters] of Object.entries(policy)) {
    if (isUnsafeName(entityType)) throw policyInvalid({ entityType, parameter: '*' }, '*', 'not an entity type name');
    if (!isPlainObject(parameters)) throw policyInvalid({ entityType, parameter: '*' }, '*', 'an entity type policy must be a JSON object');
    const validated: MetadataPolicy[string] = {};
    for (const [parameter, operators] of Object.entries(parameters)) {
      if (isUnsafeName(parameter)) throw policyInvalid({ entityType, parameter }, '*', 'not a parameter name');
      validated[parameter] = validateParameterPolicy(operators, { entityType, parameter });
    }
    result[entityType] = validated;
  }
  return result;
}
