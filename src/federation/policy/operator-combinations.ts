import { includesJson, isSubsetOf } from './json-values.js';
import type { StandardOperatorName } from './operator.js';
import { policyConflict, type PolicyLocation } from './policy-errors.js';

/**
 * Which standard operators may appear together in one parameter policy, and on what condition
 * (OpenID Federation 1.0 § 6.1.3.1, "Combination with other operators" of each operator). Checked on
 * every statement's own policy and again on the merged one (§ 6.1.4.1): two statements that are each
 * sound can merge into an unsound policy.
 */
export interface CombinationRule {
  operators: readonly [StandardOperatorName, StandardOperatorName];
  /** The spec's condition, in its words. */
  rule: string;
  holds(first: unknown, second: unknown): boolean;
}

/** The values of `value` as a set: a single value is a set of one. */
const valuesOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

// `value: null` removes the parameter. The checks one_of, subset_of and superset_of only look at a
// present parameter, so they have nothing to say about a removed one; add (even `[]`: it initialises an
// absent parameter), default and essential: true would each bring back (or demand) what null removes —
// those are the conflicts.
export const COMBINATION_RULES: readonly CombinationRule[] = [
  { operators: ['value', 'add'], rule: 'the values of add MUST be a subset of the values of value', holds: (value, add) => value !== null && isSubsetOf(add as unknown[], valuesOf(value)) },
  { operators: ['value', 'default'], rule: 'value MAY be combined with default if value is not null', holds: (value) => value !== null },
  { operators: ['value', 'one_of'], rule: 'the value of value MUST be among the one_of values', holds: (value, oneOf) => value === null || includesJson(oneOf as unknown[], value) },
  { operators: ['value', 'subset_of'], rule: 'the values of value MUST be a subset of the values of subset_of', holds: (value, subsetOf) => value === null || isSubsetOf(valuesOf(value), subsetOf as unknown[]) },
  { operators: ['value', 'superset_of'], rule: 'the values of value MUST be a superset of the values of superset_of', holds: (value, supersetOf) => value === null || isSubsetOf(supersetOf as unknown[], valuesOf(value)) },
  { operators: ['value', 'essential'], rule: 'value MAY be combined with essential except when value is null and essential is true', holds: (value, essential) => !(value === null && essential === true) },
  { operators: ['add', 'subset_of'], rule: 'the values of add MUST be a subset of the values of subset_of', holds: (add, subsetOf) => isSubsetOf(add as unknown[], subsetOf as unknown[]) },
  { operators: ['subset_of', 'superset_of'], rule: 'the values of subset_of MUST be a superset of the values of superset_of', holds: (subsetOf, supersetOf) => isSubsetOf(supersetOf as unknown[], subsetOf as unknown[]) },
  // one_of is for single-valued parameters, the others for arrays: the spec lists no combination of them.
  { operators: ['one_of', 'add'], rule: 'one_of MAY be combined only with value, default and essential', holds: () => false },
  { operators: ['one_of', 'subset_of'], rule: 'one_of MAY be combined only with value, default and essential', holds: () => false },
  { operators: ['one_of', 'superset_of'], rule: 'one_of MAY be combined only with value, default and essential', holds: () => false },
];

/** Throws `policy_conflict` naming the first rule the parameter policy breaks. Pairs not listed combine freely. */
export function assertOperatorCombinations(operators: Readonly<Record<string, unknown>>, where: PolicyLocation): void {
  for (const { operators: [first, second], rule, holds } of COMBINATION_RULES) {
    if (!(first in operators) || !(second in operators)) continue;
    if (!holds(operators[first], operators[second])) throw policyConflict(where, [first, second], rule);
  }
}
