import { isPlainObject } from './json-values.js';
import { assertOperatorCombinations } from './operator-combinations.js';
import { OPERATORS_IN_ORDER, standardOperator } from './operator-registry.js';
import { policyInvalid, type PolicyLocation } from './policy-errors.js';
import { isScopeParameter, scopeAsArray, scopeAsString, scopeOperators } from './scope-parameter.js';

/** operator name → operator value, for one metadata parameter of one entity type. */
export type ParameterPolicy = Record<string, unknown>;

/**
 * One parameter policy made ready to merge and apply: every standard operator's value type checked,
 * operators we do not know dropped (§ 6.1.3.2: not understood and not critical → ignored; critical
 * ones are refused before, see critical-operators.ts), and the combination rules checked.
 */
export function validateParameterPolicy(operators: unknown, where: PolicyLocation): ParameterPolicy {
  if (!isPlainObject(operators)) throw policyInvalid(where, '*', 'a parameter policy must be a JSON object of operators');
  const known: ParameterPolicy = {};
  for (const [name, value] of Object.entries(operators)) {
    const operator = standardOperator(name);
    if (!operator) continue;
    operator.checkValue(value, where);
    known[name] = value;
  }
  const comparable = isScopeParameter(where.parameter) ? scopeOperators(known) : known;
  assertOperatorCombinations(comparable, where);
  return comparable;
}

/** § 6.1.4.1 at the operator level: shared operators merge by their own rule, the others are copied. */
export function mergeParameterPolicies(superior: ParameterPolicy, subordinate: ParameterPolicy, where: PolicyLocation): ParameterPolicy {
  const merged: ParameterPolicy = { ...superior };
  for (const [name, value] of Object.entries(subordinate)) {
    merged[name] = name in merged ? standardOperator(name)!.merge(merged[name], value, where) : value;
  }
  assertOperatorCombinations(merged, where);
  return merged;
}

/** The parameter after every operator, in the spec's order; `undefined` = absent. */
export function applyParameterPolicy(parameter: unknown, operators: ParameterPolicy, where: PolicyLocation): unknown {
  const scope = isScopeParameter(where.parameter);
  let current = scope ? scopeAsArray(parameter) : parameter;
  for (const operator of OPERATORS_IN_ORDER) {
    if (operator.name in operators) current = operator.apply(current, operators[operator.name], where);
  }
  return scope ? scopeAsString(current) : current;
}
