export { applyMetadataPolicy } from './apply-metadata-policy.js';
export { combinePolicies } from './combine-policies.js';
export { resolveChainMetadata, type PolicyStatement } from './resolve-chain-metadata.js';
export { COMBINATION_RULES } from './operator-combinations.js';
export { OPERATORS_IN_ORDER } from './operator-registry.js';
