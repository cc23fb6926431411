import { FederationError } from '../federation-error.js';

/** Where in a metadata policy a problem lies: every policy error names it (logs, operators' tools). */
export interface PolicyLocation {
  entityType: string;
  parameter: string;
}

const at = (where: PolicyLocation) => `${where.entityType}.${where.parameter}`;

/** The policy itself is malformed: wrong structure, an operator value of a type the operator does not take. */
export function policyInvalid(where: PolicyLocation, operator: string, reason: string): FederationError {
  return new FederationError('policy_invalid', `metadata_policy ${at(where)}.${operator}: ${reason}`, { ...where, operator });
}

/** Two operators (or two statements' values of one operator) cannot hold together. */
export function policyConflict(where: PolicyLocation, operators: string[], reason: string): FederationError {
  return new FederationError('policy_conflict', `metadata_policy ${at(where)} [${operators.join(', ')}]: ${reason}`, { ...where, operators });
}

/** The metadata does not comply with the resolved policy. */
export function policyViolation(where: PolicyLocation, operator: string, reason: string): FederationError {
  return new FederationError('metadata_policy_violation', `metadata ${at(where)} fails ${operator}: ${reason}`, { ...where, operator });
}
