import type { PolicyLocation } from './policy-errors.js';

/**
 * One standard metadata policy operator of OpenID Federation 1.0 § 6.1.3.1. Each knows three things:
 * which operator values it takes, how a superior's and a subordinate's values merge, and what it
 * does to a metadata parameter. `undefined` stands for an absent parameter.
 */
export interface PolicyOperator {
  readonly name: StandardOperatorName;
  /** Throws `policy_invalid` when the operator value has a type the operator does not take. */
  checkValue(value: unknown, where: PolicyLocation): void;
  /** Both statements set the operator: the merged value, or `policy_conflict`. */
  merge(superior: unknown, subordinate: unknown, where: PolicyLocation): unknown;
  /** The parameter after the operator (a check returns it unchanged or throws `metadata_policy_violation`). */
  apply(parameter: unknown, value: unknown, where: PolicyLocation): unknown;
}

export type StandardOperatorName = 'value' | 'add' | 'default' | 'one_of' | 'subset_of' | 'superset_of' | 'essential';

/** The element types the array operators take: strings (mandatory), numbers and objects (optional). */
export function isArrayOperand(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number' || (typeof item === 'object' && item !== null && !Array.isArray(item)));
}
