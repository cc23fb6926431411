import { FederationError } from '../federation-error.js';
import { isStandardOperator } from './operator-registry.js';

/**
 * `metadata_policy_crit` of one subordinate statement (§ 3.1.3, § 6.1.3.2). We implement no operator
 * beyond the standard seven, so a statement that declares any other operator critical is refused —
 * whether or not its policy uses it: § 3.1.3 makes the statement invalid when a listed operator is not
 * understood. Standard names listed there are understood anyway and pass.
 */
export function assertCriticalOperatorsUnderstood(crit: unknown): void {
  if (crit === undefined) return;
  if (!Array.isArray(crit) || crit.length === 0 || !crit.every((name) => typeof name === 'string')) {
    throw new FederationError('policy_invalid', 'metadata_policy_crit must be a non-empty array of operator names', { crit });
  }
  const unknown = crit.filter((name) => !isStandardOperator(name));
  if (unknown.length > 0) {
    throw new FederationError('policy_invalid', `metadata_policy_crit lists operators this provider does not implement: ${unknown.join(', ')}`, { operators: unknown });
  }
}
