import { isSubsetOf, unionOf } from '../json-values.js';
import { isArrayOperand, type PolicyOperator } from '../operator.js';
import { policyInvalid, policyViolation } from '../policy-errors.js';

/** `superset_of` (§ 6.1.3.1.6): a present array parameter must contain every listed value. After `subset_of`. */
export const supersetOfOperator: PolicyOperator = {
  name: 'superset_of',
  checkValue(value, where) {
    if (!isArrayOperand(value)) throw policyInvalid(where, 'superset_of', 'must be an array of strings, numbers or objects');
  },
  merge(superior, subordinate) {
    return unionOf(superior as unknown[], subordinate as unknown[]);
  },
  apply(parameter, value, where) {
    if (parameter === undefined) return parameter;
    if (!Array.isArray(parameter)) throw policyViolation(where, 'superset_of', 'the parameter is not an array');
    if (!isSubsetOf(value as unknown[], parameter)) throw policyViolation(where, 'superset_of', `${JSON.stringify(parameter)} lacks some of ${JSON.stringify(value)}`);
    return parameter;
  },
};
